"""The status bar's account of long work: analysis (Ctrl+R, Resume, Cancel) and imports.

A controller of its own (it was part of the window's workflow mixin): it gets the progress
widget, the evidence panel, a way to speak in the status bar and how to find the open shoot and
its analysis in its constructor. It names the stage from the first second, shows how far the
batch is, and offers Resume while pairs are left unanalysed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from twinproof.gui.analysing import AnalysisController
from twinproof.gui.metrics import MetricsPanel
from twinproof.gui.progress import ProgressStatus, stage_words
from twinproof.gui.session import ShootSession


class WorkStatus(QObject):
    def __init__(self, progress: ProgressStatus, metrics: MetricsPanel, *, say: Callable[[str, int], None],
                 session: Callable[[], ShootSession | None], analysis: Callable[[], AnalysisController | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.progress, self.metrics, self.say = progress, metrics, say
        self.session, self.analysis = session, analysis
        progress.cancel_requested.connect(self.cancel)
        progress.resume_requested.connect(self.analyse_all)

    def watch(self, analysis: AnalysisController) -> None:
        """Follow a newly opened shoot's analysis."""
        analysis.progress.connect(self.analysis_progress)
        analysis.batch.connect(self.batch)
        analysis.analysed.connect(lambda _pid: self.batch(0, 0) if not self.busy() else None)

    def analyse_all(self) -> None:
        """Ctrl+R / Resume: every pair without a current analysis, the one on screen first."""
        analysis, session = self.analysis(), self.session()
        if analysis is not None and session is not None:
            analysis.analyse_all(first=session.current_id)

    def cancel(self) -> None:
        analysis = self.analysis()
        if analysis is not None:
            analysis.cancel()
            self.say("Analysis cancelled; finished pairs are kept. Resume (or Ctrl+R) goes on.", 8000)

    def busy(self) -> bool:
        analysis = self.analysis()
        return analysis is not None and analysis.busy

    def left(self) -> int:
        session = self.session()
        if session is None:
            return 0
        return sum(1 for s in session.pairs.values() if not s.analysed and not s.error)

    def analysis_progress(self, pair_id: int, fraction: float, step: str) -> None:
        session, analysis = self.session(), self.analysis()
        if session is None or pair_id not in session.pairs or analysis is None:
            return
        name = session.pairs[pair_id].record.name
        words = f"Analysing {name}: {stage_words(step)}"
        self.progress.stage(words, analysis.done_count + max(0.0, min(1.0, fraction)), analysis.total)
        if pair_id == session.current_id and session.current and session.current.result is None:
            self.metrics.show_pair(session.current, f"{words} ({fraction:.0%})")

    def batch(self, done: int, total: int) -> None:
        if total > 0:
            running = self.progress.running and self.progress.label.full_text().startswith("Analysing")
            self.progress.stage(self.progress.label.full_text() if running else "Analysing…", done, total)
        else:
            self.progress.idle(self.left())

    def import_progress(self, fraction: float, stage: str) -> None:
        """An import's stages (hashing every file takes a while on a real shoot)."""
        if fraction < 0:
            if not self.busy():
                self.progress.idle(self.left())
            return
        self.progress.stage(f"Importing: {stage}", fraction, 1, unit="")
        self.progress.bar.setFormat(f"{fraction:.0%}")
