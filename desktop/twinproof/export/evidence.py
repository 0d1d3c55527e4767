"""The evidence a pair page shows, read out of the stored analysis dict.

Kept apart from the drawing so the rules are testable and shared: which metric is judged
against which policy threshold (the policy the analysis was made with, reloaded from its
source; the default when that file is gone, said so), where each flag points in the image
(an annotation linked to it, else the worst window of its map), and landmarks when the
analysis carries them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from twinproof.core.errors import PolicyError
from twinproof.core.policy import Policy, load_default_policy, load_policy, stored_policy
from twinproof.export.images import Box, apply_matrix, finite, worst_box
from twinproof.export.records import PairExport

#: (label, metric, key, policy section, warn key, fail key, "min"/"max", digits). Rows whose
#: value the analysis lacks are skipped, thresholds the policy lacks are left blank: the core
#: and the policy grow measurements over time and an export must not break on either.
METRICS: tuple[tuple[str, str, str, str, str, str, str, int], ...] = (
    ("SSIM (structure)", "ssim", "value", "structure", "ssim_warn", "ssim_fail", "min", 3),
    ("MS-SSIM", "ms_ssim", "value", "", "", "", "", 3),
    ("ΔE00 regional (colour)", "colour", "delta_e00_regional", "colour",
     "delta_e00_regional_warn", "delta_e00_regional_fail", "max", 2),
    ("ΔE00 mean", "colour", "delta_e00_mean", "colour", "delta_e00_mean_warn",
     "delta_e00_mean_fail", "max", 2),
    ("ΔE00 95th percentile", "colour", "delta_e00_p95", "", "", "", "", 2),
    ("Face NME, % of eye distance", "face", "nme.overall", "face", "nme_warn_percent",
     "nme_fail_percent", "max", 2),
    ("Skin tone ΔE00", "skin", "delta_e00", "skin", "delta_e00_warn", "delta_e00_fail", "max", 2),
    ("Skin tone |ΔITA°|", "skin", "ita_change", "skin", "ita_change_warn_deg",
     "ita_change_fail_deg", "max", 1),
    ("Skin texture ratio", "texture", "ratio", "texture", "ratio_warn", "ratio_fail", "min", 2),
    ("Garment ΔE00", "garment", "delta_e00_mean", "garment", "delta_e00_warn", "delta_e00_fail",
     "max", 2),
    ("Garment |hue shift|°", "garment", "hue_shift_deg", "garment", "hue_shift_warn_deg",
     "hue_shift_fail_deg", "max", 1),
)
#: Values shown scaled (NME is stored as a fraction, judged in percent) or as magnitudes.
SCALE = {"nme.overall": 100.0}
MAGNITUDE = frozenset({"ita_change", "hue_shift_deg"})
#: Flag category of each measurement, for the status column.
CATEGORY = {"ssim": "structure", "ms_ssim": "structure", "colour": "colour", "face": "face_shape",
            "body": "body_shape", "skin": "skin_tone", "texture": "skin_texture",
            "garment": "garment_colour"}
#: Keys tried, in order, for the headline number of other measurements.
HEADLINE = ("value", "nme_percent", "nme", "ita_change_deg", "delta_e00", "ratio",
            "change_percent", "max_change_percent", "delta_e00_mean")


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    warn: str
    fail: str
    status: str


def policy_of(result: dict[str, Any]) -> tuple[Policy, str]:
    """The policy an analysis was made with, and a note when it had to fall back.

    Results carry their thresholds (core schema 1, since this session): those are used as they
    were, even if the brand's policy file changed since. Older results re-read the file."""
    judged_by = stored_policy(result)
    if judged_by is not None:
        return judged_by, ""
    source = str((result.get("policy") or {}).get("source") or "default")
    if source == "default":
        return load_default_policy(), ""
    if Path(source).is_file():
        try:
            return load_policy(source), ""
        except PolicyError as exc:
            return load_default_policy(), f"policy {source} unreadable ({exc}); default shown"
    return load_default_policy(), f"policy file {source} not found; default thresholds shown"


