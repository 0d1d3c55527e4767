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

from twinproof.core.errors import PolicyError
from twinproof.core.policy import Policy, load_policy, stored_policy

SEVERITY_RANK = {"fail": 2, "warn": 1}
VERDICT_RANK = {"fail": 3, "review": 2, "warn": 2, "pass": 1}

Limit = tuple[str, str, str, str, float]  # policy section, warn key, fail key, "min"/"max"/"abs", display factor

#: (group, dotted path with optional {k} wildcard, label, limit or None for informational)
KNOWN_ROWS: tuple[tuple[str, str, str, Limit | None], ...] = (
    ("Structure", "ssim.value", "SSIM", ("structure", "ssim_warn", "ssim_fail", "min", 1)),
    ("Structure", "ms_ssim.value", "MS-SSIM (5 scales)", None),
    ("Colour", "colour.delta_e00_regional", "ΔE00 regional",
     ("colour", "delta_e00_regional_warn", "delta_e00_regional_fail", "max", 1)),
    ("Colour", "colour.delta_e00_mean", "ΔE00 mean", None),
    ("Colour", "colour.delta_e00_p95", "ΔE00 95th percentile", None),
    ("Colour", "colour.cast.magnitude", "White-balance cast", ("colour", "cast_warn", "cast_fail", "max", 1)),
    ("Face", "face.nme.{k}", "NME {k} %",
     ("face", "nme_warn_percent", "nme_fail_percent", "max", 100)),
    ("Face", "face.changes.{k}.percent", "{k} change %",
     ("face", "change_warn_percent", "change_fail_percent", "abs", 1)),
    ("Body (change %)", "body.proportions.{k}.percent", "{k}",
     ("body", "change_warn_percent", "change_fail_percent", "abs", 1)),
    ("Body (change %)", "body.widths.{k}.percent", "{k} width",
     ("body", "change_warn_percent", "change_fail_percent", "abs", 1)),
    ("Skin", "skin.ita_change", "Skin tone change (ITA°)",
     ("skin", "ita_change_warn_deg", "ita_change_fail_deg", "abs", 1)),
    ("Skin", "skin.delta_e00", "Skin ΔE00", ("skin", "delta_e00_warn", "delta_e00_fail", "max", 1)),
    ("Skin", "texture.ratio", "Skin texture ratio", ("texture", "ratio_warn", "ratio_fail", "min", 1)),
    ("Garment", "garment.delta_e00_mean", "Garment ΔE00 mean",
     ("garment", "delta_e00_warn", "delta_e00_fail", "max", 1)),
    ("Garment", "garment.hue_shift_deg", "Garment hue shift (°)",
     ("garment", "hue_shift_warn_deg", "hue_shift_fail_deg", "abs", 1)),
)
SKIP = frozenset({"landmarks"})

#: Sort keys offered in the pair list: label -> (metric, field).
SORT_KEYS: dict[str, tuple[str, str]] = {
    "SSIM": ("ssim", "value"), "MS-SSIM": ("ms_ssim", "value"),
    "ΔE00 regional": ("colour", "delta_e00_regional"), "ΔE00 mean": ("colour", "delta_e00_mean"),
    "Colour cast": ("colour", "cast.magnitude"), "Face NME": ("face", "nme.overall"),
    "Skin tone change": ("skin", "ita_change"), "Skin texture": ("texture", "ratio"),
    "Garment ΔE00": ("garment", "delta_e00_mean"), "Garment hue shift": ("garment", "hue_shift_deg"),
    "ΔE00 95th percentile": ("colour", "delta_e00_p95"), "Skin ΔE00": ("skin", "delta_e00"),
    # the named face and body changes (signed %: sorted by size, either way)
    **{f"Face: {n.replace('_', ' ')} change": ("face", f"changes.{n}.percent")
       for n in ("eyes", "lips", "jaw", "nose", "brows", "face_length", "irises")},
    **{f"Body: {n.replace('_', ' ')}": ("body", f"proportions.{n}.percent")
       for n in ("shoulder_to_hip", "torso_to_leg", "arm_to_torso", "shoulder_to_head")},
    **{f"Body: {n} width": ("body", f"widths.{n}.percent")
       for n in ("chest", "waist", "hips", "thighs")},
}
#: Sort keys where a *lower* value is worse.
LOWER_IS_WORSE = frozenset({"SSIM", "MS-SSIM", "Skin texture"})


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    threshold: str
    severity: str | None
    note: str = ""
    group: str = ""


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


def _limit_text(policy: Policy, limit: Limit | None) -> str:
    if limit is None:
        return "informational"
    section, warn, fail, direction, _factor = limit
    try:
        w, f = policy.number(section, warn), policy.number(section, fail)
    except (KeyError, ValueError, TypeError, PolicyError):
        return "—"
    sign = {"min": "<", "max": ">", "abs": "±"}[direction]
    return f"{sign}{w:g} / {sign}{f:g}"


