"""What a pane paints in one of the one-pane modes (swipe, onion skin, blink, difference), and
the words on every pane's label.

Both images come in through their own transform into the frame (``CompareModel``): the real
photograph's (the identity, or into the canonical face frame) and the twin's (the
registration, "as delivered", or into the face frame). A new shot outside the faces view has
no common frame, so these modes lay nothing over the real photograph and say what to use
instead (``CompareModel.overlay_blocked``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

from twinproof.gui import painting
from twinproof.gui.imaging import Pyramid
from twinproof.gui.viewmodel import CompareModel, Heat, Mode, PairImages


def paint(painter: QPainter, model: CompareModel, images: PairImages, real_tf: QTransform,
          twin_tf: QTransform, size: QSizeF, ratio: float) -> None:
    """The one pane of swipe, onion skin, blink or difference."""
    m = model
    blocked = m.overlay_blocked()
    twin = images.twin
    if blocked or twin is None:  # (a twin that cannot be read is one of the reasons)
        paint_blocked(painter, images, real_tf, blocked, size)
        return
    if m.mode is Mode.BLINK and m.blink_twin:
        painting.paint_pyramid(painter, twin, twin_tf)
        return
    if m.mode is Mode.DIFFERENCE:
        paint_difference(painter, m, images.real, twin, real_tf, twin_tf, size, ratio)
        return
    painting.paint_pyramid(painter, images.real, real_tf)
    if m.mode is Mode.BLINK:
        return
    painter.save()
    x = m.swipe * size.width()
    if m.mode is Mode.SWIPE:
        painter.setClipRect(QRectF(x, 0, size.width(), size.height()), Qt.ClipOperation.IntersectClip)
    elif m.mode is Mode.ONION:
        painter.setOpacity(m.onion)
    painting.paint_pyramid(painter, twin, twin_tf)
    painter.restore()
    if m.mode is Mode.SWIPE:
        painter.save()
        painter.setClipping(False)
        painter.setPen(QPen(QColor(235, 235, 235), 2))
        painter.drawLine(QPointF(x, 0), QPointF(x, size.height()))
        painter.setBrush(QColor(235, 235, 235))
        painter.drawEllipse(QPointF(x, size.height() / 2), 7, 7)
        painter.restore()


def paint_difference(painter: QPainter, m: CompareModel, real: Pyramid, twin: Pyramid, real_tf: QTransform,
                     twin_tf: QTransform, size: QSizeF, ratio: float) -> None:
    """|real − twin| per channel, multiplied by the gain (display only, not a metric): off
    screen, so the gain applies to the difference and not to what is around it."""
    buffer = QImage((size * ratio).toSize(), QImage.Format.Format_RGB32)
    buffer.setDevicePixelRatio(ratio)
    buffer.fill(QColor(0, 0, 0))
    off = QPainter(buffer)
    painting.paint_pyramid(off, real, real_tf)
    off.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
    painting.paint_pyramid(off, twin, twin_tf)
    off.end()
    painting.amplify(buffer, m.diff_gain)
    painter.save()
    frame = m.view_transform(size).mapRect(m.frame_rect())
    painter.setClipRect(frame, Qt.ClipOperation.IntersectClip)
    painter.drawImage(QPointF(0, 0), buffer)
    painter.restore()


def paint_blocked(painter: QPainter, images: PairImages, real_tf: QTransform, text: str, size: QSizeF) -> None:
    """The real photograph, dimmed, under the reason nothing is laid over it."""
    painting.paint_pyramid(painter, images.real, real_tf)
    painter.save()
    painter.setClipping(False)
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(0, 0, 0, 170))
    box = QRectF(24, 0, max(80.0, size.width() - 48), size.height())
    painter.setPen(QColor(240, 240, 240))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    painter.restore()


def label(m: CompareModel, role: str) -> str:
    """The words on a pane: what it shows, how it is aligned, the zoom in real pixels."""
    if role == "real" and m.reference is not None:
        return f"REFERENCE (frozen) · {m.reference.name} · real"
    images = m.shown.images
    name = images.name if images else ""
    zoom = f"{m.zoom_percent():.0f}%"
    faces = m.shown.faces
    if m.face_frame is not None:
        align = "face, eyes level"
    elif m.shown.new_shot:
        align = "as delivered (new shot)"
    else:
        align = "aligned" if m.aligned and m.shown.registration is not None else "as delivered"
    off = f" · no faces view: {faces}" if m.faces and m.face_frame is None and isinstance(faces, str) else ""
    if role == "real":
        where = " · face" if m.face_frame is not None else ""
        return f"REAL · {name}{where} · {zoom}{off}"
    heat = {Heat.SSIM: " · SSIM heat map", Heat.DELTA_E: " · ΔE00 heat map"}.get(m.heat, "")
    heat = heat if m.overlays_visible and m.shown.heat.get(m.heat.value) is not None else ""
    if role == "twin":
        return f"TWIN · {name} · {align}{heat}"
    extra = {Mode.BLINK: "twin" if m.blink_twin else "real", Mode.ONION: f"{m.onion:.0%} twin",
             Mode.DIFFERENCE: f"|real − twin| × {m.diff_gain}"}
    detail = extra.get(m.mode, "real | twin" if m.mode is Mode.SWIPE else "")
    return f"{m.mode.value.upper()} · {name} · {detail} · {align} · {zoom}{heat}{off}".replace(" ·  ·", " ·")