def threshold(policy: Policy, section: str, key: str) -> float | None:
    try:
        value = policy.get(section, key)
    except PolicyError:
        return None
    return float(value) if finite(value) else None


def _limit(policy: Policy, section: str, key: str, op: str, pct: bool = False) -> str:
    value = threshold(policy, section, key) if section and key else None
    if value is None:
        return ""
    return f"{op} {value:.0%}" if pct else f"{op} {value:g}"


#: Flag regions that belong to their own table rows (alignment, framing, white balance).
OWN_ROWS = ("registration", "framing", "white balance")


def level(result: dict[str, Any], category: str | None, region: str | None = None,
          besides: tuple[str, ...] = ()) -> str:
    """The worst severity of a category's flags: of one region, or (None) of every region
    but those with their own row (``OWN_ROWS`` and ``besides``)."""
    own = OWN_ROWS + besides
    levels = [f.get("severity") for f in result.get("flags") or []
              if isinstance(f, dict) and f.get("category") == category
              and (f.get("region") == region if region is not None
                   else f.get("region") not in own)]
    return "fail" if "fail" in levels else "warn" if "warn" in levels else "ok"


def _path(m: dict[str, Any], key: str) -> float | None:
    value: Any = m
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return float(value) if finite(value) else None


def _headline(m: dict[str, Any]) -> tuple[str, float] | None:
    for key in HEADLINE:
        if finite(m.get(key)):
            return key, float(m[key])
    for key, value in m.items():
        if finite(value):
            return key, float(value)
    return None


def _largest_change(result: dict[str, Any], changes: Any, label: str, policy: Policy,
                    section: str, category: str) -> list[MetricRow]:
    """One row for the largest named change (eyes, lips, jaw...), judged by the flags of the
    named regions (the overall NME flag, region "face", has its own row)."""
    if not isinstance(changes, dict):
        return []
    named = [abs(float(c["percent"])) for c in changes.values()
             if isinstance(c, dict) and finite(c.get("percent"))]
    if not named:
        return []
    return [MetricRow(label, f"{max(named):.1f}", _limit(policy, section, "change_warn_percent", "≤"),
                      _limit(policy, section, "change_fail_percent", "≤"),
                      level(result, category, besides=("face",)))]


