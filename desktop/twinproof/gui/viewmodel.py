"""The compare view's state: what is shown, how, and where, shared by both panes.

Zoom and pan live in ``frame`` coordinates (pixels of the real photograph, the reference every
measurement and annotation uses; in the faces view, the canonical face frame of ``faces.py``),
so the two panes stay locked whatever the twin's size, and moving to the next pair keeps the
same scale and centre (what Lightroom users ask for). Both panes paint from this model and
listen to ``changed``; neither holds state of its own. Each image comes into the frame by its
own transform (``real_to_frame``, ``twin_to_frame``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPointF, QRectF, QSizeF, Signal
from PySide6.QtGui import QTransform

from twinproof.gui.faces import FACE_RECT, FaceFrame
from twinproof.gui.shown import FlagMark, Heat, Mode, OverlayState, PairImages, Shown
from twinproof.review import AnnotationRecord

__all__ = ["CompareModel", "FlagMark", "Heat", "Mode", "OverlayState", "PairImages", "Shown"]

MIN_SCALE, MAX_SCALE = 0.01, 32.0


class CompareModel(QObject):
    changed = Signal()
    view_changed = Signal()
    #: The frame's coordinates changed meaning (faces view on or off): fit again.
    frame_changed = Signal()
    mode_changed = Signal(str)
    #: The real-image point under the cursor (QPointF), or None when it leaves the panes.
    hover = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shown = Shown()
        self.reference: PairImages | None = None  # frozen left pane
        self.mode = Mode.TWO_UP
        self.heat = Heat.NONE
        self.overlays_visible = True
        self.landmarks = False
        self.aligned = True
        self.onion = 0.5
        self.heat_opacity = 0.65
        self.swipe = 0.5  # divider position, 0-1 of the pane width
        self.blink_twin = False
        self.selected: int | None = None
        self.preview: tuple[str, dict[str, Any]] | None = None  # shape being drawn (real px)
        self.scale = 1.0
        self.center = QPointF(0, 0)
        self.fitted = True
        #: The flag clicked on this pair (its box is drawn), and the state before it.
        self.flag: FlagMark | None = None
        self.before_flag: OverlayState | None = None
        #: Difference mode's gain: |real − twin| × gain, so small changes are not black.
        self.diff_gain = 4
        #: Resolved marks are left off the images (the comments panel's "Hide resolved").
        self.hide_resolved = False
        #: The faces view is wanted (kept while moving between pairs); ``face_frame`` says
        #: whether this pair has one. The frozen reference keeps the face frame it had.
        self.faces = False
        self.reference_faces: FaceFrame | None = None

    def visible_marks(self) -> list[AnnotationRecord]:
        marks = self.shown.annotations
        return [a for a in marks if not a.resolved] if self.hide_resolved else list(marks)

    # -- geometry --------------------------------------------------------------------------
    @property
    def face_frame(self) -> FaceFrame | None:
        """The faces view's transforms when it is on and this pair has both faces."""
        faces = self.shown.faces
        return faces if self.faces and isinstance(faces, FaceFrame) else None

    def real_to_frame(self) -> QTransform:
        """Real pixels → frame: the identity, or into the canonical face frame."""
        ff = self.face_frame
        return QTransform(ff.real_to_face) if ff is not None else QTransform()

    def reference_to_frame(self) -> QTransform:
        """The frozen reference's pixels → frame (its own face, in the faces view)."""
        if self.face_frame is not None and self.reference_faces is not None:
            return QTransform(self.reference_faces.real_to_face)
        return QTransform()

    def twin_to_frame(self) -> QTransform:
        ff = self.face_frame
        if ff is not None:
            return QTransform(ff.twin_to_face)
        images = self.shown.images
        if self.aligned and self.shown.registration is not None:
            return self.shown.registration
        return images.unaligned if images else QTransform()

    def real_to_twin_frame(self) -> QTransform:
        """Real pixels → frame of the twin as drawn (annotations on the twin pane): through
        the registration when there is one; in a new shot's faces view, face to face."""
        reg = self.shown.registration
        if reg is not None and reg.isInvertible():
            inverse, _ok = reg.inverted()
            return inverse * self.twin_to_frame()
        return self.real_to_frame()

    def twin_in_real_terms(self) -> bool:
        """Whether a point of the real photograph has a place on the twin pane: through the
        registration, or face to face in the faces view. A new shot's twin as delivered has
        none, so marks, flag boxes and heat are not drawn on it (they would sit on another
        part of another picture), nor drawn from it."""
        return self.shown.registration is not None or self.face_frame is not None

    def real_to_twin_pixels(self) -> QTransform:
        """Real pixels → the twin's pixels shown at the same place (the pixel readout)."""
        inverse, _ok = self.twin_to_frame().inverted()
        return self.real_to_frame() * inverse

    def zoom_percent(self) -> float:
        """The zoom in real-image pixels (in the faces view the frame is not the real's)."""
        ff = self.face_frame
        return self.scale * (ff.real_scale if ff is not None else 1.0) * 100

    def overlay_blocked(self) -> str:
        """Why this composite mode lays nothing over the real photograph (a new shot outside
        the faces view: its two frames do not line up; a twin that cannot be read), or ''."""
        images = self.shown.images
        if self.mode is not Mode.TWO_UP and images is not None and images.twin is None:
            return images.why_no_twin
        if self.mode is Mode.TWO_UP or not self.shown.new_shot or self.face_frame is not None:
            return ""
        faces = self.shown.faces
        how = ("Faces view (Shift+F) lays one face over the other" if isinstance(faces, FaceFrame)
               else f"No faces view for this pair either: {faces}")
        return (f"New shot: the two frames do not line up, so {self.mode.value} would lay unrelated "
                f"pixels over each other.\n{how}; 2-up shows both frames as delivered.")

    def view_transform(self, size: QSizeF) -> QTransform:
        """Frame → widget pixels for a pane of this size."""
        return (QTransform.fromTranslate(-self.center.x(), -self.center.y())
                * QTransform.fromScale(self.scale, self.scale)
                * QTransform.fromTranslate(size.width() / 2, size.height() / 2))

    def frame_rect(self) -> QRectF:
        if self.face_frame is not None:
            return QRectF(FACE_RECT)
        return self.real_rect()

    def real_rect(self) -> QRectF:
        images = self.shown.images or self.reference
        if images is None:
            return QRectF(0, 0, 1, 1)
        return QRectF(0, 0, images.real.width, images.real.height)

    # -- zoom and pan (both panes follow) --------------------------------------------------
    def set_view(self, scale: float, center: QPointF, *, fitted: bool = False) -> None:
        self.scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        self.center = QPointF(center)
        self.fitted = fitted
        self.view_changed.emit()

    def fit_scale(self, pane: QSizeF) -> float:
        rect = self.frame_rect()
        return min(pane.width() / rect.width(), pane.height() / rect.height()) * 0.98

    def fit(self, pane: QSizeF) -> None:
        if pane.width() < 2 or pane.height() < 2:
            return
        self.set_view(self.fit_scale(pane), self.frame_rect().center(), fitted=True)

    def frame_box(self, box: QRectF, pane: QSizeF, margin: float = 0.15) -> None:
        """Show ``box`` (real-image pixels) as large as the pane allows with a margin around
        it, never smaller than fit (a wide body box must not zoom *out*). Along each axis the
        view is centred on the box, unless the whole image fits that way at this scale: then
        on the image (a large garment box shows the picture, not grey canvas beside it)."""
        if pane.width() < 2 or pane.height() < 2 or box.width() <= 0 or box.height() <= 0:
            return
        frame = self.frame_rect()
        mx, my = max(16.0, box.width() * margin), max(16.0, box.height() * margin)
        rect = box.adjusted(-mx, -my, mx, my)
        fit = self.fit_scale(pane)
        s = min(MAX_SCALE, max(fit, min(pane.width() / rect.width(), pane.height() / rect.height())))
        c, f = box.center(), frame.center()
        x = f.x() if frame.width() * s <= pane.width() else c.x()
        y = f.y() if frame.height() * s <= pane.height() else c.y()
        self.set_view(s, QPointF(x, y), fitted=s <= fit * 1.0001)

    def frame_real_box(self, box: QRectF, pane: QSizeF, margin: float = 0.15) -> None:
        """``frame_box`` for a box in real-image pixels (a flag's, a mark's)."""
        self.frame_box(self.real_to_frame().mapRect(box), pane, margin)

    def zoom_at(self, factor: float, anchor_widget: QPointF, pane: QSizeF) -> None:
        """Zoom keeping the frame point under ``anchor_widget`` where it is."""
        inverse, _ok = self.view_transform(pane).inverted()
        anchor = inverse.map(anchor_widget)
        new_scale = min(MAX_SCALE, max(MIN_SCALE, self.scale * factor))
        offset = (anchor_widget - QPointF(pane.width() / 2, pane.height() / 2)) / new_scale
        self.set_view(new_scale, anchor - offset)

    def pan_by(self, dx_widget: float, dy_widget: float) -> None:
        self.set_view(self.scale, self.center - QPointF(dx_widget, dy_widget) / self.scale)

    def zoom_to(self, rect: QRectF, pane: QSizeF) -> None:
        if rect.width() < 2 or rect.height() < 2:
            return
        s = min(pane.width() / rect.width(), pane.height() / rect.height())
        self.set_view(s, rect.center())

    # -- content ---------------------------------------------------------------------------
    def show(self, shown: Shown) -> None:
        before = self.face_frame is not None
        self.shown = shown
        self.selected = None
        self.preview = None
        if (self.face_frame is not None) != before:  # the frame changed meaning: fit anew
            self.fitted = True
            self.frame_changed.emit()
        self.changed.emit()

    def set_faces(self, on: bool) -> None:
        """Turn the faces view on or off (the frame changes meaning: fit again)."""
        self.faces = on
        self.fitted = True
        self.frame_changed.emit()
        self.changed.emit()

    def show_flag(self, mark: FlagMark) -> None:
        """Remember the state a flag click is about to change (only the first of a series)."""
        if self.before_flag is None:
            self.before_flag = OverlayState(self.heat, self.landmarks, self.faces, self.overlays_visible,
                                            self.scale, QPointF(self.center), self.fitted)
        self.flag = mark

    def restore_after_flag(self) -> bool:
        """Moving on: the flag's box goes, the overlays and view it changed come back."""
        saved, self.before_flag, self.flag = self.before_flag, None, None
        if saved is None:
            return False
        self.heat, self.landmarks, self.overlays_visible = saved.heat, saved.landmarks, saved.overlays_visible
        if saved.faces != self.faces:
            self.set_faces(saved.faces)
        self.set_view(saved.scale, saved.center, fitted=saved.fitted)
        self.changed.emit()
        return True

    def set_mode(self, mode: Mode) -> None:
        if mode != self.mode:
            self.mode = mode
            self.mode_changed.emit(mode.value)
            self.changed.emit()

    def touch(self) -> None:
        self.changed.emit()
