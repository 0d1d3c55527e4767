"""Background work: two thread pools and a job type that reports back on the GUI thread.

Two pools, as Picard does: ``interactive`` (image loading, analysis: the pair on screen
first) and ``saves``, a single thread for database writes and exports so they never race each
other or the reviewer. Jobs are plain functions; each gets its own ``threading.Event`` that
the core checks (``cancel=``), and a ``progress(fraction, message)`` callback. Results and
errors come back through Qt signals, which Qt queues onto the GUI thread, so no widget is
ever touched from a worker. ``shutdown`` cancels and then waits for every thread, so the app
(and each test) ends with none running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(float, str)
    #: A first, partial result (e.g. a quick preview) before ``done``.
    partial = Signal(object)
    finished = Signal()


class Job(QRunnable):
    """One unit of background work: ``fn(job)`` runs on a pool thread; its return is ``done``."""

    def __init__(self, fn: Callable[[Job], Any], name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns the job (see Pools._live)
        self.fn = fn
        self.name = name
        self.cancel = threading.Event()
        self.signals = JobSignals()

    def report(self, fraction: float, message: str) -> None:
        """The core's ``progress=`` callback."""
        self.signals.progress.emit(float(fraction), str(message))

    def run(self) -> None:
        try:
            result = self.fn(self)
        except Exception as exc:  # noqa: BLE001 - every failure goes to the GUI thread as a value
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()


class Pools(QObject):
    """The app's two pools, and the live jobs (kept referenced until they finish)."""

    def __init__(self, interactive_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interactive = QThreadPool(self)
        self.interactive.setMaxThreadCount(max(1, interactive_threads))
        self.saves = QThreadPool(self)
        self.saves.setMaxThreadCount(1)
        self._live: set[Job] = set()
        self.closing = False

    def _track(self, job: Job) -> None:
        self._live.add(job)
        job.signals.finished.connect(lambda j=job: self._live.discard(j))

    def run(self, job: Job, priority: int = 0) -> Job:
        """Queue on the interactive pool (higher ``priority`` runs first)."""
        if not self.closing:
            self._track(job)
            self.interactive.start(job, priority)
        return job

    def save(self, job: Job) -> Job:
        """Queue on the single save/export thread (in order)."""
        if not self.closing:
            self._track(job)
            self.saves.start(job)
        return job

    @property
    def busy(self) -> bool:
        return bool(self.interactive.activeThreadCount() or self.saves.activeThreadCount())

    def shutdown(self, timeout_ms: int = 60_000) -> bool:
        """Cancel interactive work, let queued saves finish, wait for every thread to exit."""
        self.closing = True
        for job in list(self._live):
            if not job.name.startswith("save"):
                job.cancel.set()
        self.interactive.clear()
        ok = self.interactive.waitForDone(timeout_ms)
        ok = self.saves.waitForDone(timeout_ms) and ok
        return ok
