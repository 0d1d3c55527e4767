"""Find face-mesh and body-skeleton points in a stored analysis, whatever step wrote them.

The landmark steps are being added to the core in parallel; their dict layout may still
move, so this reader is deliberately tolerant. It looks, under ``result["landmarks"]`` and
under ``result["metrics"][name]`` for ``name`` in ("face", "body", ...), for a ``real`` and a
``twin`` entry holding points as ``[[x, y(, z)], ...]``, as ``{"points": [...]}``, as the core's
``ImageLandmarks.to_dict()`` (``{"face": {"points": ...}, "body": {"landmarks": [{x, y}...]}}``)
or as a list of ``{"x": .., "y": ..}``. Real points are in real-image pixels; twin points in the
twin's own pixels (mapped through the registration when drawn) unless the core already mapped
them (``metrics["landmarks"]``: ``face_points``/``body_points``, "coordinates" says real-image
pixels). Absent points draw nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF

try:
    from twinproof.core.landmarks.topology import FACE_OUTLINE_EDGES as FACE_EDGES
    from twinproof.core.landmarks.topology import FACE_OUTLINE_POINTS, FACE_REGIONS, POSE_CONNECTIONS

    # the head's pose points (0-10) are left unjoined: the face mesh shows the face far better
    POSE_EDGES: tuple[tuple[int, int], ...] = tuple(sorted(e for e in POSE_CONNECTIONS if min(e) > 10))
except ImportError:  # pragma: no cover - the landmark package is optional for drawing
    POSE_EDGES, FACE_REGIONS, FACE_EDGES, FACE_OUTLINE_POINTS = (), {}, (), ()

#: Flag regions (face steps) -> face-mesh regions whose points show where the flag is.
MESH_REGIONS: dict[str, tuple[str, ...]] = {
    "eyes": ("right_eye", "left_eye"), "irises": ("right_eye", "left_eye"),
    "brows": ("right_eyebrow", "left_eyebrow"), "nose": ("nose",), "lips": ("lips_outer",),
    "jaw": ("face_oval",), "face": ("face_oval",), "face_length": ("face_oval",),
}

GROUPS = ("face", "body", "pose", "face_mesh", "skeleton")


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


def _core_format(entry: Any, metrics: dict[str, Any] | None = None) -> list[LandmarkSet]:
    """``metrics["landmarks"]`` as the core writes it: real/twin with face_points, body_points,
    both in real-image pixels (the twin's mapped through the registration).

    The twin side prefers ``metrics["face"|"body"]["twin_points"]``: where each *real* point is
    in the twin by the measurement's own method (optical-flow tracking). The twin model's own
    estimate can wander on an unchanged twin (hidden elbows moved 30 px), which would draw a
    change that is not there."""
    if not isinstance(entry, dict) or not isinstance(entry.get("real"), dict):
        return []
    real, twin = entry["real"], entry.get("twin") or {}
    if not isinstance(twin, dict):
        twin = {}
    mapped = "real" in str(entry.get("coordinates", "real"))
    out = []
    for key, name, edges in (("face_points", "face", FACE_EDGES), ("body_points", "body", POSE_EDGES)):
        r, t = _points(real.get(key)), _points(twin.get(key))
        measured = (metrics or {}).get(name)
        tracked = _points(measured.get("twin_points")) if isinstance(measured, dict) else []
        if tracked and len(tracked) == len(r):
            t = tracked
            if key == "body_points":  # tracked points follow the real ones: the real's visibility
                r, t = _visible(r, real.get("body_visibility")), _visible(t, real.get("body_visibility"))
        elif key == "body_points":
            r, t = _visible(r, real.get("body_visibility")), _visible(t, twin.get("body_visibility"))
        if r or t:
            outline = len(r) >= 468 and name == "face"
            out.append(LandmarkSet(name, r, t, mapped, edges if outline or name == "body" else (),
                                   FACE_OUTLINE_POINTS if outline else ()))
    return out


def _visible(points: list[QPointF], visibility: Any, limit: float = 0.5) -> list[QPointF]:
    """Hide body points the model itself thinks are out of sight (legs below the frame).

    Hidden points become NaN so indices (and the skeleton's edges) stay aligned.
    """
    if not isinstance(visibility, list) or len(visibility) != len(points):
        return points
    nan = float("nan")
    return [p if isinstance(v, int | float) and v >= limit else QPointF(nan, nan)
            for p, v in zip(points, visibility, strict=True)]


def _points(value: Any) -> list[QPointF]:
    if isinstance(value, dict):
        for key in ("points", "landmarks", "mesh"):
            if key in value:
                return _points(value[key])
        return []
    if not isinstance(value, list):
        return []
    out: list[QPointF] = []
    for p in value:
        if isinstance(p, dict) and "x" in p and "y" in p:
            out.append(QPointF(float(p["x"]), float(p["y"])))
        elif isinstance(p, list | tuple) and len(p) >= 2 and all(isinstance(v, int | float) for v in p[:2]):
            out.append(QPointF(float(p[0]), float(p[1])))
    return out


def _pair(name: str, entry: Any) -> list[LandmarkSet]:
    if not isinstance(entry, dict):
        return []
    real, twin = entry.get("real"), entry.get("twin")
    if real is None or twin is None:
        real, twin = entry.get("real_points"), entry.get("twin_points")
    if real is None or twin is None:
        return []
    if isinstance(real, dict) and isinstance(twin, dict) and any(g in real for g in GROUPS):
        # ImageLandmarks.to_dict() per image: one set per group found in both
        return [s for g in GROUPS if g in real and g in twin
                for s in [LandmarkSet(g, _points(real[g]), _points(twin[g]))] if s.real]
    found = LandmarkSet(name, _points(real), _points(twin))
    return [found] if found.real or found.twin else []


def landmark_sets(result: dict[str, Any] | None) -> list[LandmarkSet]:
    if not result:
        return []
    sets: list[LandmarkSet] = []
    top = result.get("landmarks")
    if isinstance(top, dict):
        sets.extend(_pair("landmarks", top))
        for name in GROUPS:
            sets.extend(_pair(name, top.get(name)))
    metrics = result.get("metrics") or {}
    sets.extend(_core_format(metrics.get("landmarks"), metrics))
    for name in GROUPS:
        sets.extend(_pair(name, metrics.get(name)))
    seen: set[str] = set()
    unique = []
    for s in sets:
        if s.name not in seen:
            seen.add(s.name)
            unique.append(s)
    return unique


def region_box(result: dict[str, Any] | None, flag: dict[str, Any]) -> QRectF | None:
    """Where a flag is, in real-image pixels: its own box if it has one, else the landmarks
    of its region (a face flag's mesh region, a body or garment flag's skeleton), padded."""
    box = flag.get("box")
    if isinstance(box, list | tuple) and len(box) == 4 and all(isinstance(v, int | float) for v in box):
        # The core's boxes are corners (x0, y0, x1, y1), not Qt's (x, y, width, height).
        x0, y0, x1, y1 = (float(v) for v in box)
        rect = QRectF(QPointF(x0, y0), QPointF(x1, y1)).normalized()
        pad = max(rect.width(), rect.height()) * 0.25 + 8  # a little of what surrounds it
        return rect.adjusted(-pad, -pad, pad, pad)
    sets = {s.name: s for s in landmark_sets(result)}
    category, region = str(flag.get("category", "")), str(flag.get("region", ""))
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
