"""Painting helpers shared by the panes: images from a pyramid, heat maps, marks, landmarks.

Images are painted through one transform chain, level → image → frame → widget, and only the
visible part of the chosen pyramid level is handed to the raster engine, which is what keeps
panning a 24 MP pair at 200 % smooth. At 100 % and above pixels are painted unsmoothed: a
reviewer pixel-peeping a twin must see the pixels, not an interpolation of them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from twinproof.gui.imaging import Pyramid
from twinproof.review import AnnotationRecord
from twinproof.review.geometry import bounds


def paint_pyramid(painter: QPainter, pyramid: Pyramid, image_to_widget: QTransform) -> None:
    """Paint the visible part of the right pyramid level."""
    screen_per_image = math.sqrt(abs(image_to_widget.determinant())) * painter.device().devicePixelRatio()
    index = pyramid.level_for(screen_per_image)
    level, ls = pyramid.levels[index], pyramid.scales[index]
    level_to_widget = QTransform.fromScale(1 / ls, 1 / ls) * image_to_widget
    inverse, ok = level_to_widget.inverted()
    if not ok:
        return
    visible = inverse.mapRect(QRectF(painter.viewport())).adjusted(-2, -2, 2, 2)
    source = visible.intersected(QRectF(0, 0, level.width(), level.height())).toAlignedRect()
    if source.isEmpty():
        return
    painter.save()
    painter.setTransform(level_to_widget)
    smooth = screen_per_image / ls < 0.999 or abs(image_to_widget.m12()) > 1e-9
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)
    painter.drawImage(QPointF(source.topLeft()), level, source)
    painter.restore()


def amplify(image: QImage, gain: int) -> None:
    """Multiply an RGB32 image's colour channels by ``gain`` in place, saturating at 255 (the
    difference view's gain: a change of 3 levels shows as 12 at × 4)."""
    if gain <= 1:
        return
    rows = np.frombuffer(image.bits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    pixels = rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)[..., :3]
    lut = np.minimum(np.arange(256) * gain, 255).astype(np.uint8)
    pixels[...] = lut[pixels]


def paint_heat(painter: QPainter, heat: QImage, working_scale: float, real_to_widget: QTransform,
               opacity: float) -> None:
    """A heat map computed at the working size, laid over the real frame.

    The picture under it is dimmed first, so a colour on screen reads as heat, never as the
    twin's own colour (a pale-yellow "hot" suit must not be mistaken for a yellow suit).
    """
    painter.save()
    painter.setTransform(QTransform.fromScale(1 / working_scale, 1 / working_scale) * real_to_widget)
    painter.fillRect(QRectF(0, 0, heat.width(), heat.height()), QColor(0, 0, 0, 120))
    painter.setOpacity(opacity)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.drawImage(QPointF(0, 0), heat)
    painter.restore()


def shape_path(kind: str, g: dict[str, Any]) -> QPainterPath:
    """An annotation's outline in real-image pixels."""
    path = QPainterPath()
    if kind == "rectangle":
        path.addRect(QRectF(g["x"], g["y"], g["w"], g["h"]))
    elif kind == "ellipse":
        path.addEllipse(QRectF(g["x"], g["y"], g["w"], g["h"]))
    elif kind == "arrow":
        path.moveTo(g["x1"], g["y1"])
        path.lineTo(g["x2"], g["y2"])
    elif kind == "freehand":
        pts = g.get("points", [])
        if pts:
            path.moveTo(*pts[0])
            for x, y in pts[1:]:
                path.lineTo(x, y)
    elif kind == "pin":
        path.addEllipse(QPointF(g["x"], g["y"]), 1, 1)
    return path


#: A pin's dot, in screen pixels.
PIN_RADIUS = 6


def paint_mark(painter: QPainter, kind: str, g: dict[str, Any], colour: QColor,
               real_to_widget: QTransform, *, selected: bool = False, text: str = "") -> None:
    """One mark with a cosmetic pen: the same line width at any zoom."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    width = 3.0 if selected else 2.0
    path = real_to_widget.map(shape_path(kind, g))
    halo = QPen(QColor(0, 0, 0, 150), width + 2)
    pen = QPen(colour, width)
    for p in (halo, pen):
        painter.setPen(p)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if kind == "pin":
            c = real_to_widget.map(QPointF(g["x"], g["y"]))
            painter.setBrush(QBrush(colour) if p is pen else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(c, PIN_RADIUS, PIN_RADIUS)
        else:
            painter.drawPath(path)
    grip = grip_point(kind, g) if selected else None
    if grip is not None:  # the resize grip (an arrow's: its head)
        c = real_to_widget.map(grip)
        painter.setPen(QPen(QColor(20, 20, 20), 1))
        painter.setBrush(QColor(240, 240, 240))
        painter.drawRect(QRectF(c.x() - 5, c.y() - 5, 10, 10))
    if kind == "arrow":
        a = real_to_widget.map(QPointF(g["x1"], g["y1"]))
        b = real_to_widget.map(QPointF(g["x2"], g["y2"]))
        angle = math.atan2(b.y() - a.y(), b.x() - a.x())
        head = QPolygonF([b] + [b - QPointF(math.cos(angle + s * 0.45), math.sin(angle + s * 0.45)) * 14
                                for s in (-1, 1)])
        painter.setBrush(colour)
        painter.drawPolygon(head)
    if text:
        anchor = path.boundingRect().topRight() if kind != "pin" else real_to_widget.map(
            QPointF(g["x"], g["y"]))
        width = painter.fontMetrics().horizontalAdvance(text)
        bounds = QRectF(painter.viewport())
        if anchor.x() + 10 + width + 4 > bounds.right():  # no room on the right: the left side
            anchor = QPointF(path.boundingRect().left() if kind != "pin" else anchor.x(), anchor.y()) \
                - QPointF(width + 20, 0)
        place_label(painter, text, anchor + QPointF(10, -10), bounds)
    painter.restore()


def paint_flag_box(painter: QPainter, box: QRectF, label: str, real_to_widget: QTransform,
                   bounds: Any) -> None:
    """The clicked flag's region: a dashed outline with its name, so a zoom on the face says
    which part of it (the eyes, not the whole face) the flag is about."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    outline = real_to_widget.map(QPolygonF(box))
    for pen in (QPen(QColor(0, 0, 0, 170), 4), QPen(QColor(255, 214, 10), 2, Qt.PenStyle.DashLine)):
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolygon(outline)
    if label:
        top = outline.boundingRect()
        size = painter.fontMetrics().boundingRect(label).size().toSizeF()
        anchor = QPointF(top.left(), top.top() - size.height() - 6)
        place_label(painter, label, anchor, QRectF(bounds), QColor(255, 214, 10))
    painter.restore()


