"""Drawing, selecting, moving and deleting marks, undoable through the review layer.

Marks are stored in real-image pixels (``twinproof.review.geometry``); a mark drawn on the
twin pane is mapped back through the registration before it is stored, and every pane maps
it forward again when painting, so one mark shows in the same place on both images.
Each edit is a ``twinproof.review.commands`` object wrapped in a ``StoreCommand`` (``undo``):
the store applies and audits the change, the window's one QUndoStack gives Ctrl+Z /
Ctrl+Shift+Z and the Edit menu, and a step of another pair goes to that pair first. A refused
step (another reviewer changed the mark: ``ConflictError``) is reported, dropped from the
stack, and the marks are reloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, QSizeF, Signal
from PySide6.QtGui import QMouseEvent, QPainterPathStroker, QUndoStack
from PySide6.QtWidgets import QInputDialog, QWidget

from twinproof.gui.painting import PIN_RADIUS, grip_point, shape_path
from twinproof.gui.pane import ImagePane
from twinproof.gui.undo import StoreCommand, Visit
from twinproof.gui.viewmodel import CompareModel
from twinproof.review import ReviewStore
from twinproof.review import commands as cmd
from twinproof.review.geometry import bounds, fit, translate

TOOLS = ("select", "zoom", "rectangle", "ellipse", "arrow", "freehand", "pin")


def ask_pin_text(parent: QWidget | None, current: str = "") -> str | None:
    """The comment of a pin or mark (a module function so tests can replace it)."""
    text, ok = QInputDialog.getText(parent, "Comment", "Comment for this mark:", text=current)
    return text if ok else None


class AnnotationTools(QObject):
    error = Signal(str)
    tool_changed = Signal(str)

    def __init__(self, model: CompareModel, reload: Callable[[], None],
                 parent: QObject | None = None, *, pair_name: Callable[[int], str] = str,
                 visit: Visit | None = None, ensure_reviewer: Callable[[], bool] = lambda: True) -> None:
        super().__init__(parent)
        self.model = model
        #: Called after a mark changed (the window redraws and re-lists the comments).
        self.reload = reload
        self.stack = QUndoStack(self)
        self.store: ReviewStore | None = None
        self.pair_id: int | None = None
        #: The pair's name for undo labels ("Move annotation on look03"), and where the window
        #: goes before a step of another pair is undone.
        self.pair_name = pair_name
        self.visit = visit
        #: Asks for the reviewer's name before the first mark is recorded.
        self.ensure_reviewer = ensure_reviewer
        self.tool = "select"
        self.colour = "#ff3b30"
        self._start: QPointF | None = None
        self._points: list[list[float]] = []
        self._moving: Any = None
        self._resizing: Any = None

    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.tool_changed.emit(tool)

    def _image_size(self) -> tuple[int, int] | None:
        images = self.model.shown.images
        return (images.real.width, images.real.height) if images else None

    def push(self, command: Any) -> None:
        """Carry out a mark edit on the pair on screen and put it on the undo stack."""
        if self.store is None or not self.ensure_reviewer():
            self.reload()
            return
        pid = self.pair_id
        self.stack.push(StoreCommand(self.store, command, self.reload, self.error.emit, pair_id=pid,
                                     pair_name=self.pair_name(pid) if pid is not None else "",
                                     visit=self.visit))

    def push_applied(self, store: ReviewStore, command: Any, after: Callable[[], None],
                     pair_id: int | None = None) -> None:
        """Put a command the caller has already carried out on the undo stack (decisions,
        talent links, ratings)."""
        name = self.pair_name(pair_id) if pair_id is not None else ""
        self.stack.push(StoreCommand(store, command, after, self.error.emit, applied=True,
                                     pair_id=pair_id, pair_name=name, visit=self.visit))

    # -- ToolHandler -----------------------------------------------------------------------
    def press(self, pane: ImagePane, real: QPointF, event: QMouseEvent) -> bool:
        if self.store is None or self.pair_id is None or self._image_size() is None:
            return False
        if self.tool == "select":
            grip = self.grip(pane, event.position())
            if grip is not None:  # the selected box's bottom-right corner: resize it
                self._resizing, self._start = grip, real
                return True
            hit = self.hit(pane, event.position())
            self.model.selected = hit.id if hit else None
            self.model.touch()
            if hit is None:
                return False
            self._moving, self._start = hit, real
            return True
        self._start = real
        self._points = [[real.x(), real.y()]]
        if self.tool == "pin":
            return True
        self.move(pane, real)
        return True

    def move(self, _pane: ImagePane, real: QPointF) -> None:
        if self._start is None:
            return
        if self._resizing is not None:
            rec = self._resizing
            self.model.preview = (rec.kind, self._resized(rec, real))
        elif self._moving is not None:
            d = real - self._start
            geometry = translate(self._moving.kind, self._moving.geometry, d.x(), d.y())
            self.model.preview = (self._moving.kind, geometry)
        else:
            self._points.append([real.x(), real.y()])
            kind = "rectangle" if self.tool == "zoom" else self.tool
            self.model.preview = (kind, self.geometry(kind, self._start, real))
        self.model.touch()

    def release(self, pane: ImagePane, real: QPointF) -> None:
        start, moving, resizing = self._start, self._moving, self._resizing
        self._start = self._moving = self._resizing = None
        self.model.preview = None
        if start is None:
            return
        if resizing is not None:
            if (real - start).manhattanLength() * self.model.scale > 3:
                self.push(cmd.reshape(resizing, self._resized(resizing, real)))
            self.model.touch()
            return
        if self.tool == "zoom":
            self._zoom_to(pane, start, real)
            return
        if self.pair_id is None:
            return
        size = self._image_size()
        tolerance = 4 / max(self.model.scale, 1e-6)  # a click, not a drag, in screen pixels
        if moving is not None:
            d = real - start
            if abs(d.x()) > tolerance or abs(d.y()) > tolerance:
                self.push(cmd.move(moving, d.x(), d.y()))
            self.model.touch()
            return
        body = ""
        if self.tool == "pin":
            text = ask_pin_text(pane)
            if text is None:
                return
            body = text
        elif (abs(real.x() - start.x()) < tolerance and abs(real.y() - start.y()) < tolerance):
            self.model.touch()
            return
        geometry = self.geometry(self.tool, start, real)
        assert size is not None
        self.push(cmd.AddAnnotation(self.pair_id, self.tool, geometry, size, self.colour, body))

    def _zoom_to(self, pane: ImagePane, a: QPointF, b: QPointF) -> None:
        """Zoom both panes to the dragged box, then go back to the select tool."""
        to_widget = pane.real_to_widget()
        inverse, _ok = pane.view().inverted()
        frame = [inverse.map(to_widget.map(p)) for p in (a, b)]
        rect = QRectF(frame[0], frame[1]).normalized()
        self.model.zoom_to(rect, QSizeF(pane.size()))
        self.set_tool("select")

    def geometry(self, kind: str, a: QPointF, b: QPointF) -> dict[str, Any]:
        if kind in ("rectangle", "ellipse"):
            return {"x": min(a.x(), b.x()), "y": min(a.y(), b.y()),
                    "w": abs(b.x() - a.x()), "h": abs(b.y() - a.y())}
        if kind == "arrow":
            return {"x1": a.x(), "y1": a.y(), "x2": b.x(), "y2": b.y()}
        if kind == "freehand":
            return {"points": [list(p) for p in self._points]}
        return {"x": a.x(), "y": a.y()}

    # -- selection -------------------------------------------------------------------------
    #: How far from a mark's line (or a pin's dot) a click still hits it, in screen pixels,
    #: whatever the zoom: a hand on a trackpad lands a few pixels off a 2 px line.
    HIT_PX = 10

    def hit(self, pane: ImagePane, widget_pos: QPointF) -> Any:
        """The topmost mark within ``HIT_PX`` screen pixels of the cursor, on this pane (an
        arrow's head counts as part of it; hidden resolved marks do not)."""
        to_widget = pane.real_to_widget()
        stroker = QPainterPathStroker()
        stroker.setWidth(2 * self.HIT_PX)
        for rec in reversed(self.model.visible_marks()):
            if rec.kind == "pin":
                c = to_widget.map(QPointF(rec.geometry["x"], rec.geometry["y"]))
                d = c - widget_pos
                if (d.x() ** 2 + d.y() ** 2) ** 0.5 <= PIN_RADIUS + self.HIT_PX:
                    return rec
                continue
            path = to_widget.map(shape_path(rec.kind, rec.geometry))
            if stroker.createStroke(path).contains(widget_pos):
                return rec
        return None

    def edit_text(self, pane: ImagePane, widget_pos: QPointF) -> bool:
        """Double-click on a mark: edit its comment (undoable like every edit)."""
        rec = self.hit(pane, widget_pos)
        if rec is None:
            return False
        self.edit_comment(rec, pane)
        return True

    def edit_comment(self, rec: Any, parent: QWidget) -> None:
        """Ask for a mark's new comment and store it (undoable)."""
        text = ask_pin_text(parent, rec.text)
        if text is not None and text != rec.text:
            self.push(cmd.edit_text(rec, text))

    def context_menu(self, pane: ImagePane, widget_pos: QPointF, global_pos: QPoint) -> bool:
        """Right-click on a mark: its menu (comment, reply, colour, flag link, delete)."""
        rec = self.hit(pane, widget_pos)
        if rec is None or self.store is None:
            return False
        from twinproof.gui.markmenu import MarkMenu

        self.model.selected = rec.id
        self.model.touch()
        MarkMenu(self, pane).show(rec, global_pos)
        return True

    GRIP_PX = 9

    def grip(self, pane: ImagePane, widget_pos: QPointF) -> Any:
        """The selected mark when the cursor is on its grip (an arrow's head, any other
        shape's bottom-right corner; pins have none)."""
        rec = next((a for a in self.model.shown.annotations if a.id == self.model.selected), None)
        point = grip_point(rec.kind, rec.geometry) if rec is not None else None
        if point is None:
            return None
        corner = pane.real_to_widget().map(point)
        return rec if (corner - widget_pos).manhattanLength() <= 2 * self.GRIP_PX else None

    @staticmethod
    def _resized(rec: Any, grip: QPointF) -> dict[str, Any]:
        """The mark's geometry with its grip dragged to ``grip``: an arrow's head moves, any
        other shape is stretched from its top-left corner (a freehand line scales with it)."""
        if rec.kind == "arrow":
            return {**rec.geometry, "x2": grip.x(), "y2": grip.y()}
        x0, y0, _x1, _y1 = bounds(rec.kind, rec.geometry)
        return fit(rec.kind, rec.geometry, (x0, y0, max(x0 + 1, grip.x()), max(y0 + 1, grip.y())))

    def delete_selected(self) -> bool:
        rec = next((a for a in self.model.shown.annotations if a.id == self.model.selected), None)
        if rec is None:
            return False
        self.model.selected = None
        self.push(cmd.delete(rec))
        return True
