"""Find face-mesh and body-skeleton points in a stored analysis, whatever step wrote them.

The landmark steps are being added to the core in parallel; their dict layout may still
move, so this reader is deliberately tolerant. It looks, under ``result["landmarks"]`` and
under ``result["metrics"][name]`` for ``name`` in ("face", "body", ...), for a ``real`` and a
``twin`` entry holding points as ``[[x, y(, z)], ...]``, as ``{"points": [...]}``, as the core's
``ImageLandmarks.to_dict()`` (``{"face": {"points": ...}, "body": {"landmarks": [{x, y}...]}}``)
or as a list of ``{"x": .., "y": ..}``. Real points are in real-image pixels; twin points in the
twin's own pixels (mapped through the registration when drawn). Absent points draw nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF

GROUPS = ("face", "body", "pose", "face_mesh", "skeleton")


@dataclass(frozen=True)
class LandmarkSet:
    name: str
    real: list[QPointF]
    twin: list[QPointF]


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
    for name in GROUPS:
        sets.extend(_pair(name, metrics.get(name)))
    seen: set[str] = set()
    unique = []
    for s in sets:
        if s.name not in seen:
            seen.add(s.name)
            unique.append(s)
    return unique
