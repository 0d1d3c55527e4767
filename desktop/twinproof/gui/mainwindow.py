"""The main window: arranges the views, docks, menus and status bar. Little else.

Commands live in ``actions``, state in ``ShootSession``/``CompareModel``, long work in
``workers``/``analysing``, opening shoots in ``opening``; this class connects them. The
start screen shows until a shoot is open; then the workspace: pair list (left), compare
view with the decision bar (centre), evidence and audit trail (right), analysis progress
with Cancel in the status bar.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSlider,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from twinproof.gui import actions as registry
from twinproof.gui import dialogs, docks, recent, screenfit, settings, shootops
from twinproof.gui.actionids import ActionId
from twinproof.gui.analysing import AnalysisController
from twinproof.gui.annotate import AnnotationTools
from twinproof.gui.comments import CommentsPanel
from twinproof.gui.compare import CompareView
from twinproof.gui.controls import DiffGain
from twinproof.gui.decisions import Decider
from twinproof.gui.following import ChangeWatch
from twinproof.gui.metrics import MetricsPanel
from twinproof.gui.navigation import NavigationMixin
from twinproof.gui.opening import OpeningMixin
from twinproof.gui.pairlist import PairList
from twinproof.gui.panels import AuditView, DecisionBar
from twinproof.gui.progress import ProgressStatus
from twinproof.gui.reviewer import ReviewerButton
from twinproof.gui.session import ShootSession
from twinproof.gui.start import StartScreen
from twinproof.gui.talentpanel import TalentPanel
from twinproof.gui.viewmodel import Mode
from twinproof.gui.workers import Job, Pools
from twinproof.gui.workflow import WorkflowMixin
from twinproof.gui.workstatus import WorkStatus

if TYPE_CHECKING:
    from twinproof.gui.exporting import ExportChoice


class MainWindow(OpeningMixin, NavigationMixin, WorkflowMixin, QMainWindow):
    session_opened = Signal()
    gain: DiffGain
    #: The export dialog's last choices for the open shoot (offered again next time).
    last_export: ExportChoice | None = None

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("TwinProof")
        self.settings = settings.load()
        self.pools = Pools(parent=self)
        self.session: ShootSession | None = None
        self.analysis: AnalysisController | None = None
        self.compare = CompareView(self.pools, self)
        self._maps_wanted: int | None = None
        self.compare.pair_shown.connect(self._maps_when_shown)
        self.compare.model.heat_opacity = self.settings.heat_opacity
        self.compare.model.onion = self.settings.onion_opacity
        self.compare.model.diff_gain = self.settings.diff_gain
        self.compare.blink.setInterval(max(100, self.settings.blink_ms))
        # controllers get what they need in their constructors (nothing assigned afterwards)
        self.tools = AnnotationTools(self.compare.model, self.marks_changed, self, pair_name=self.pair_name,
                                     visit=self.visit_for_undo, ensure_reviewer=self.ensure_reviewer)
        self.tools.error.connect(lambda text: dialogs.show_error(self, "Mark not changed", text))
        for pane in self.compare.panes:
            pane.tools = self.tools
        self.decider = Decider(self, self, undo=self.tools.push_applied, ensure_reviewer=self.ensure_reviewer,
                               real_image=self.real_image, run_job=self._run_interactive)
        self.qactions = registry.build(self)
        self._build_workspace()
        self._build_menus()
        self._set_workspace(False)
        # a laptop's 1366 × 768 (or 1280 × 720) screen gets a window that fits on it, title bar
        # and status bar included, also when the saved geometry came from a larger monitor
        self.setGeometry(screenfit.first_geometry(self))
        geometry = QSettings("TwinProof", "TwinProof").value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        screenfit.fit(self)
        self._placed = self.size()  # what the refit after the first show may still correct
        self._fitted_once = False
        # another reviewer on the team database (or a batch run) changed something: show it
        self.watch = ChangeWatch(self.statusBar().showMessage, self)
        self.sync_checks()

    # -- layout ----------------------------------------------------------------------------
    def _build_workspace(self) -> None:
        self.start = StartScreen(self)
        self.start.set_recent(self.settings.recent_shoots, self.settings.recent_details)
        self.start.import_requested.connect(self.import_dialog)
        self.start.open_requested.connect(self.open_dialog)
        self.start.sample_requested.connect(self.open_sample)
        self.start.recent_chosen.connect(lambda p: self.open_database(shootops.as_location(p)))
        self.start.folders_dropped.connect(self._dropped)
        self.setAcceptDrops(True)
        self.bar = DecisionBar(self.qactions, self)
        self.onion = QSlider(Qt.Orientation.Horizontal, self)
        self.onion.setRange(0, 100)
        self.onion.setValue(round(self.settings.onion_opacity * 100))
        self.onion.setToolTip("Onion skin: twin opacity")
        self.onion.valueChanged.connect(self._onion)
        self.compare.model.mode_changed.connect(lambda m: self.onion.setVisible(m == Mode.ONION.value))
        self.onion.hide()
        workspace = QWidget(self)
        column = QVBoxLayout(workspace)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.compare, 1)
        column.addWidget(self.onion)
        column.addWidget(self.bar)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.start)
        self.stack.addWidget(workspace)
        self.setCentralWidget(self.stack)
        self.pairs = PairList(self)
        self.pairs.view.selectionModel().currentChanged.connect(self._list_current)
        self.metrics = MetricsPanel(self)
        self.metrics.flag_clicked.connect(self.show_flag)
        self.talent = TalentPanel(self, ensure_reviewer=self.ensure_reviewer, run_job=self._run_interactive)
        self.comments = CommentsPanel(self)
        self.comments.resolve_requested.connect(self.resolve_mark)
        self.comments.mark_chosen.connect(self.show_mark)
        self.comments.reply_requested.connect(self.reply_to_mark)
        self.comments.pair_comment_requested.connect(self.comment_on_pair)
        self.comments.hide_resolved_changed.connect(self.hide_resolved)
        self.audit = AuditView(self)
        self.audit.export_requested.connect(self.export_audit)
        self.docks = docks.build(self, self.pairs, [("Evidence", self.metrics),
                                                    ("Comments", self.comments),
                                                    ("Consent", self.talent),
                                                    ("Audit", self.audit)])
        self.dock_pairs, self.dock_metrics = self.docks.pairs, self.docks.right[0]
        self.dock_comments, self.dock_talent, self.dock_audit = self.docks.right[1:4]
        self.progress = ProgressStatus(self)
        self.work = WorkStatus(self.progress, self.metrics, say=self.statusBar().showMessage,
                               session=lambda: self.session, analysis=lambda: self.analysis, parent=self)
        self.readout = QLabel("", self)
        self.readout.setToolTip("Cursor position (real-image pixels) and 8-bit sRGB of both images")
        self.compare.model.hover.connect(self._readout)
        self.reviewer_button = ReviewerButton(self.settings, self, say=self.statusBar().showMessage,
                                              store=lambda: self.session.store if self.session else None)
        status = self.statusBar()
        status.addWidget(self.reviewer_button)
        status.addPermanentWidget(self.readout)
        status.addPermanentWidget(self.progress, 1)
        self.show_reviewer()

    def _run_interactive(self, job: Job) -> object:
        """A reviewer's own request (a portrait, a likeness) ahead of the batch's analyses."""
        return self.pools.run(job, priority=5)

    def _build_menus(self) -> None:
        menus = {name: self.menuBar().addMenu(f"&{name}") for name in registry.MENUS}
        undo = self.tools.stack.createUndoAction(self, "Undo")
        undo.setShortcut("Ctrl+Z")
        redo = self.tools.stack.createRedoAction(self, "Redo")
        redo.setShortcut("Ctrl+Shift+Z")
        menus["Edit"].addActions([undo, redo])
        for spec in registry.REGISTRY.values():
            menus[spec.menu].addAction(self.qactions[spec.id])
        # the pair list's context menu: what is said of a pair, on the pair (right-click selects it)
        self.pairs.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.pairs.view.addActions([self.qactions[ActionId.PAIR_TALENT], self.qactions[ActionId.PAIR_GENERATOR]])
        for dock in self.docks.all:
            menus["View"].addAction(dock.toggleViewAction())
        bar = self.compare_bar = self.addToolBar("Compare")
        bar.setObjectName("Compare")
        a = ActionId
        for key in (a.MODE_TWO_UP, a.MODE_SWIPE, a.MODE_ONION, a.MODE_BLINK, a.MODE_DIFFERENCE, None,
                    a.VIEW_FACES, a.VIEW_HEAT_SSIM, a.VIEW_HEAT_DE, a.VIEW_LANDMARKS, a.VIEW_OVERLAYS,
                    a.VIEW_ALIGNED, a.VIEW_FREEZE, None, a.ZOOM_FIT, a.ZOOM_ACTUAL):
            bar.addSeparator() if key is None else bar.addAction(self.qactions[key])
            if key is a.MODE_DIFFERENCE:  # its gain, shown only in difference mode
                self.gain = DiffGain(self.compare.model, self)
                self.gain_action = bar.addWidget(self.gain)
                self.gain_action.setVisible(False)
                self.compare.model.mode_changed.connect(
                    lambda m: self.gain_action.setVisible(m == Mode.DIFFERENCE.value))
        marks = self.marks_bar = QToolBar("Marks", self)
        marks.setObjectName("Marks")
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, marks)
        for tool in (a.TOOL_SELECT, a.TOOL_ZOOM, a.TOOL_RECTANGLE, a.TOOL_ELLIPSE, a.TOOL_ARROW,
                     a.TOOL_FREEHAND, a.TOOL_PIN):
            marks.addAction(self.qactions[tool])
        self.compare.model.mode_changed.connect(lambda _m: self.sync_checks())

    def sync_checks(self) -> None:
        for key, value in registry.checked_state(self).items():
            self.qactions[ActionId(key)].setChecked(value)
        for key, value in registry.enabled_state(self).items():
            self.qactions[ActionId(key)].setEnabled(value)

    def _set_workspace(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        for bar in (self.compare_bar, self.marks_bar):
            bar.setVisible(on)
        self.docks.show_workspace(self, on)

    # -- the open shoot -------------------------------------------------------------------
    def open_session(self, session: ShootSession) -> None:
        self.close_shoot()
        self.session = session
        self.last_export = None
        self.setWindowTitle(f"TwinProof — {session.shoot.name}")
        last_pair = recent.note_opened(self.settings, session)
        with contextlib.suppress(OSError):
            settings.save(self.settings)
        # a new shoot starts at fit, with nothing of the previous one's zoom or readout
        self.compare.model.restore_after_flag()
        self.compare.model.fitted = True
        self.readout.setText("")
        self.analysis = AnalysisController(session, self.pools)
        self.work.watch(self.analysis)
        self.analysis.failed.connect(lambda pid, text: self.statusBar().showMessage(text, 10000))
        self.tools.store, self.tools.pair_id = session.store, None
        self.tools.stack.clear()
        self.decider.session = session
        self.compare.set_session(session)
        self.pairs.model.set_session(session)
        self.audit.set_session(session)
        self.talent.set_session(session)
        self.show_reviewer()
        session.current_changed.connect(self._current_changed)
        session.pair_changed.connect(self._pair_changed)
        session.talent_changed.connect(self._talent_changed)
        self._set_workspace(True)
        if session.order:  # the pair last viewed in this shoot, else the first
            by_name = {session.pairs[i].record.name: i for i in session.order}
            first = self.pairs.visible_ids()[0] if self.pairs.visible_ids() else session.order[0]
            session.set_current(by_name.get(last_pair or "", first))
        shootops.load_thumbnails(session, self.pools)
        self.analysis.auto_analyse = self.settings.analyse_on_open
        self.analysis.files_changed.connect(self._files_changed)
        if self.settings.analyse_on_open:
            self.analysis.analyse_all()
        self.analysis.check_files()
        self.watch.follow(session)
        self.session_opened.emit()

    def _files_changed(self, changes: list) -> None:
        words = {"changed": "edited since import: re-analysing", "missing": "missing",
                 "unreadable": "unreadable"}
        lines = [f"{c.pair_name} ({c.side}): {words[c.status]}" for c in changes[:3]]
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        self.statusBar().showMessage("Files: " + "; ".join(lines) + more, 15000)

    def close_shoot(self) -> None:
        self.watch.follow(None)
        if self.analysis is not None:
            # not deleted: a running job may still report to it; close() makes it ignore that
            self.analysis.close()
            self.analysis = None
        if self.session is not None:
            recent.note_closed(self.settings, self.session)
            with contextlib.suppress(OSError):
                settings.save(self.settings)
            for signal in (self.session.current_changed, self.session.pair_changed,
                           self.session.pairs_reset, self.session.talent_changed):
                with contextlib.suppress(RuntimeError, RuntimeWarning):
                    signal.disconnect()
            self.session.close()
            self.session = None
        self.decider.session = None
        self.tools.store = None
        self.tools.stack.clear()  # its commands hold the closed shoot's store
        self.compare.set_session(None)
        self.pairs.model.set_session(None)
        self.audit.set_session(None)
        self.talent.set_session(None)
        self.comments.show_pair(None, None)
        self.progress.idle(0)
        self.start.set_recent(self.settings.recent_shoots, self.settings.recent_details)
        self._set_workspace(False)
        self.setWindowTitle("TwinProof")

    # -- shutdown --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop background work and wait for every thread (also called by tests)."""
        if self.analysis is not None:
            self.analysis.cancel()
        self.compare.shutdown()
        self.pools.shutdown()
        self.close_shoot()

    def showEvent(self, event: QShowEvent) -> None:
        """Once framed by the window manager, fit again with the real title bar and borders."""
        super().showEvent(event)
        if not self._fitted_once:
            self._fitted_once = True
            for delay in (0, 250):
                QTimer.singleShot(delay, self, self._fit_framed)

    def _fit_framed(self) -> None:
        """Only once a window manager has framed the window (nothing to learn otherwise), and
        only the size placed at start: a size set since (by the reviewer, a test) is kept."""
        if self.frameGeometry() != self.geometry() and self.size() == self._placed:
            screenfit.fit(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit at once: the window goes first (what the reviewer waits for), then the running
        analysis is cancelled and every thread waited for; queued saves still finish, so
        nothing recorded is lost (issue 26: quitting took over 4 s with the window on screen)."""
        QSettings("TwinProof", "TwinProof").setValue("geometry", self.saveGeometry())
        self.settings.onion_opacity = self.compare.model.onion
        self.settings.diff_gain = self.compare.model.diff_gain
        with contextlib.suppress(OSError):
            settings.save(self.settings)
        if self.analysis is not None:
            self.analysis.cancel()  # its step ends at the next check while the window hides
        self.hide()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        self.shutdown()
        super().closeEvent(event)
