"""The evidence a pair page shows, read from the typed analysis result.

Kept apart from the drawing so the rules are testable and shared. Which measurement is judged
against which limit, and which row a flag turns warn/fail, is the core's (``core.result.rows``:
a flag names the measurement it judges); this module chooses the sheet's compact set of rows,
says where each flag points in the image (an annotation linked to it, its own box, else the
worst window of its map), and reads the landmarks for the overlay panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from twinproof.core.errors import PolicyError
from twinproof.core.policy import Policy, load_default_policy, load_policy, stored_policy
from twinproof.core.result import AnalysisResult, Category, Mode, Status, rows
from twinproof.core.result.measurements import Body, Face, Landmarks
from twinproof.core.result.words import flag_line
from twinproof.export.images import Box, worst_box
from twinproof.export.records import PairExport

#: How the sheet and the CSV write each status: a value with no limits says it is not judged
#: (a blank cell read as "fine"); one whose uncertainty is wider than its fail limit cannot be.
STATUS_WORDS = {Status.OK: "ok", Status.WARN: "warn", Status.FAIL: "fail", Status.INFO: "not judged",
                Status.UNMEASURED: "not measured", Status.NOT_APPLICABLE: "n/a", Status.CANNOT_JUDGE: "cannot judge"}


@dataclass(frozen=True)
class MetricRow:
    label: str
    value: str
    limits: str
    status: str
    #: Why it was not measured (or does not apply), in full.
    reason: str = ""
    #: What the value was judged against, short ("her 4 portraits"); "" when not judged.
    against: str = ""


def policy_of(result: dict[str, Any]) -> tuple[Policy, str]:
    """The policy an analysis was made with, and a note when it had to fall back.

    Results carry their thresholds (since core schema 1): those are used as they were, even if
    the brand's policy file changed since. Older results re-read the file."""
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


def metric_rows(result: AnalysisResult | None) -> list[MetricRow]:
    """The sheet's table: the headline measurements, every one a flag judges (coloured by that
    flag, and only that row), and what could not be measured or does not apply."""
    if result is None:
        return []
    return [MetricRow(r.label, "—" if r.value is None else r.text, r.limits, STATUS_WORDS[r.status], r.reason,
                      r.against.short if r.against is not None and r.value is not None else "")
            for r in rows(result, brief=True)]


@dataclass(frozen=True)
class Region:
    label: str
    caption: str
    box: Box
    colour: str


def regions(item: PairExport, maps: dict[str, np.ndarray] | None,
            size: tuple[int, int]) -> list[Region]:
    """Every annotated region (numbered like the marks), then every flag that can be located."""
    from twinproof.review.flag_links import annotations_on
    from twinproof.review.geometry import bounds

    out: list[Region] = []
    for i, a in enumerate(item.annotations, 1):
        text = a.text.strip() or a.kind
        out.append(Region(f"#{i}", text, bounds(a.kind, a.geometry), a.colour))
    result = item.analysis_result
    for j, f in enumerate(result.flags if result else [], 1):
        linked = annotations_on(f.metric, item.annotations) if f.metric else []
        caption = flag_line(f, severity=False, metric=False)
        if linked:
            a = linked[0]
            out.append(Region(f"F{j}", caption, bounds(a.kind, a.geometry), "#d70015"))
            continue
        found = f.box or landmark_box(result, f.category, f.region)
        if found is not None:
            out.append(Region(f"F{j}", caption, found, "#d70015"))
            continue
        kind = {Category.STRUCTURE: "ssim", Category.COLOUR: "delta_e"}.get(f.category)
        if kind is None or not maps or kind not in maps:
            continue
        box = worst_box(maps[kind], size, highest=kind == "delta_e")
        if box:
            what = "lowest SSIM" if kind == "ssim" else "largest ΔE00"
            out.append(Region(f"F{j}", f"{caption} ({what} area)", box, "#d70015"))
    return out


#: Words in a face flag's region -> the mesh regions to frame (core topology names).
FACE_WORDS = (("brow", ("right_eyebrow", "left_eyebrow")), ("eye", ("right_eye", "left_eye")),
              ("iris", ("right_eye", "left_eye")), ("lip", ("lips_outer",)), ("nose", ("nose",)))


def landmark_box(result: AnalysisResult | None, category: str, region: str) -> Box | None:
    """Where a face, skin or body flag points, from the stored real-image landmarks."""
    lm = result.metrics.landmarks if result is not None else None
    if not isinstance(lm, Landmarks):
        return None
    if category not in (Category.FACE_SHAPE, Category.SKIN_TONE, Category.SKIN_TEXTURE, Category.BODY_SHAPE):
        return None
    raw = lm.real.body_points if category == Category.BODY_SHAPE else lm.real.face_points
    pts = np.asarray([p[:2] for p in raw or []], dtype=np.float64)
    if pts.size == 0 or not np.isfinite(pts).all():
        return None
    if category == Category.FACE_SHAPE:
        from twinproof.core.landmarks.topology import FACE_REGIONS

        for word, names in FACE_WORDS:
            if word in region.lower():
                idx = [i for n in names for i in FACE_REGIONS[n] if i < len(pts)]
                if idx:
                    pts = pts[idx]
                break
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


Points = list[tuple[float, float]]


def _pts(raw: list[list[float]] | None) -> Points:
    return [(float(p[0]), float(p[1])) if len(p) >= 2 and math.isfinite(p[0]) and math.isfinite(p[1])
            else (math.nan, math.nan) for p in raw or []]


def face_meshes(result: AnalysisResult | None) -> tuple[Points, Points]:
    """The real face mesh and where the measurement found each of its points in the twin (the
    tracked points the face metrics use, in real-image pixels), or empty lists."""
    lm = result.metrics.landmarks if result is not None else None
    if result is None or not isinstance(lm, Landmarks):
        return [], []
    face = result.metrics.face
    real = _pts(lm.real.face_points)
    twin = _pts(face.twin_points if isinstance(face, Face) else lm.twin.face_points)
    if len(real) >= 468 and result.mode is Mode.NEW_SHOT:
        return real, []  # a new shot's twin points are in its own frame, not the real's
    return (real, twin) if len(real) >= 468 and len(twin) == len(real) else ([], [])


def body_points(result: AnalysisResult | None) -> tuple[Points, Points]:
    """The real body landmarks the model saw, and where the measurement found them in the twin."""
    lm = result.metrics.landmarks if result is not None else None
    if result is None or not isinstance(lm, Landmarks):
        return [], []
    body = result.metrics.body
    real = _pts(lm.real.body_points)
    twin = _pts(body.twin_points if isinstance(body, Body) else lm.twin.body_points)
    seen = lm.real.body_visibility or [1.0] * len(real)
    keep = [i for i, v in enumerate(seen) if v >= 0.5 and i < len(real)]
    return [real[i] for i in keep], [twin[i] for i in keep if i < len(twin)]
