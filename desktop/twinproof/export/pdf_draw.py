"""Drawing the pair on a page: images placed by transform, annotations as vector shapes.

The aligned twin is drawn by placing the *original* twin image with the registration as the
PDF transformation matrix (twin pixels -> real pixels -> page), clipped to the real frame,
rather than embedding the core's resampled copy: the delivered pixels reach the page
untouched at full resolution, the embedded file is the generator's own (its bytes, its
hash), no second 24 MP image is encoded, and every crop and thumbnail re-uses the same image
object. Annotations are stored in real-image pixels, so on the aligned twin they land in the
same place by construction; their twin-file coordinates (through the inverse registration)
are listed for retouchers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from fpdf.drawing_primitives import Transform

from twinproof.export.images import Embeddable, apply_matrix
from twinproof.export.pdf_base import SheetPDF


@dataclass(frozen=True)
class View:
    """Real-image pixels -> page: ``(X + k * (x - ox), Y + k * (y - oy))``, clipped to a box."""

    x: float
    y: float
    k: float
    ox: float = 0.0
    oy: float = 0.0
    clip: tuple[float, float, float, float] = (0, 0, 0, 0)

    def page(self, px: float, py: float) -> tuple[float, float]:
        return self.x + self.k * (px - self.ox), self.y + self.k * (py - self.oy)


def fit_view(box: tuple[float, float, float, float], size: tuple[int, int],
             region: tuple[float, float, float, float] | None = None) -> View:
    """A view showing ``region`` (default: the whole image) centred in ``box``."""
    bx, by, bw, bh = box
    rx0, ry0, rx1, ry1 = region or (0.0, 0.0, float(size[0]), float(size[1]))
    k = min(bw / max(rx1 - rx0, 1e-6), bh / max(ry1 - ry0, 1e-6))
    w, h = k * (rx1 - rx0), k * (ry1 - ry0)
    x, y = bx + (bw - w) / 2, by + (bh - h) / 2
    return View(x, y, k, rx0, ry0, (x, y, w, h))


#: Alternative text of the two pictures: fpdf2 tags an image given one as a /Figure in the
#: PDF's structure tree, which screen readers and accessibility checkers use.
REAL_ALT = "Real photograph"
TWIN_ALT = "AI-generated digital twin, aligned to the real photograph"


def draw_real(pdf: SheetPDF, view: View, image: Embeddable, alt: str = REAL_ALT) -> None:
    with pdf.rect_clip(*view.clip):
        x, y = view.page(0, 0)
        pdf.image(image.source, x, y, view.k * image.width, view.k * image.height, alt_text=alt)


def draw_twin(pdf: SheetPDF, view: View, image: Embeddable, matrix: np.ndarray,
              alt: str = TWIN_ALT) -> None:
    """The original twin placed through ``matrix`` (twin px -> real px), clipped to the view.

    The image is drawn 1 user unit per twin pixel and the CTM maps pixel centres exactly:
    user (u + 0.5) -> real pixel centre M(u) + 0.5.
    """
    m, k = matrix, view.k
    cx = m[0, 2] + 0.5 - 0.5 * (m[0, 0] + m[0, 1])
    cy = m[1, 2] + 0.5 - 0.5 * (m[1, 0] + m[1, 1])
    t = Transform(k * m[0, 0], k * m[1, 0], k * m[0, 1], k * m[1, 1],
                  view.x + k * (cx - view.ox), view.y + k * (cy - view.oy))
    with pdf.rect_clip(*view.clip):
        pdf.set_fill_color(236, 236, 240)  # what the twin does not cover
        pdf.rect(*view.clip, style="F")
        with pdf.transform(t):
            pdf.image(image.source, 0, 0, image.width, image.height, alt_text=alt)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _arrow(pdf: SheetPDF, a: tuple[float, float], b: tuple[float, float], lw: float) -> None:
    pdf.line(*a, *b)
    ang = math.atan2(b[1] - a[1], b[0] - a[0])
    size = max(1.6, 4 * lw)
    left = (b[0] - size * math.cos(ang - 0.45), b[1] - size * math.sin(ang - 0.45))
    right = (b[0] - size * math.cos(ang + 0.45), b[1] - size * math.sin(ang + 0.45))
    pdf.polygon([b, left, right], style="F")


def draw_annotation(pdf: SheetPDF, view: View, kind: str, g: dict[str, Any], colour: str,
                    number: int | None, lw: float = 0.45) -> None:
    """One mark in vector form, with its number in a small tag."""
    rgb = hex_rgb(colour)
    pdf.set_draw_color(*rgb)
    pdf.set_fill_color(*rgb)
    pdf.set_line_width(lw)
    anchor: tuple[float, float]
    if kind in ("rectangle", "ellipse"):
        x0, y0 = view.page(g["x"], g["y"])
        w, h = g["w"] * view.k, g["h"] * view.k
        (pdf.rect if kind == "rectangle" else pdf.ellipse)(x0, y0, w, h, style="D")
        anchor = (x0, y0)
    elif kind == "arrow":
        a, b = view.page(g["x1"], g["y1"]), view.page(g["x2"], g["y2"])
        _arrow(pdf, a, b, lw)
        anchor = a
    elif kind == "freehand":
        pts = [view.page(px, py) for px, py in g["points"]]
        pdf.polyline(pts, style="D")
        anchor = pts[0]
    else:  # pin
        px, py = view.page(g["x"], g["y"])
        r = 1.3
        pdf.set_draw_color(255, 255, 255)
        pdf.circle(px, py, r, style="FD")
        anchor = (px + r, py - r)
    if number is not None:
        pdf.font(6, True, (255, 255, 255))
        label = str(number)
        w = pdf.get_string_width(label) + 1.6
        pdf.set_fill_color(*rgb)
        x = min(max(anchor[0] - w / 2, view.clip[0]), view.clip[0] + view.clip[2] - w)
        y = min(max(anchor[1] - 3.4, view.clip[1]), view.clip[1] + view.clip[3] - 3)
        pdf.rect(x, y, w, 3, style="F", round_corners=True, corner_radius=0.8)
        pdf.set_xy(x, y)
        pdf.cell(w, 3, label, align="C")


def draw_annotations(pdf: SheetPDF, view: View, annotations: list[Any],
                     numbers: bool = True, lw: float = 0.45) -> None:
    with pdf.rect_clip(*view.clip):
        for i, a in enumerate(annotations, 1):
            draw_annotation(pdf, view, a.kind, a.geometry, a.colour, i if numbers else None, lw)


def frame(pdf: SheetPDF, view: View) -> None:
    pdf.set_draw_color(200, 200, 206)
    pdf.set_line_width(0.2)
    pdf.rect(*view.clip, style="D")


def twin_box(matrix: np.ndarray, box: tuple[float, float, float, float]) -> tuple[int, ...]:
    """A real-pixel box in the twin file's pixels (through the inverse registration)."""
    a = np.vstack([matrix, [0.0, 0.0, 1.0]])
    inv = np.linalg.inv(a)[:2]
    corners = [apply_matrix(inv, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))
