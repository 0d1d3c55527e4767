"""One image pane of the compare view: paints the model, turns the mouse into zoom and pan.

A pane has a *role*: ``real`` (the photograph, or the frozen reference), ``twin`` (the twin,
aligned or as delivered) or ``composite`` (swipe, onion skin, blink, difference: both in one
pane). It keeps no state: everything comes from the shared ``CompareModel``, so the two panes
cannot drift apart. Drawing tools get first refusal on mouse presses (``tools``); otherwise a
left drag pans, the wheel zooms around the cursor, a trackpad scroll pans, a pinch zooms.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPaintEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from twinproof.gui import composite, evidence, painting
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

    def frozen(self) -> bool:
        return self.role == "real" and self.model.reference is not None

    def real_to_widget(self) -> QTransform:
        m = self.model
        if self.role == "twin":
            return m.real_to_twin_frame() * self.view()
        return (m.reference_to_frame() if self.frozen() else m.real_to_frame()) * self.view()

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
        frozen = self.frozen()
        images = m.reference if frozen else m.shown.images
        if images is None or (self.role == "twin" and images.twin is None):
            painter.setPen(QColor(170, 170, 170))
            # broken between words inside a margin: a file's error is longer than a pane is wide
            text = m.shown.message if images is None else images.why_no_twin
            painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text or "")
            if images is not None:
                painting.paint_label(painter, self._label(), QPointF(8, 8), self.width() - 16)
            return
        view = self.view()
        real_to_widget = self.real_to_widget() if self.role != "twin" else m.real_to_frame() * view
        twin_to_widget = m.twin_to_frame() * view
        painter.save()
        if m.face_frame is not None:  # the faces view: both faces cropped to the same frame
            painter.setClipRect(view.mapRect(m.frame_rect()))
        if self.role == "real":
            painting.paint_pyramid(painter, images.real, real_to_widget)
        elif self.role == "twin" and images.twin is not None:
            painting.paint_pyramid(painter, images.twin, twin_to_widget)
        else:
            composite.paint(painter, m, images, real_to_widget, twin_to_widget, QSizeF(self.size()),
                            self.devicePixelRatioF())
        if m.overlays_visible and not frozen and not (self.role == "composite" and m.overlay_blocked()):
            self._paint_overlays(painter, twin_to_widget)
        painter.restore()
        if m.overlays_visible and m.heat is not Heat.NONE and self.role != "real" \
                and m.shown.heat.get(m.heat.value) is not None:
            self._paint_legend(painter)
        painting.paint_label(painter, self._label(), QPointF(8, 8), self.width() - 16)
        if m.shown.message and not frozen:
            painting.paint_label(painter, m.shown.message, QPointF(8, self.height() - 34))

    def _paint_overlays(self, painter: QPainter, twin_to_widget: QTransform) -> None:
        m = self.model
        real_to_widget = self.real_to_widget()
        anchored = self.role != "twin" or m.twin_in_real_terms()  # real-pixel overlays have a place
        heat = m.shown.heat.get(m.heat.value) if m.heat is not Heat.NONE and anchored else None
        if heat is not None and self.role != "real":
            scale = evidence.working_scale(m.shown.result)
            painting.paint_heat(painter, heat, scale, real_to_widget, m.heat_opacity)
        if m.landmarks:
            # a twin's points stored in real pixels go back through the registration to be
            # drawn where the twin is (aligned, as delivered or in the face frame)
            twin_in_real = m.real_to_twin_frame() * self.view()
            for s in m.shown.landmarks:
                twin_tf = twin_in_real if s.twin_in_real else twin_to_widget
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
        if not anchored:
            return
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
        return composite.label(self.model, self.role)

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
            marks_here = self.role != "twin" or self.model.twin_in_real_terms()
            if marks_here and self.tools is not None and self.tools.press(self, self.widget_to_real(pos), event):
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