def metric_rows(result: dict[str, Any], policy: Policy) -> list[MetricRow]:
    rows: list[MetricRow] = []
    metrics = result.get("metrics") or {}
    missing: set[str] = set()
    for label, name, key, section, warn_key, fail_key, sense, digits in METRICS:
        m = metrics.get(name)
        if not isinstance(m, dict):
            continue
        if m.get("value", 0) is None and "reason" in m:
            if name not in missing:
                missing.add(name)
                rows.append(MetricRow(f"{name.replace('_', ' ')}: not measured",
                                      str(m["reason"]), "", "", ""))
            continue
        value = _path(m, key)
        if value is None:
            continue
        value = abs(value) if key in MAGNITUDE else value * SCALE.get(key, 1.0)
        op = "≥" if sense == "min" else "≤"
        warn, fail = _limit(policy, section, warn_key, op), _limit(policy, section, fail_key, op)
        judged = bool(warn or fail)  # a value the policy does not judge gets no status
        # NME has its own flag (region "face"); the named changes get the next row
        region = "face" if key == "nme.overall" else None
        rows.append(MetricRow(label, f"{value:.{digits}f}", warn, fail,
                              level(result, CATEGORY.get(name), region) if judged else ""))
        if key == "nme.overall":
            rows.extend(_largest_change(result, m.get("changes"), "Face shape change, max %",
                                        policy, "face", "face_shape"))
    body = metrics.get("body")
    widths = body.get("widths") if isinstance(body, dict) else None
    if isinstance(widths, dict):
        pct = [abs(float(w["percent"])) for w in widths.values()
               if isinstance(w, dict) and finite(w.get("percent"))]
        if pct:
            rows.append(MetricRow("Body width change, max %", f"{max(pct):.1f}",
                                  _limit(policy, "body", "change_warn_percent", "≤"),
                                  _limit(policy, "body", "change_fail_percent", "≤"),
                                  level(result, "body_shape")))
    colour = metrics.get("colour")
    cast = colour.get("cast") if isinstance(colour, dict) else None
    if isinstance(cast, dict) and finite(cast.get("magnitude")):
        rows.append(MetricRow("Colour cast |Δa*b*|", f"{float(cast['magnitude']):.2f}",
                              _limit(policy, "colour", "cast_warn", "≤"),
                              _limit(policy, "colour", "cast_fail", "≤"),
                              level(result, "colour", "white balance")))
    reg = result.get("registration") or {}
    if finite(reg.get("confidence")):
        rows.append(MetricRow("Alignment confidence", f"{float(reg['confidence']):.2f}",
                              _limit(policy, "registration", "min_confidence", "≥"), "",
                              level(result, "structure", "registration")))
    if finite(reg.get("overlap_fraction")):
        rows.append(MetricRow("Twin covers real frame", f"{float(reg['overlap_fraction']):.0%}",
                              _limit(policy, "registration", "min_overlap_warn", "≥", True), "",
                              level(result, "structure", "framing")))
    known = {m[1] for m in METRICS} | {"landmarks", "body"}
    for name, m in metrics.items():  # measurements added by later steps (face, body, skin...)
        if name in known or not isinstance(m, dict):
            continue
        if m.get("value", 0) is None:
            rows.append(MetricRow(name.replace("_", " "), "not measured", "", "", ""))
            continue
        found = _headline(m)
        if found:
            key, value = found
            label = name.replace("_", " ") + ("" if key == "value" else f" ({key.replace('_', ' ')})")
            rows.append(MetricRow(label, f"{value:.3g}", "", "", level(result, CATEGORY.get(name, name))))
    return rows


@dataclass(frozen=True)
class Region:
    label: str
    caption: str
    box: Box
    colour: str


def regions(item: PairExport, maps: dict[str, np.ndarray] | None,
            size: tuple[int, int]) -> list[Region]:
    """Every annotated region (numbered like the marks), then every flag that can be located."""
    from twinproof.review.geometry import bounds

    out: list[Region] = []
    for i, a in enumerate(item.annotations, 1):
        text = a.text.strip() or a.kind
        out.append(Region(f"#{i}", text, bounds(a.kind, a.geometry), a.colour))
    for j, f in enumerate(item.flags, 1):
        cat, region = f.get("category"), f.get("region")
        linked = [a for a in item.annotations
                  if a.flag_category == cat and (a.flag_region in (None, region))]
        caption = f"{cat}/{region}: {f.get('message', '')}"
        if linked:
            a = linked[0]
            out.append(Region(f"F{j}", caption, bounds(a.kind, a.geometry), "#d70015"))
            continue
        own = f.get("box")
        found = ((float(own[0]), float(own[1]), float(own[2]), float(own[3]))
                 if isinstance(own, list) and len(own) == 4 else landmark_box(item.result, str(cat), str(region)))
        if found is not None:
            out.append(Region(f"F{j}", caption, found, "#d70015"))
            continue
        kind = "ssim" if cat == "structure" else "delta_e" if "colour" in str(cat) else None
        if region in ("registration", "framing") or not maps or kind not in maps:
            continue
        box = worst_box(maps[kind], size, highest=kind == "delta_e")
        if box:
            what = "lowest SSIM" if kind == "ssim" else "largest ΔE00"
            out.append(Region(f"F{j}", f"{caption} ({what} area)", box, "#d70015"))
    return out


