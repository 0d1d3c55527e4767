"""The window's long-running and undoable work: analysis and import progress, undo that goes
to the pair it changes, and the comments panel's marks (resolve, show, reply).

A mixin of ``MainWindow`` (like ``navigation``): each method forwards to the models, the
analysis status (``workstatus``) or the review layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage

from twinproof import review
from twinproof.gui import dialogs
from twinproof.review import AnnotationRecord
from twinproof.review import commands as cmd
from twinproof.review.geometry import bounds

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from twinproof.gui.analysing import AnalysisController
    from twinproof.gui.annotate import AnnotationTools
    from twinproof.gui.comments import CommentsPanel
    from twinproof.gui.compare import CompareView
    from twinproof.gui.metrics import MetricsPanel
    from twinproof.gui.pairlist import PairList
    from twinproof.gui.panels import DecisionBar
    from twinproof.gui.progress import ProgressStatus
    from twinproof.gui.session import ShootSession
    from twinproof.gui.workstatus import WorkStatus

    Base = QMainWindow
else:
    Base = object

#: The least a mark is framed by when it is shown (a pin has no size): real-image pixels.
MARK_FRAME = 60.0


class WorkflowMixin(Base):
    """Needs the window's parts below (declared for the type checker)."""

    if TYPE_CHECKING:
        session: ShootSession | None
        analysis: AnalysisController | None
        compare: CompareView
        tools: AnnotationTools
        pairs: PairList
        metrics: MetricsPanel
        progress: ProgressStatus
        comments: CommentsPanel
        bar: DecisionBar
        work: WorkStatus

        def ensure_reviewer(self) -> bool: ...

    # -- analysis (``workstatus.WorkStatus`` does it; these names are the window's commands) ---
    def analyse_all(self) -> None:
        self.work.analyse_all()

    def cancel_analysis(self) -> None:
        self.work.cancel()

    def _analysis_progress(self, pair_id: int, fraction: float, step: str) -> None:
        self.work.analysis_progress(pair_id, fraction, step)

    def _batch(self, done: int, total: int) -> None:
        self.work.batch(done, total)

    def analysis_busy(self) -> bool:
        return self.work.busy()

    def import_progress(self, fraction: float, stage: str) -> None:
        self.work.import_progress(fraction, stage)

    # -- undo you can see -----------------------------------------------------------------
    def visit_for_undo(self, pair_id: int | None, words: str) -> None:
        """Before a step on the undo stack is undone or redone: go to its pair if another is
        on screen, and say what is being undone (Ctrl+Z is never silent, never out of sight)."""
        session = self.session
        if session is None:
            return
        if pair_id is not None and pair_id in session.pairs and pair_id != session.current_id:
            if pair_id not in self.pairs.visible_ids():
                self.pairs.filter.setCurrentIndex(0)  # a filter must not hide where we go
            session.set_current(pair_id)
            words += " (went to that pair)"
        self.statusBar().showMessage(words, 12_000)

    def pair_name(self, pair_id: int) -> str:
        session = self.session
        state = session.pairs.get(pair_id) if session is not None else None
        return state.record.name if state is not None else f"pair {pair_id}"

    def real_image(self, pair_id: int) -> QImage | None:
        """The smallest pyramid level of a pair's real photograph, when it is on screen."""
        images = self.compare.model.shown.images
        if images is None or images.pair_id != pair_id:
            return None
        return images.real.levels[-1]

    def _talent_changed(self) -> None:
        """A person or consent changed (the workspace re-read the linked pairs): the decision
        bar's consent line follows."""
        if self.session is not None:
            self.bar.show_pair(self.session)

    # -- marks and their comments -------------------------------------------------------------
    def marks_changed(self) -> None:
        """A mark or reply changed: redraw the pair and re-list its comments."""
        self.compare.refresh_current()
        session = self.session
        self.comments.show_pair(session.store if session else None, session.current_id if session else None)

    def resolve_mark(self, annotation_id: int, resolved: bool) -> None:
        """The comments panel's tick: resolve or reopen, undoable and audited."""
        self.tools.push(cmd.Resolve(annotation_id, resolved))
        self.marks_changed()

    def show_mark(self, mark: AnnotationRecord) -> None:
        """Zoom to a mark listed in the comments panel and select it."""
        x0, y0, x1, y1 = bounds(mark.kind, mark.geometry)
        box = QRectF(x0, y0, x1 - x0, y1 - y0)
        c = box.center()
        w, h = max(box.width(), MARK_FRAME), max(box.height(), MARK_FRAME)
        model = self.compare.model
        model.frame_real_box(QRectF(c.x() - w / 2, c.y() - h / 2, w, h), QSizeF(self.compare.left.size()))
        model.selected = mark.id
        model.touch()

    def reply_to_mark(self, mark: AnnotationRecord) -> None:
        from twinproof.gui.markmenu import MarkMenu

        if self.ensure_reviewer():
            MarkMenu(self.tools, self).reply(mark)
            self.marks_changed()

    def comment_on_pair(self) -> None:
        session = self.session
        if session is None or session.current_id is None or not self.ensure_reviewer():
            return
        text = dialogs.ask_comment(self, session.pairs[session.current_id].record.name)
        if text is None:
            return
        try:
            review.add_comment(session.store, session.current_id, text)
        except review.ReviewError as exc:
            dialogs.show_error(self, "Comment not added", str(exc))
        self.marks_changed()

    def hide_resolved(self, on: bool) -> None:
        self.compare.model.hide_resolved = on
        self.compare.model.touch()
