"""Face-mesh and body-skeleton points of a stored analysis, for the landmark overlay.

Read from the typed result (``metrics.landmarks``, with the face and body measurements' own
``twin_points``); all points are in real-image pixels, the twin's mapped by the core.
Absent points draw nothing."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

from twinproof.core.landmarks.topology import FACE_OUTLINE_EDGES as FACE_EDGES
from twinproof.core.landmarks.topology import FACE_OUTLINE_POINTS, FACE_REGIONS, POSE_CONNECTIONS
from twinproof.core.result import Mode
from twinproof.core.result.measurements import Body, Face, Landmarks
from twinproof.gui.evidence import Result, typed

# the head's pose points (0-10) are left unjoined: the face mesh shows the face far better
POSE_EDGES: tuple[tuple[int, int], ...] = tuple(sorted(e for e in POSE_CONNECTIONS if min(e) > 10))

#: Flag regions (face steps) -> face-mesh regions whose points show where the flag is.
MESH_REGIONS: dict[str, tuple[str, ...]] = {
    "eyes": ("right_eye", "left_eye"), "irises": ("right_eye", "left_eye"),
    "brows": ("right_eyebrow", "left_eyebrow"), "nose": ("nose",), "lips": ("lips_outer",),
    "jaw": ("face_oval",), "face": ("face_oval",), "face_length": ("face_oval",),
}

@dataclass(frozen=True)
class LandmarkSet:
    name: str
    real: list[QPointF]
    twin: list[QPointF]
    #: True when the twin's points are already in real-image pixels (mapped by the core).
    twin_in_real: bool = False
    #: Point-index pairs to join (the body skeleton, the face's outlines), empty for a cloud.
    edges: tuple[tuple[int, int], ...] = ()
    #: The points drawn as dots and drift lines (empty: every point).
    shown: tuple[int, ...] = ()


def landmark_sets(result: Result) -> list[LandmarkSet]:
    """The face and body points of both images from the typed result, in real-image pixels.

    The twin side prefers the measurement's own ``twin_points`` (``face``/``body``): where each
    *real* point is in the twin by the method the numbers came from (optical-flow tracking).
    The twin model's own estimate can wander on an unchanged twin (hidden elbows moved 30 px),
    which would draw a change that is not there."""
    r = typed(result)
    lm = r.metrics.landmarks if r is not None else None
    if r is None or not isinstance(lm, Landmarks):
        return []
    out = []
    for name, edges in (("face", FACE_EDGES), ("body", POSE_EDGES)):
        real_pts = _points(lm.real.face_points if name == "face" else lm.real.body_points)
        twin_pts = _points(lm.twin.face_points if name == "face" else lm.twin.body_points)
        measured = r.metrics.face if name == "face" else r.metrics.body
        tracked = _points(measured.twin_points) if isinstance(measured, Face | Body) else []
        if tracked and len(tracked) == len(real_pts):
            twin_pts = tracked
            if name == "body":  # tracked points follow the real ones: the real's visibility
                real_pts = _visible(real_pts, lm.real.body_visibility)
                twin_pts = _visible(twin_pts, lm.real.body_visibility)
        elif name == "body":
            real_pts = _visible(real_pts, lm.real.body_visibility)
            twin_pts = _visible(twin_pts, lm.twin.body_visibility)
        if real_pts or twin_pts:
            outline = len(real_pts) >= 468 and name == "face"
            # a new shot's twin points are in the twin's own pixels (there is no registration)
            out.append(LandmarkSet(name, real_pts, twin_pts, r.mode is Mode.SAME_FRAME,
                                   edges if outline or name == "body" else (),
                                   FACE_OUTLINE_POINTS if outline else ()))
    return out


def _visible(points: list[QPointF], visibility: list[float] | None, limit: float = 0.5) -> list[QPointF]:
    """Hide body points the model itself thinks are out of sight (legs below the frame).

    Hidden points become NaN so indices (and the skeleton's edges) stay aligned.
    """
    if visibility is None or len(visibility) != len(points):
        return points
    nan = float("nan")
    return [p if v >= limit else QPointF(nan, nan) for p, v in zip(points, visibility, strict=True)]


def _points(value: list[list[float]] | None) -> list[QPointF]:
    return [QPointF(float(p[0]), float(p[1])) for p in value or [] if len(p) >= 2]


def region_box(result: Result, category: str, region: str) -> QRectF | None:
    """Where a flag without a box of its own is, in real-image pixels: the landmarks of its
    region (a face flag's mesh region, a body or garment flag's skeleton), padded."""
    sets = {s.name: s for s in landmark_sets(result)}
    points: list[QPointF] = []
    if category.startswith(("face", "skin")) and "face" in sets:
        mesh = sets["face"].real
        names = MESH_REGIONS.get(region, ("face_oval",))
        indices = [i for n in names for i in FACE_REGIONS.get(n, ())]
        points = [mesh[i] for i in indices if i < len(mesh)] or mesh
    elif category.startswith(("body", "garment")) and "body" in sets:
        points = sets["body"].real
    points = [p for p in points if math.isfinite(p.x()) and math.isfinite(p.y())]
    if len(points) < 2:
        return None
    xs, ys = [p.x() for p in points], [p.y() for p in points]
    rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    pad = max(rect.width(), rect.height()) * 0.35 + 8
    return rect.adjusted(-pad, -pad, pad, pad)
