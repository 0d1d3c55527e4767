"""Drift by group: per talent, per generator, across skin-tone groups; and the difference in
drift between groups, with its interval.

Each group's drift is the same weighted sign test as the shoot's. A difference between two
groups is the difference of their weighted medians; its standard error is read off each
group's distribution-free interval (half-width ÷ z), the two combined in quadrature, so the
interval is ``d ± z·√(se₁² + se₂²)`` — a normal approximation, stated as such. Skin tone
compares the darkest group with the lightest ("more for the darker third of the cast");
talent and generator compare each group with the rest of the shoot. All contrasts of one
audit are corrected together (Holm), as the measurements are.
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core.drift.audit import Contrast, Drift, GroupAudit, Series, _judge, measure_drift
from twinproof.core.drift.inputs import SKIN_TONE_GROUPS, SKIN_TONE_HALVES
from twinproof.core.drift.measures import BY_METRIC
from twinproof.core.drift.settings import AuditSettings
from twinproof.core.drift.signtest import holm, normal_p, z_of

BY = ("talent", "generator", "skin-tone")
_UNKNOWN = {"talent": "pairs linked to no talent", "generator": "pairs whose generator is unknown",
            "skin-tone": "pairs whose talent has no skin reading"}


def _se(d: Drift, z: float) -> float | None:
    lo, hi = d.test.ci95
    if not (math.isfinite(lo) and math.isfinite(hi)) or not d.tested:
        return None
    return max((hi - lo) / (2 * z), 1e-12)


def _contrast(metric: str, a: str, da: Drift, b: str, db: Drift, z: float) -> Contrast | None:
    se_a, se_b = _se(da, z), _se(db, z)
    if se_a is None or se_b is None:
        return None
    diff = da.test.median - db.test.median
    se = math.hypot(se_a, se_b)
    return Contrast(metric, a, b, diff, (diff - z * se, diff + z * se), normal_p(diff / se))


def _pairs_to_compare(by: str, names: list[str]) -> list[tuple[str, str | None]]:
    """(group, against): against None means "the rest of the shoot"."""
    if by == "skin-tone":
        order = [g for g in (*SKIN_TONE_GROUPS, *SKIN_TONE_HALVES) if g in names]
        return [(order[-1], order[0])] if len(order) >= 2 else []
    return [(g, None) for g in names] if len(names) >= 2 else []


def group_audit(grouped: dict[str, Series], settings: AuditSettings, by: str) -> GroupAudit:
    if by not in BY:
        raise ValueError(f"cannot group by {by!r} (choose {', '.join(BY)})")
    z = z_of(settings.error_rate)
    names = sorted({k for sr in grouped.values() for k in sr.keys[by] if k})
    groups: dict[str, tuple[Drift, ...]] = {}
    for name in names:
        drifts = [measure_drift(BY_METRIC[m], sr.subset(sr.keys[by] == name), settings, settings.min_group_pairs)
                  for m, sr in grouped.items() if (sr.keys[by] == name).any()]
        groups[name] = tuple(_judge(drifts, settings))
    contrasts: list[Contrast] = []
    for metric, sr in grouped.items():
        keys = sr.keys[by]
        known = np.array([k is not None for k in keys], dtype=bool)
        for group, against in _pairs_to_compare(by, names):
            mine = keys == group
            other = (known & ~mine) if against is None else keys == against
            if mine.sum() < settings.min_group_pairs or other.sum() < settings.min_group_pairs:
                continue
            da = measure_drift(BY_METRIC[metric], sr.subset(mine), settings, settings.min_group_pairs)
            db = measure_drift(BY_METRIC[metric], sr.subset(other), settings, settings.min_group_pairs)
            found = _contrast(metric, group, da, against or "the rest", db, z)
            if found is not None:
                contrasts.append(found)
    adjusted = holm([c.p_value for c in contrasts])
    judged = tuple(
        Contrast(c.metric, c.group, c.against, c.difference, c.ci95, c.p_value, p,
                 p <= settings.error_rate
                 and abs(c.difference) >= settings.min_effect(BY_METRIC[c.metric].effect_key))
        for c, p in zip(contrasts, adjusted, strict=True))
    unknown = sum(int(sum(k is None for k in sr.keys[by])) for sr in grouped.values())
    note = f"{_UNKNOWN[by]} are left out of the groups" if unknown else ""
    return GroupAudit(by, groups, judged, note)
