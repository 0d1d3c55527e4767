"""Read a stored analysis into what the panels and views show.

Nothing here measures or judges: rows, limits and statuses come from the core's typed result
(``twinproof.core.result.rows``: every measurement described once, each flag joined to the
measurement it names), so the app shows exactly what the sheet and the CLI show. Functions
take the stored JSON (any schema the core reads) or the typed result.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QTransform

from twinproof.core import plain_words
from twinproof.core.result import DESCRIPTORS, AnalysisResult, DecodeError, Direction, Mode, Status, rows
from twinproof.core.result.codec import encode
from twinproof.core.result.types import SEVERITY_RANK as _RANK
from twinproof.core.result.yardstick import Yardstick

SEVERITY_RANK = {str(k): v for k, v in _RANK.items()}
VERDICT_RANK = {"fail": 3, "review": 2, "warn": 2, "pass": 1}

Result = dict[str, Any] | AnalysisResult | None

#: Sort keys offered in the pair list: label -> (measurement, field), one per judged or
#: headline measurement, from the core's descriptors.
SORT_KEYS: dict[str, tuple[str, str]] = {
    d.label: tuple(d.path.split(".", 1))  # type: ignore[misc]
    for d in DESCRIPTORS if d.limits is not None or d.brief
}
#: Sort keys where a *lower* value is worse.
LOWER_IS_WORSE = frozenset(d.label for d in DESCRIPTORS
                           if d.limits is not None and d.limits.direction is Direction.MIN)


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    threshold: str
    severity: str | None
    note: str = ""
    group: str = ""
    #: What the measurement means, for people (the row's tooltip).
    explanation: str = ""
    #: Greyed out: it does not apply to this pair (e.g. a pixel comparison of a new shot).
    inapplicable: bool = False
    #: The metric path under ``metrics`` (empty for rows that are not measurements).
    path: str = ""
    #: What a judged value was measured against (her portraits, the real photo...).
    against: Yardstick | None = None


_CACHE: dict[int, tuple[dict[str, Any], AnalysisResult | None]] = {}


def typed(result: Result) -> AnalysisResult | None:
    """The typed result of a stored dict (None when absent or unreadable), decoded once."""
    if result is None or isinstance(result, AnalysisResult):
        return result
    hit = _CACHE.get(id(result))
    if hit is not None and hit[0] is result:
        return hit[1]
    try:
        decoded: AnalysisResult | None = AnalysisResult.from_json(result)
    except (DecodeError, TypeError, ValueError):
        decoded = None
    if len(_CACHE) > 512:
        _CACHE.clear()
    _CACHE[id(result)] = (result, decoded)
    return decoded


def unreadable(result: Result) -> str | None:
    """Why a stored result cannot be read (a newer schema, damage), or None."""
    if result is None or isinstance(result, AnalysisResult):
        return None
    try:
        AnalysisResult.from_json(result)
    except (DecodeError, TypeError, ValueError) as exc:
        return str(exc)
    return None


def metric_value(result: Result, metric: str, field: str) -> float | None:
    r = typed(result)
    value = r.value(f"{metric}.{field}") if r is not None else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def metric_rows(result: Result) -> list[MetricRow]:
    """Every described measurement of the result, with its limits and the status of the flag
    that judges it (none for informational values)."""
    r = typed(result)
    if r is None:
        return []
    out = []
    for row in rows(r):
        missing = row.status in (Status.UNMEASURED, Status.NOT_APPLICABLE)
        severity = str(row.status) if row.status in (Status.WARN, Status.FAIL, Status.CANNOT_JUDGE) else None
        out.append(MetricRow(row.label, "not measured" if missing else row.text, row.limits, severity,
                             row.reason if missing else "; ".join(filter(None, (row.reason, row.note))), row.group,
                             row.explanation,
                             row.status is Status.NOT_APPLICABLE, row.path, row.against))
    return out


def registration_rows(result: Result) -> list[MetricRow]:
    """How the pair was compared: the mode, and the twin→real transform when there is one."""
    r = typed(result)
    if r is None:
        return []
    mode = "new shot (person to person)" if r.mode is Mode.NEW_SHOT else "same frame (registered)"
    out = [MetricRow("Compared as", mode, "", None, plain_words.mode_reason(r.analysis.mode_reason))]
    yardstick = getattr(r.metrics.face, "yardstick", None)
    if yardstick:
        out.append(MetricRow("Face judged against", yardstick.split(" (")[0], "", None, yardstick))
    # the edit in the label, which breaks between words in the wide column (in the value column,
    # as narrow as '0.76' on a new shot, 'eyes enlarged 16 %' took four lines); why on a line below
    out += [MetricRow(f"Cannot reveal: {edit}", "", "", None, blind_spot_words(why))
            for edit, _, why in (line.partition(": ") for line in r.cannot_reveal or [])]
    g = r.registration
    if g is None:
        return out
    return [
        *out,
        MetricRow("Alignment method", plain_words.method(g.method), "", None),
        MetricRow("Scale · rotation", f"{g.scale:.4g} · {g.rotation_deg:+.2f}°", "", None),
        MetricRow("Shift (px)", f"{g.shift_px[0]:+.1f}, {g.shift_px[1]:+.1f}", "", None),
    ]


#: The reference-portrait hint of a blind spot as any version wrote it: "of her" and the CLI's
#: "(`--reference`)" before the words were made neutral, neither after.
_PORTRAITS_HINT = re.compile(r"two or more reference portraits of (?:her|the talent) give a second, more sensitive "
                             r"reading(?: \(`--reference`\))?")


def blind_spot_words(why: str) -> str:
    """Why a new shot cannot reveal an edit, pointing to where the app adds portraits (the app has
    no ``--reference`` option; a man's pair must not read "portraits of her")."""
    return _PORTRAITS_HINT.sub("two or more reference portraits of the talent give a second, more sensitive "
                               "reading (Consent panel: Add portraits…)", why)


def provenance_rows(result: Result) -> list[MetricRow]:
    """The twin's Content Credentials (C2PA) as read when it was analysed: who generated it,
    with what actions, which digital source type it declares, and whether it validates."""
    r = typed(result)
    prov = r.provenance if r is not None else None
    if not isinstance(prov, dict):
        return [MetricRow("Content Credentials", "—", "", None, "read at the next analysis")]
    status = str(prov.get("status", ""))
    if status == "absent":
        return [MetricRow("Content Credentials", "none", "", None,
                          "the twin carries no C2PA manifest (the common case)")]
    if status != "present":
        return [MetricRow("Content Credentials", "not read", "", "warn", str(prov.get("detail", status)))]
    state = str(prov.get("validation_state") or "unknown")
    out = [MetricRow("Content Credentials", state, "", None if state.lower() in ("valid", "trusted") else "warn",
                     "; ".join(prov.get("issues") or [])[:300])]
    for label, key in (("Generator", "generator"), ("Software", "software_agents"),
                       ("Actions", "actions"), ("Source type", "digital_source_type"),
                       ("Signed by", "signer")):
        if prov.get(key):
            out.append(MetricRow(label, str(prov[key]), "", None, str(prov[key])))
    return out


def flags_of(result: Result) -> list[dict[str, Any]]:
    """The flags (JSON form: category, region, severity, metric, value, threshold, message,
    box), worst first."""
    r = typed(result)
    if r is None:
        return []
    flags = [encode(f) for f in r.flags]
    return sorted(flags, key=lambda f: -SEVERITY_RANK.get(f.get("severity", ""), 0))


def worst_flag(result: Result) -> dict[str, Any] | None:
    flags = flags_of(result)
    return flags[0] if flags else None


def registration_matrix(result: Result) -> QTransform | None:
    """The twin→real similarity as a QTransform (full-resolution pixels), if analysed."""
    r = typed(result)
    m = r.registration.matrix if r is not None and r.registration is not None else None
    if not (isinstance(m, list) and len(m) == 2 and all(len(row) == 3 for row in m)):
        return None
    (a, b, c), (d, e, f) = m
    # QTransform maps row vectors: x' = m11 x + m21 y + dx, y' = m12 x + m22 y + dy
    return QTransform(a, d, b, e, c, f)


def working_scale(result: Result) -> float:
    r = typed(result)
    value = r.analysis.working_scale if r is not None else None
    return float(value) if isinstance(value, float) and math.isfinite(value) and value > 0 else 1.0
