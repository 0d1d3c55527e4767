"""Read a stored analysis (``PairAnalysis.to_dict()``) into what the panels and views show.

Nothing here measures: values, flags and the registration come from the core's dict as the
review store keeps it. The one thing added is *where* each value's limit lives in the policy,
so the metrics panel can print the threshold beside the value (the dict reports thresholds
only for values that raised a flag).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QTransform

from twinproof.core.policy import Policy, load_policy

SEVERITY_RANK = {"fail": 2, "warn": 1}
VERDICT_RANK = {"fail": 3, "review": 2, "warn": 2, "pass": 1}

# (metric, field, label, policy section, warn key, fail key, direction "min"/"max" or "")
KNOWN_ROWS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("ssim", "value", "SSIM (structure)", "structure", "ssim_warn", "ssim_fail", "min"),
    ("ms_ssim", "value", "MS-SSIM (structure, 5 scales)", "", "", "", ""),
    ("colour", "delta_e00_mean", "ΔE00 mean (colour)", "colour", "delta_e00_mean_warn",
     "delta_e00_mean_fail", "max"),
    ("colour", "delta_e00_p95", "ΔE00 95th percentile", "", "", "", ""),
    ("colour", "cast.magnitude", "White-balance cast (Δa*b*)", "colour", "cast_warn", "cast_fail", "max"),
)

#: Sort keys offered in the pair list: label -> (metric, field).
SORT_KEYS: dict[str, tuple[str, str]] = {
    "SSIM": ("ssim", "value"), "MS-SSIM": ("ms_ssim", "value"),
    "ΔE00 mean": ("colour", "delta_e00_mean"), "ΔE00 p95": ("colour", "delta_e00_p95"),
    "Colour cast": ("colour", "cast.magnitude"),
}


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    threshold: str
    severity: str | None
    note: str = ""


def dig(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def metric_value(result: dict[str, Any] | None, metric: str, field: str) -> float | None:
    value = dig((result or {}).get("metrics", {}), f"{metric}.{field}")
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_fmt(v) for v in value)
    return str(value)


def _threshold(policy: Policy, section: str, warn: str, fail: str, direction: str) -> str:
    if not section:
        return "informational"
    try:
        w, f = policy.number(section, warn), policy.number(section, fail)
    except (KeyError, ValueError, TypeError):
        return "—"
    sign = "<" if direction == "min" else ">"
    return f"warn {sign} {w:g} · fail {sign} {f:g}"


def _flag_for(flags: list[dict[str, Any]], section: str, metric: str) -> str | None:
    worst = None
    for f in flags:
        cat, region = f.get("category"), f.get("region")
        hit = (section == "structure" and cat == "structure" and region == "image") or (
            metric == "colour" and cat == "colour" and section == "colour")
        if hit and SEVERITY_RANK.get(f.get("severity", ""), 0) > SEVERITY_RANK.get(worst or "", 0):
            worst = f.get("severity")
    return worst


def metric_rows(result: dict[str, Any], policy: Policy | None = None) -> list[MetricRow]:
    """Every measurement in the dict, known ones with their policy limits, others as found."""
    policy = policy or load_policy()
    metrics: dict[str, Any] = result.get("metrics") or {}
    flags = list(result.get("flags") or [])
    rows: list[MetricRow] = []
    shown: set[str] = set()
    for metric, field, label, section, warn, fail, direction in KNOWN_ROWS:
        data = metrics.get(metric)
        if data is None:
            continue
        shown.add(metric)
        if data.get("value", 0) is None:
            rows.append(MetricRow(label, "not measured", "", None, str(data.get("reason", ""))))
            continue
        value = dig(data, field)
        if value is None:
            continue
        rows.append(MetricRow(label, _fmt(value), _threshold(policy, section, warn, fail, direction),
                              _flag_for(flags, section, metric) if section else None))
    for name, data in metrics.items():
        if name in shown or not isinstance(data, dict):
            continue
        if data.get("value", 0) is None and "reason" in data:
            rows.append(MetricRow(name, "not measured", "", None, str(data["reason"])))
            continue
        for key, value in data.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append(MetricRow(f"{name}: {key}", _fmt(value), "—", None))
    return rows


def registration_rows(result: dict[str, Any], policy: Policy | None = None) -> list[MetricRow]:
    policy = policy or load_policy()
    reg = result.get("registration") or {}
    if not reg:
        return []
    conf = _threshold(policy, "registration", "min_confidence", "min_confidence", "min")
    return [
        MetricRow("Alignment method", str(reg.get("method", "")), "", None),
        MetricRow("Scale · rotation",
                  f"{reg.get('scale', 1):.4g} · {reg.get('rotation_deg', 0):+.2f}°", "", None),
        MetricRow("Shift (px)", _fmt(reg.get("shift_px", [0, 0])), "", None),
        MetricRow("Confidence", _fmt(reg.get("confidence")), conf.split(" · ")[0], None),
        MetricRow("Overlap", _fmt(reg.get("overlap_fraction")),
                  _threshold(policy, "registration", "min_overlap_warn", "min_overlap_warn",
                             "min").split(" · ")[0], None),
    ]


def flags_of(result: dict[str, Any] | None) -> list[dict[str, Any]]:
    flags = list((result or {}).get("flags") or [])
    return sorted(flags, key=lambda f: -SEVERITY_RANK.get(f.get("severity", ""), 0))


def worst_flag(result: dict[str, Any] | None) -> dict[str, Any] | None:
    flags = flags_of(result)
    return flags[0] if flags else None


def registration_matrix(result: dict[str, Any] | None) -> QTransform | None:
    """The twin→real similarity as a QTransform (full-resolution pixels), if analysed."""
    m = dig(result or {}, "registration.matrix")
    if not (isinstance(m, list) and len(m) == 2 and all(len(r) == 3 for r in m)):
        return None
    (a, b, c), (d, e, f) = m
    # QTransform maps row vectors: x' = m11 x + m21 y + dx, y' = m12 x + m22 y + dy
    return QTransform(a, d, b, e, c, f)


def working_scale(result: dict[str, Any] | None) -> float:
    value = dig(result or {}, "analysis.working_scale")
    return float(value) if isinstance(value, int | float) and value > 0 else 1.0