LABEL_TEXT = QColor(240, 240, 240)


def place_label(painter: QPainter, text: str, anchor: QPointF, bounds: QRectF,
                colour: QColor = LABEL_TEXT) -> QRectF:
    """Draw a label at ``anchor`` moved inside ``bounds`` (a pin near the pane's edge keeps
    its whole label on screen instead of running off it). Returns where it went."""
    size = painter.fontMetrics().boundingRect(text).size().toSizeF()
    rect = QRectF(anchor, size)
    if rect.right() + 4 > bounds.right():
        rect.moveRight(bounds.right() - 4)
    if rect.left() - 4 < bounds.left():
        rect.moveLeft(bounds.left() + 4)
    if rect.top() - 2 < bounds.top():
        rect.moveTop(bounds.top() + 2)
    if rect.bottom() + 2 > bounds.bottom():
        rect.moveBottom(bounds.bottom() - 2)
    painter.fillRect(rect.adjusted(-4, -2, 4, 2), QColor(20, 20, 20, 200))
    painter.setPen(colour)
    painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    return rect


def grip_point(kind: str, geometry: dict[str, Any]) -> QPointF | None:
    """Where a mark's resize grip is (real-image pixels): an arrow's head, the bottom-right
    corner of any other shape's bounds; a pin has none."""
    if kind == "pin":
        return None
    if kind == "arrow":
        return QPointF(geometry["x2"], geometry["y2"])
    _x0, _y0, x1, y1 = bounds(kind, geometry)
    return QPointF(x1, y1)


def paint_annotations(painter: QPainter, annotations: list[AnnotationRecord],
                      real_to_widget: QTransform, selected: int | None) -> None:
    for a in annotations:
        paint_mark(painter, a.kind, a.geometry, QColor(a.colour), real_to_widget,
                   selected=a.id == selected, text=a.text)


def paint_points(painter: QPainter, points: list[QPointF], colour: QColor, to_widget: QTransform,
                 radius: float = 2.0, edges: tuple[tuple[int, int], ...] = (),
                 shown: tuple[int, ...] = ()) -> None:
    """Landmarks as dots (only ``shown`` when given), joined by ``edges`` (the skeleton, the
    face's outlines)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    mapped = [to_widget.map(p) for p in points]
    ok = [math.isfinite(p.x()) and math.isfinite(p.y()) for p in mapped]
    if edges:
        painter.setPen(QPen(colour, 2))
        for a, b in edges:
            if a < len(mapped) and b < len(mapped) and ok[a] and ok[b]:
                painter.drawLine(mapped[a], mapped[b])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    for i in shown or range(len(mapped)):
        if i < len(mapped) and ok[i]:
            painter.drawEllipse(mapped[i], radius, radius)
    painter.restore()


def paint_displacements(painter: QPainter, real: list[QPointF], twin: list[QPointF]) -> None:
    """Lines (widget pixels) from each real landmark to where the twin put it: the drift."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(QColor(255, 220, 90, 220), 1.5))
    for a, b in zip(real, twin, strict=False):
        finite = all(math.isfinite(v) for v in (a.x(), a.y(), b.x(), b.y()))
        if finite and (a - b).manhattanLength() > 1.0:
            painter.drawLine(a, b)
    painter.restore()


def paint_label(painter: QPainter, text: str, corner: QPointF, max_width: float = 0.0) -> None:
    """A pane's label; wider than ``max_width`` it goes on more lines (between its " · "
    parts, else between words) rather than running off the pane."""
    painter.save()
    metrics = painter.fontMetrics()
    if max_width > 0:
        text = "\n".join(label_lines(text, max_width - 16, metrics.horizontalAdvance))
    size = metrics.boundingRect(QRectF(0, 0, 10_000, 10_000).toRect(), 0, text).size().toSizeF()
    rect = QRectF(corner, size).adjusted(0, 0, 16, 8)
    painter.fillRect(rect, QColor(24, 24, 24, 200))
    painter.setPen(QColor(225, 225, 225))
    painter.drawText(rect.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    painter.restore()


def label_lines(text: str, width: float, advance: Any) -> list[str]:
    """``text`` in lines no wider than ``width`` (by ``advance``, a text's width in pixels):
    whole " · " parts where they fit, words where a part alone is too wide."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and advance(f"{lines[-1]} · {part}") <= width:
            lines[-1] = f"{lines[-1]} · {part}"
            continue
        if advance(part) <= width:
            lines.append(part)
            continue
        words = part.split(" ")
        lines.append(words[0])
        for word in words[1:]:
            if advance(f"{lines[-1]} {word}") <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
    return lines