#: Words in a face flag's region -> the mesh regions to frame (core topology names).
FACE_WORDS = (("brow", ("right_eyebrow", "left_eyebrow")), ("eye", ("right_eye", "left_eye")),
              ("lip", ("lips_outer",)), ("mouth", ("lips_outer",)), ("nose", ("nose",)))


def landmark_box(result: dict[str, Any], category: str, region: str) -> Box | None:
    """Where a face, skin or body flag points, from the stored real-image landmarks."""
    lm = (result.get("metrics") or {}).get("landmarks")
    real = lm.get("real") if isinstance(lm, dict) else None
    if not isinstance(real, dict):
        return None
    key = "body_points" if category == "body_shape" else "face_points"
    if category not in ("face_shape", "skin_tone", "skin_texture", "body_shape"):
        return None
    pts = np.asarray([p[:2] for p in real.get(key) or [] if isinstance(p, list) and len(p) >= 2],
                     dtype=np.float64)
    if pts.size == 0 or not np.isfinite(pts).all():
        return None
    if category == "face_shape":
        from twinproof.core.landmarks.topology import FACE_REGIONS

        words = region.lower()
        for word, names in FACE_WORDS:
            if word in words:
                sides = [n for n in names if n.split("_")[0] in words] or list(names)
                idx = [i for n in sides for i in FACE_REGIONS[n] if i < len(pts)]
                if idx:
                    pts = pts[idx]
                break
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def face_meshes(result: dict[str, Any]) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """The real face mesh and where the measurement found each of its points in the twin (the
    tracked points the face metrics use, in real-image pixels), or empty lists."""
    def table(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}

    metrics = table(result.get("metrics"))
    lm = table(metrics.get("landmarks"))
    real = table(lm.get("real")).get("face_points") or []
    twin = table(metrics.get("face")).get("twin_points") or table(lm.get("twin")).get("face_points") or []

    def pts(raw: Any) -> list[tuple[float, float]]:
        return [(float(p[0]), float(p[1])) if isinstance(p, list | tuple) and len(p) >= 2
                and finite(p[0]) and finite(p[1]) else (math.nan, math.nan) for p in raw]

    r, t = pts(real), pts(twin)
    return (r, t) if len(r) >= 468 and len(t) == len(r) else ([], [])


def twin_face_count(result: dict[str, Any]) -> int:
    """How many of ``landmark_points``' twin points are the twin model's face mesh."""
    lm = (result.get("metrics") or {}).get("landmarks")
    twin = lm.get("twin") if isinstance(lm, dict) else None
    return len(twin.get("face_points") or []) if isinstance(twin, dict) else 0


def landmark_points(result: dict[str, Any], matrix: np.ndarray | None
                    ) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Face/body points of the real and the twin, both in real-image pixels, if stored.

    Read from the core's ``metrics.landmarks`` (``face_points``/``body_points``, the twin's
    already mapped into the real frame); an older ``landmarks`` block with twin-file points
    is mapped through ``matrix``.
    """
    lm = (result.get("metrics") or {}).get("landmarks")
    mapped = True
    if not isinstance(lm, dict) or "real" not in lm:
        lm, mapped = result.get("landmarks"), False
    if not isinstance(lm, dict):
        return [], []

    def points(side: str) -> list[tuple[float, float]]:
        data = lm.get(side)
        if not isinstance(data, dict):
            return []
        raw: list[Any] = list(data.get("face_points") or []) + list(data.get("body_points") or [])
        face, body = data.get("face"), data.get("body")
        if isinstance(face, dict):
            raw += face.get("points") or []
        if isinstance(body, dict):
            raw += [[p.get("x"), p.get("y")] for p in body.get("landmarks") or [] if isinstance(p, dict)]
        return [(float(p[0]), float(p[1])) for p in raw
                if isinstance(p, list | tuple) and len(p) >= 2 and finite(p[0]) and finite(p[1])]

    twin = points("twin")
    if not mapped and matrix is not None:
        twin = [apply_matrix(matrix, x, y) for x, y in twin]
    return points("real"), twin
