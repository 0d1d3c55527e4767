"""One small plot per audited measurement, as drawing primitives both the app (QPainter) and
the sheet (fpdf2) render: each pair a dot with its uncertainty, sorted by value; the median
as a line inside its 95 % interval (a band); zero marked. No plotting library: the picture is
a dozen kinds of lines and dots, and drawing it natively keeps the sheet's vector text and
the app's crisp pixels at any zoom (matplotlib would add ~40 MB to the installer for this).

Coordinates are the caller's box (0..width, 0..height, y down), in its units (PDF mm or Qt
pixels). Dots beyond the shown range sit on its edge as an open marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from twinproof.core.drift.audit import Drift

RGB = tuple[int, int, int]
INK: RGB = (40, 40, 46)
MUTED: RGB = (130, 130, 140)
DOT: RGB = (70, 110, 170)
CONTROL: RGB = (200, 120, 30)
BAND_SYSTEMATIC: RGB = (246, 205, 200)
BAND: RGB = (215, 225, 240)
MEDIAN_SYSTEMATIC: RGB = (190, 40, 40)
MEDIAN: RGB = (50, 80, 150)
#: More pairs than this are shown as this many, evenly spaced in value order (said on the plot).
MAX_DOTS = 120


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: RGB


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    colour: RGB
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    colour: RGB
    square: bool = False  # a control frame
    hollow: bool = False  # off the shown range


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: float  # points
    colour: RGB
    align: str = "left"  # "left" | "center" | "right"


Shape = Rect | Line | Dot | Label


def _range(d: Drift) -> tuple[float, float]:
    values = np.asarray([p.value for p in d.points]) if d.points else np.zeros(1)
    lo, hi = np.percentile(values, [3, 97]) if values.size > 10 else (values.min(), values.max())
    lo, hi = float(min(lo, 0.0, *(c for c in d.test.ci95 if math.isfinite(c)))), \
        float(max(hi, 0.0, *(c for c in d.test.ci95 if math.isfinite(c))))
    pad = 0.08 * (hi - lo or 1.0)
    return lo - pad, hi + pad


def _ticks(lo: float, hi: float) -> list[float]:
    raw = (hi - lo) / 4
    step = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step *= next((m for m in (1, 2, 5, 10) if m * step >= raw), 10)
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step) + 1)]


def plot_shapes(d: Drift, width: float, height: float, pt: float = 1.0, font_pt: float = 7.0) -> list[Shape]:
    """The plot of one measurement's drift in a ``width`` × ``height`` box; ``pt`` is a
    typographic point in the box's unit (0.3528 in mm, 1.333 in 96-dpi pixels)."""
    font = font_pt * pt
    axis_h = font * 1.6
    top, bottom = font * 0.4, height - axis_h
    lo, hi = _range(d)

    def x_of(v: float) -> float:
        return (min(max(v, lo), hi) - lo) / (hi - lo) * width

    out: list[Shape] = []
    ci_lo, ci_hi = d.test.ci95
    if d.tested and d.points:
        band = BAND_SYSTEMATIC if d.systematic else BAND
        x0, x1 = x_of(ci_lo if math.isfinite(ci_lo) else lo), x_of(ci_hi if math.isfinite(ci_hi) else hi)
        out.append(Rect(x0, top, max(x1 - x0, 0.5), bottom - top, band))
    out.append(Line(x_of(0.0), top, x_of(0.0), bottom, INK, 0.9 * pt, dashed=True))
    points = sorted(d.points, key=lambda p: p.value)
    if len(points) > MAX_DOTS:
        idx = np.linspace(0, len(points) - 1, MAX_DOTS).round().astype(int)
        points = [points[i] for i in idx]
    n = len(points)
    step = (bottom - top) / max(n, 1)
    r = max(min(step * 0.42, font * 0.32), 0.6 * pt)
    for i, p in enumerate(points):
        y = top + (i + 0.5) * step
        colour = CONTROL if p.control else DOT
        a, b = x_of(p.value - p.uncertainty), x_of(p.value + p.uncertainty)
        if b - a > 0.2:
            light = (colour[0] + (255 - colour[0]) * 3 // 5, colour[1] + (255 - colour[1]) * 3 // 5,
                     colour[2] + (255 - colour[2]) * 3 // 5)
            out.append(Line(a, y, b, y, light, min(max(step * 0.35, 0.25 * pt), 1.2 * pt)))
        off = not lo <= p.value <= hi
        out.append(Dot(x_of(p.value), y, r, colour, square=p.control, hollow=off))
    if d.tested and d.points and math.isfinite(d.test.median):
        colour = MEDIAN_SYSTEMATIC if d.systematic else MEDIAN
        out.append(Line(x_of(d.test.median), top, x_of(d.test.median), bottom, colour, 1.8 * pt))
    out.append(Line(0, bottom, width, bottom, MUTED, 0.6 * pt))
    for t in _ticks(lo, hi):
        x = x_of(t)
        out.append(Line(x, bottom, x, bottom + font * 0.3, MUTED, 0.6 * pt))
        text = f"{t:+g}".replace("-", "−") if t else "0"
        out.append(Label(x, bottom + font * 0.35, text, font_pt * 0.85, MUTED, "center"))
    if len(d.points) > MAX_DOTS:
        out.append(Label(width, top, f"{MAX_DOTS} of {len(d.points)} pairs shown", font_pt * 0.8, MUTED, "right"))
    return out
