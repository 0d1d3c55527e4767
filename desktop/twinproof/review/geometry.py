"""Annotation shapes: validation and the move/resize arithmetic the commands use.

Geometry is stored in pixels of the REAL image, together with that image's size, because
the real photograph is the reference both panes are registered to; 0-1 coordinates (what
proofing tools exchange) are derived with ``normalised`` and never stored, so a rounding
choice made today cannot drift the marks later.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import Any

from twinproof.review.errors import ReviewError


class AnnotationKind(StrEnum):
    RECTANGLE = "rectangle"
    ELLIPSE = "ellipse"
    ARROW = "arrow"
    FREEHAND = "freehand"
    PIN = "pin"


#: Keys of each kind's geometry (freehand: ``points`` = [[x, y], ...]).
KEYS: dict[AnnotationKind, tuple[str, ...]] = {
    AnnotationKind.RECTANGLE: ("x", "y", "w", "h"),
    AnnotationKind.ELLIPSE: ("x", "y", "w", "h"),
    AnnotationKind.ARROW: ("x1", "y1", "x2", "y2"),
    AnnotationKind.PIN: ("x", "y"),
}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
Bounds = tuple[float, float, float, float]


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ReviewError(f"annotation {what} must be a finite number, not {value!r}")
    return float(value)


def validate_geometry(kind: AnnotationKind | str, geometry: dict[str, Any]) -> dict[str, Any]:
    """A clean copy of ``geometry`` for ``kind`` (floats; boxes with positive size)."""
    try:
        kind = AnnotationKind(kind)
    except ValueError:
        raise ReviewError(f"unknown annotation kind {kind!r}") from None
    if kind is AnnotationKind.FREEHAND:
        points = geometry.get("points")
        if not isinstance(points, list) or len(points) < 2:
            raise ReviewError("a freehand mark needs at least two points")
        return {"points": [[_number(p[0], "x"), _number(p[1], "y")] for p in points]}
    missing = [k for k in KEYS[kind] if k not in geometry]
    if missing:
        raise ReviewError(f"a {kind.value} needs {', '.join(KEYS[kind])} (missing {missing})")
    clean = {k: _number(geometry[k], k) for k in KEYS[kind]}
    if "w" in clean and (clean["w"] < 0 or clean["h"] < 0):
        raise ReviewError("a box cannot have a negative width or height")
    return clean


def validate_colour(colour: str) -> str:
    if not _COLOUR.match(colour):
        raise ReviewError(f"colour must be #RRGGBB or #RRGGBBAA, not {colour!r}")
    return colour.lower()


def bounds(kind: AnnotationKind | str, geometry: dict[str, Any]) -> Bounds:
    """The bounding box (x0, y0, x1, y1) of a shape."""
    kind = AnnotationKind(kind)
    if kind is AnnotationKind.FREEHAND:
        xs = [p[0] for p in geometry["points"]]
        ys = [p[1] for p in geometry["points"]]
        return min(xs), min(ys), max(xs), max(ys)
    if kind is AnnotationKind.ARROW:
        g = geometry
        return (min(g["x1"], g["x2"]), min(g["y1"], g["y2"]),
                max(g["x1"], g["x2"]), max(g["y1"], g["y2"]))
    if kind is AnnotationKind.PIN:
        return geometry["x"], geometry["y"], geometry["x"], geometry["y"]
    g = geometry
    return g["x"], g["y"], g["x"] + g["w"], g["y"] + g["h"]


def _map(kind: AnnotationKind, geometry: dict[str, Any], fx: Any, fy: Any) -> dict[str, Any]:
    if kind is AnnotationKind.FREEHAND:
        return {"points": [[fx(x), fy(y)] for x, y in geometry["points"]]}
    if kind is AnnotationKind.ARROW:
        g = geometry
        return {"x1": fx(g["x1"]), "y1": fy(g["y1"]), "x2": fx(g["x2"]), "y2": fy(g["y2"])}
    if kind is AnnotationKind.PIN:
        return {"x": fx(geometry["x"]), "y": fy(geometry["y"])}
    x0, y0 = fx(geometry["x"]), fy(geometry["y"])
    x1, y1 = fx(geometry["x"] + geometry["w"]), fy(geometry["y"] + geometry["h"])
    return {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0}


def translate(kind: AnnotationKind | str, geometry: dict[str, Any], dx: float,
              dy: float) -> dict[str, Any]:
    """The shape moved by (dx, dy) pixels."""
    return _map(AnnotationKind(kind), geometry, lambda x: x + dx, lambda y: y + dy)


def fit(kind: AnnotationKind | str, geometry: dict[str, Any], new: Bounds) -> dict[str, Any]:
    """The shape stretched so its bounding box becomes ``new`` (a resize handle drag)."""
    kind = AnnotationKind(kind)
    x0, y0, x1, y1 = bounds(kind, geometry)
    nx0, ny0, nx1, ny1 = new
    if nx1 < nx0 or ny1 < ny0:
        raise ReviewError("a resized box cannot be inverted")
    sx = (nx1 - nx0) / (x1 - x0) if x1 > x0 else 1.0
    sy = (ny1 - ny0) / (y1 - y0) if y1 > y0 else 1.0
    return _map(kind, geometry, lambda x: nx0 + (x - x0) * sx, lambda y: ny0 + (y - y0) * sy)


def normalised(kind: AnnotationKind | str, geometry: dict[str, Any], width: int,
               height: int) -> dict[str, Any]:
    """The shape in 0-1 image coordinates (x / width, y / height)."""
    kind = AnnotationKind(kind)
    if kind in (AnnotationKind.RECTANGLE, AnnotationKind.ELLIPSE):
        g = geometry
        return {"x": g["x"] / width, "y": g["y"] / height, "w": g["w"] / width,
                "h": g["h"] / height}
    return _map(kind, geometry, lambda x: x / width, lambda y: y / height)
