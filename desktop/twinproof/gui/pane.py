"""One image pane of the compare view: paints the model, turns the mouse into zoom and pan.

A pane has a *role*: ``real`` (the photograph, or the frozen reference), ``twin`` (the twin,
aligned or as delivered) or ``composite`` (swipe, onion skin, blink, difference: both in one
pane). It keeps no state: everything comes from the shared ``CompareModel``, so the two panes
cannot drift apart. Drawing tools get first refusal on mouse presses (``tools``); otherwise a
left drag pans, the wheel zooms around the cursor, a trackpad scroll pans, a pinch zooms.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QImage,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from twinproof.gui import evidence, painting
from twinproof.gui.imaging import MAP_RANGES, legend_image
from twinproof.gui.theme import CANVAS_GREY
from twinproof.gui.viewmodel import CompareModel, Heat, Mode

REAL_COLOUR = QColor(90, 200, 255)
TWIN_COLOUR = QColor(255, 170, 60)


class ToolHandler(Protocol):
    def press(self, pane: ImagePane, real: QPointF, event: QMouseEvent) -> bool: ...
    def edit_text(self, pane: ImagePane, widget_pos: QPointF) -> bool: ...
    def context_menu(self, pane: ImagePane, widget_pos: QPointF, global_pos: QPoint) -> bool: ...
    def move(self, pane: ImagePane, real: QPointF) -> None: ...
    def release(self, pane: ImagePane, real: QPointF) -> None: ...


class ImagePane(QWidget):
    def __init__(self, model: CompareModel, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.role = role
        self.tools: ToolHandler | None = None
        self._drag: QPointF | None = None
        self._swiping = False
        self._tool_drag = False
        self.setObjectName("CompareCanvas")
        self.setMouseTracking(True)  # the status bar reads out the pixels under the cursor
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(160, 160)
        model.changed.connect(self.update)
        model.view_changed.connect(self.update)

    # -- transforms ------------------------------------------------------------------------
    def view(self) -> QTransform:
        return self.model.view_transform(QSizeF(self.size()))

    def real_to_widget(self) -> QTransform:
        if self.role == "twin":
            return self.model.real_to_twin_frame() * self.view()
        return self.view()

    def widget_to_real(self, p: QPointF) -> QPointF:
        inverse, _ok = self.real_to_widget().inverted()
        return inverse.map(p)

    def swipe_x(self) -> float:
        return self.model.swipe * self.width()

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), CANVAS_GREY)
        m = self.model
        images = m.reference if (self.role == "real" and m.reference is not None) else m.shown.images
        if images is None:
            painter.setPen(QColor(170, 170, 170))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, m.shown.message or "")
            return
        view = self.view()
        twin_to_widget = m.twin_to_frame() * view
        if self.role == "real":
            painting.paint_pyramid(painter, images.real, view)
        elif self.role == "twin":
            painting.paint_pyramid(painter, images.twin, twin_to_widget)
        else:
            self._paint_composite(painter, view, twin_to_widget)
        frozen = self.role == "real" and m.reference is not None
        if m.overlays_visible and not frozen:
            self._paint_overlays(painter, view, twin_to_widget)
        painting.paint_label(painter, self._label(), QPointF(8, 8))
        if m.shown.message and not frozen:
            painting.paint_label(painter, m.shown.message, QPointF(8, self.height() - 34))

    def _paint_composite(self, painter: QPainter, view: QTransform, twin_to_widget: QTransform) -> None:
        m = self.model
        images = m.shown.images
        assert images is not None
        if m.mode is Mode.BLINK and m.blink_twin:
            painting.paint_pyramid(painter, images.twin, twin_to_widget)
            return
        if m.mode is Mode.DIFFERENCE:
            self._paint_difference(painter, view, twin_to_widget)
            return
        painting.paint_pyramid(painter, images.real, view)
        if m.mode is Mode.BLINK:
            return
        painter.save()
        if m.mode is Mode.SWIPE:
            painter.setClipRect(QRectF(self.swipe_x(), 0, self.width(), self.height()))
        elif m.mode is Mode.ONION:
            painter.setOpacity(m.onion)
        painting.paint_pyramid(painter, images.twin, twin_to_widget)
        painter.restore()
        if m.mode is Mode.SWIPE:
            x = self.swipe_x()
            painter.setPen(QPen(QColor(235, 235, 235), 2))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            painter.setBrush(QColor(235, 235, 235))
            painter.drawEllipse(QPointF(x, self.height() / 2), 7, 7)

    def _paint_difference(self, painter: QPainter, view: QTransform, twin_to_widget: QTransform) -> None:
        """|real − twin| per channel, multiplied by the gain (display only, not a metric): off
        screen, so the gain applies to the difference and not to what is around it."""
        m = self.model
        images = m.shown.images
        assert images is not None
        ratio = self.devicePixelRatioF()
        buffer = QImage((QSizeF(self.size()) * ratio).toSize(), QImage.Format.Format_RGB32)
        buffer.setDevicePixelRatio(ratio)
        buffer.fill(QColor(0, 0, 0))
        off = QPainter(buffer)
        painting.paint_pyramid(off, images.real, view)
        off.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
        painting.paint_pyramid(off, images.twin, twin_to_widget)
        off.end()
        painting.amplify(buffer, m.diff_gain)
        painter.save()
        frame = view.mapRect(QRectF(0, 0, images.real.width, images.real.height))
        painter.setClipRect(frame)
        painter.drawImage(QPointF(0, 0), buffer)
        painter.restore()

    def _paint_overlays(self, painter: QPainter, view: QTransform, twin_to_widget: QTransform) -> None:
        m = self.model
        real_to_widget = self.real_to_widget()
        heat = m.shown.heat.get(m.heat.value) if m.heat is not Heat.NONE else None
        if heat is not None and self.role != "real":
            scale = evidence.working_scale(m.shown.result)
            painting.paint_heat(painter, heat, scale, real_to_widget, m.heat_opacity)
            self._paint_legend(painter)
        if m.landmarks:
            for s in m.shown.landmarks:
                twin_tf = real_to_widget if s.twin_in_real else twin_to_widget
                dots = 1.5 if s.shown else 2.0
                if self.role in ("real", "composite"):
                    painting.paint_points(painter, s.real, REAL_COLOUR, real_to_widget, dots,
                                          s.edges, s.shown)
                if self.role in ("twin", "composite"):
                    painting.paint_points(painter, s.twin, TWIN_COLOUR, twin_tf, dots, s.edges, s.shown)
                if self.role != "real" and s.twin_in_real:
                    # the drift: where the twin put each (shown) point against the real one
                    # (none for a new shot: its two frames share no coordinates)
                    n = min(len(s.real), len(s.twin))
                    pick = [i for i in s.shown if i < n] if s.shown else range(n)
                    painting.paint_displacements(painter, [real_to_widget.map(s.real[i]) for i in pick],
                                                 [twin_tf.map(s.twin[i]) for i in pick])
        painting.paint_annotations(painter, m.visible_marks(), real_to_widget, m.selected)
        if m.flag is not None and not m.flag.box.isEmpty():
            painting.paint_flag_box(painter, m.flag.box, m.flag.label, real_to_widget, self.rect())
        if m.preview is not None:
            kind, geometry = m.preview
            painting.paint_mark(painter, kind, geometry, QColor(255, 59, 48), real_to_widget)

    def _paint_legend(self, painter: QPainter) -> None:
        label = MAP_RANGES.get(self.model.heat.value, (0, 0, self.model.heat.value))[2]
        y = self.height() - 30
        painting.paint_label(painter, label, QPointF(8, y - 26))
        painter.drawImage(QPointF(12, y), legend_image(self.model.heat.value))

    def _label(self) -> str:
        m = self.model
        if self.role == "real" and m.reference is not None:
            return f"REFERENCE (frozen) · {m.reference.name} · real"
        images = m.shown.images
        name = images.name if images else ""
        align = "aligned" if m.aligned and m.shown.registration is not None else "as delivered"
        zoom = f"{m.scale * 100:.0f}%"
        if self.role == "real":
            return f"REAL · {name} · {zoom}"
        heat = {Heat.SSIM: " · SSIM heat map", Heat.DELTA_E: " · ΔE00 heat map"}.get(m.heat, "")
        heat = heat if m.overlays_visible and m.shown.heat.get(m.heat.value) is not None else ""
        if self.role == "twin":
            return f"TWIN · {name} · {align}{heat}"
        extra = {Mode.BLINK: "twin" if m.blink_twin else "real", Mode.ONION: f"{m.onion:.0%} twin",
                 Mode.DIFFERENCE: f"|real − twin| × {m.diff_gain}"}
        detail = extra.get(m.mode, "real | twin" if m.mode is Mode.SWIPE else "")
        return f"{m.mode.value.upper()} · {name} · {detail} · {align} · {zoom}{heat}".replace(" ·  ·", " ·")

    # -- input -----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        pixel = event.pixelDelta()
        if not pixel.isNull() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.model.pan_by(pixel.x(), pixel.y())  # two-finger trackpad scroll
        else:
            steps = event.angleDelta().y() / 120.0
            self.model.zoom_at(1.25 ** steps, event.position(), QSizeF(self.size()))
        event.accept()

    def event(self, event: QEvent) -> bool:
        zoom = Qt.NativeGestureType.ZoomNativeGesture
        if isinstance(event, QNativeGestureEvent) and event.gestureType() == zoom:
            self.model.zoom_at(1.0 + event.value(), event.position(), QSizeF(self.size()))
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() == Qt.MouseButton.LeftButton:
            on_divider = abs(pos.x() - self.swipe_x()) < 12
            if self.role == "composite" and self.model.mode is Mode.SWIPE and on_divider:
                self._swiping = True
                return
            if self.tools is not None and self.tools.press(self, self.widget_to_real(pos), event):
                self._tool_drag = True
                return
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton):
            self._drag = pos
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._swiping:
            self.model.swipe = min(1.0, max(0.0, pos.x() / max(1, self.width())))
            self.update()
        elif self._tool_drag and self.tools is not None:
            self.tools.move(self, self.widget_to_real(pos))
        elif self._drag is not None:
            delta = pos - self._drag
            self._drag = pos
            self.model.pan_by(delta.x(), delta.y())
        else:
            self.model.hover.emit(self.widget_to_real(pos))

    def leaveEvent(self, event: QEvent) -> None:
        self.model.hover.emit(None)
        super().leaveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.tools is None or not self.tools.context_menu(self, QPointF(event.pos()), event.globalPos()):
            super().contextMenuEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.tools is not None and event.button() == Qt.MouseButton.LeftButton:
            self.tools.edit_text(self, event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._tool_drag and self.tools is not None:
            self.tools.release(self, self.widget_to_real(event.position()))
        self._swiping = self._tool_drag = False
        self._drag = None
        self.unsetCursor()
