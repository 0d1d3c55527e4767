"""The audit as JSON (``twinproof shoot audit --json``): plain numbers, ±inf as null."""

from __future__ import annotations

import math
from typing import Any

from twinproof.core.drift.audit import Contrast, Drift, DriftAudit
from twinproof.core.drift.measures import measure_of
from twinproof.core.drift.words import contrast_sentence, drift_sentence, summary

TEST = ("weighted sign test per measurement (weights 1/uncertainty; exact binomial for equal weights, "
        "20,000 seeded sign flips for unequal ones, normal limit above 400 pairs); the interval is the test "
        "inverted (distribution-free interval of the weighted median)")
CORRECTION = "Holm step-down over all measurements (family-wise error rate, any dependence)"


def _num(value: float) -> float | None:
    return round(value, 6) if math.isfinite(value) else None


def drift_json(d: Drift, error_rate: float) -> dict[str, Any]:
    t = d.test
    return {
        "metric": d.metric, "label": d.audited.label, "group": d.audited.group, "unit": d.audited.unit,
        "n": t.n, "median": _num(t.median), "ci95": [_num(t.ci95[0]), _num(t.ci95[1])],
        "above": t.above, "below": t.below, "at_zero": t.at_zero,
        "p_value": _num(t.p_value), "p_adjusted": _num(d.p_adjusted), "systematic": d.systematic,
        "tested": d.tested, "reason": d.reason or None,
        "smallest_detectable": _num(d.smallest_detectable), "uncertainty": d.uncertainty_source,
        "measures": [_measure(path, n) for path, n in d.sources.items()],
        "text": drift_sentence(d, error_rate),
        "pairs": [{"pair": p.pair, "value": _num(p.value), "uncertainty": _num(p.uncertainty),
                   "uncertainty_stored": p.stored, "control": p.control, "measure": p.source or d.metric}
                  for p in d.points],
    }


def _measure(path: str, n: int) -> dict[str, Any]:
    """One measure a measurement's numbers came from: its result path, how many pairs, what it
    is and how much of an edit it follows (where measured)."""
    known = measure_of(path)
    return {"path": path, "pairs": n, "name": known.name if known else None,
            "follows": known.follows if known else None}


def contrast_json(c: Contrast, by: str) -> dict[str, Any]:
    return {"metric": c.metric, "group": c.group, "against": c.against, "difference": _num(c.difference),
            "ci95": [_num(c.ci95[0]), _num(c.ci95[1])], "p_value": _num(c.p_value),
            "p_adjusted": _num(c.p_adjusted), "systematic": c.systematic, "text": contrast_sentence(c, by)}


def audit_json(audit: DriftAudit, shoot: str | None = None) -> dict[str, Any]:
    s = audit.settings
    out: dict[str, Any] = {
        "shoot": shoot, "pairs": audit.pairs,
        "settings": {"min_pairs": s.min_pairs, "min_group_pairs": s.min_group_pairs, "error_rate": s.error_rate,
                     "power": s.power, **s.effects},
        "test": TEST, "correction": CORRECTION, "summary": summary(audit),
        "measurements": [drift_json(d, s.error_rate) for d in audit.drifts],
    }
    if audit.groups is not None:
        g = audit.groups
        out["groups"] = {
            "by": g.by, "note": g.note or None,
            "groups": [{"group": name, "measurements": [drift_json(d, s.error_rate) for d in drifts]}
                       for name, drifts in g.groups.items()],
            "contrasts": [contrast_json(c, g.by) for c in g.contrasts],
        }
    if audit.skin_lightness:
        out["talent_skin_lightness"] = {k: round(v, 2) for k, v in audit.skin_lightness.items()}
    if audit.origins:
        out["origins"] = audit.origins
    return out