def _severity(flags: list[dict[str, Any]], value: float) -> str | None:
    """The flag that judged this value (a flag carries the value it found), if any."""
    worst = None
    for f in flags:
        fv = f.get("value")
        if isinstance(fv, int | float) and math.isclose(float(fv), value, rel_tol=2e-3, abs_tol=2e-4):
            sev = f.get("severity")
            if SEVERITY_RANK.get(str(sev), 0) > SEVERITY_RANK.get(worst or "", 0):
                worst = str(sev)
    return worst


def _expand(metrics: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """Concrete paths for a ``{k}`` wildcard (each key of the dict at that point)."""
    if "{k}" not in path:
        return [(path, "")]
    head, tail = path.split("{k}", 1)
    parent = dig(metrics, head.rstrip("."))
    if not isinstance(parent, dict):
        return []
    return [(f"{head}{k}{tail}", k) for k in parent]


def policy_of(result: dict[str, Any]) -> Policy:
    """The policy the analysis was judged by (its thresholds travel with the result), so a
    brand's stricter limits show as such; older results without them fall back to the default."""
    return stored_policy(result) or load_policy()


def metric_rows(result: dict[str, Any], policy: Policy | None = None) -> list[MetricRow]:
    """Every measurement in the dict, known ones with their policy limits, others as found."""
    policy = policy or policy_of(result)
    metrics: dict[str, Any] = result.get("metrics") or {}
    flags = list(result.get("flags") or [])
    rows: list[MetricRow] = []
    known = {p.split(".", 1)[0] for _g, p, _l, _lim in KNOWN_ROWS}
    for group, pattern, label, limit in KNOWN_ROWS:
        for path, key in _expand(metrics, pattern):
            name = label.replace("{k}", key.replace("_", " "))
            holder = dig(metrics, path.rsplit(".", 1)[0]) if "." in path else None
            value = dig(metrics, path)
            if value is None and isinstance(holder, dict) and holder.get("reason"):
                rows.append(MetricRow(name, "not measured", "", None, str(holder["reason"]), group))
                continue
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            shown = float(value) * (limit[4] if limit else 1)
            note = str(holder.get("text", "")) if isinstance(holder, dict) else ""
            rows.append(MetricRow(name, _fmt(shown), _limit_text(policy, limit),
                                  _severity(flags, float(value)) or _severity(flags, shown), note, group))
    for name, data in metrics.items():
        if name in known or name in SKIP or not isinstance(data, dict):
            continue
        if data.get("value", 0) is None and "reason" in data:
            rows.append(MetricRow(name, "not measured", "", None, str(data["reason"]), name.title()))
            continue
        for key, value in data.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                rows.append(MetricRow(f"{name}: {key}", _fmt(value), "—", None, "", name.title()))
    for name in known:
        data = metrics.get(name)
        if isinstance(data, dict) and data.get("value", 0) is None and data.get("reason"):
            rows.append(MetricRow(name, "not measured", "", None, str(data["reason"]), name.title()))
    return rows


def registration_rows(result: dict[str, Any], policy: Policy | None = None) -> list[MetricRow]:
    policy = policy or policy_of(result)
    reg = result.get("registration") or {}
    if not reg:
        return []
    conf = _limit_text(policy, ("registration", "min_confidence", "min_confidence", "min", 1))
    overlap = _limit_text(policy, ("registration", "min_overlap_warn", "min_overlap_warn", "min", 1))
    return [
        MetricRow("Alignment method", str(reg.get("method", "")), "", None),
        MetricRow("Scale · rotation",
                  f"{reg.get('scale', 1):.4g} · {reg.get('rotation_deg', 0):+.2f}°", "", None),
        MetricRow("Shift (px)", _fmt(reg.get("shift_px", [0, 0])), "", None),
        MetricRow("Confidence", _fmt(reg.get("confidence")), conf.split(" / ")[0], None),
        MetricRow("Overlap", _fmt(reg.get("overlap_fraction")), overlap.split(" / ")[0], None),
    ]


def provenance_rows(result: dict[str, Any]) -> list[MetricRow]:
    """The twin's Content Credentials (C2PA) as read when it was analysed: who generated it,
    with what actions, which digital source type it declares, and whether it validates."""
    prov = result.get("provenance")
    if not isinstance(prov, dict):
        return [MetricRow("Content Credentials", "—", "", None, "read at the next analysis")]
    status = str(prov.get("status", ""))
    if status == "absent":
        return [MetricRow("Content Credentials", "none", "", None,
                          "the twin carries no C2PA manifest (the common case)")]
    if status != "present":
        return [MetricRow("Content Credentials", "not read", "", "warn", str(prov.get("detail", status)))]
    state = str(prov.get("validation_state") or "unknown")
    rows = [MetricRow("Content Credentials", state, "", None if state.lower() in ("valid", "trusted") else "warn",
                      "; ".join(prov.get("issues") or [])[:300])]
    for label, key in (("Generator", "generator"), ("Software", "software_agents"),
                       ("Actions", "actions"), ("Source type", "digital_source_type"),
                       ("Signed by", "signer")):
        if prov.get(key):
            rows.append(MetricRow(label, str(prov[key]), "", None, str(prov[key])))
    return rows


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
