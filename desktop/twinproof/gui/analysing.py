"""Analysis of the whole shoot in the background, the pair on screen first.

The core's ``analyze_pair`` does the work on a pool thread with its ``progress=`` and
``cancel=`` hooks; the result dict is written to the review store on the single save thread,
so reopening the shoot shows every metric at once. The heat maps are not part of the stored
dict, so they are coloured in the worker and kept for the session, and their float values are
cached on disk (``cache_dir()/maps``, keyed by both files' SHA-256) so a reopened shoot gets
its overlays back without re-running the analysis.

One analysis runs at a time: the core already uses two threads for colour, the machine may
have two cores, and the other interactive thread must stay free to load the next pair.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from twinproof import review
from twinproof.batch.maps import decode as decode_maps
from twinproof.batch.maps import encode as encode_maps
from twinproof.batch.maps import file_name as maps_file_name
from twinproof.batch.maps import write as write_maps
from twinproof.core.errors import AnalysisCancelled
from twinproof.gui import imaging
from twinproof.gui.session import ShootSession
from twinproof.gui.settings import cache_dir
from twinproof.gui.workers import Job, Pools

if TYPE_CHECKING:
    from twinproof.core.registration import Registration
    from twinproof.review.recorded import RecordedAnalysis


#: What an analysis job hands back: the typed record to store, and its heat maps.
Analysed = tuple["RecordedAnalysis", dict[str, QImage]]


def maps_cache_dir() -> Path:
    return cache_dir() / "maps"


def maps_cache_path(real_sha: str, twin_sha: str) -> Path:
    return maps_cache_dir() / maps_file_name(real_sha, twin_sha)


def heat_from_maps(maps: dict[str, np.ndarray]) -> dict[str, QImage]:
    return {name: imaging.heat_image(values, name) for name, values in maps.items()}


def load_cached_maps(real_sha: str, twin_sha: str, stored: dict[str, Any] | None = None,
                     database: str | None = None) -> dict[str, np.ndarray] | None:
    """The SSIM/ΔE maps last computed for these files, or None (never cached, unreadable).

    The app's own cache first; then the maps a batch run (``shoot analyze``, maybe on a
    cluster) kept beside the record, which the ``stored`` result names (``heat_maps``), so a
    shoot analysed elsewhere shows its overlays without analysing again."""
    cached = decode_maps(maps_cache_path(real_sha, twin_sha))
    if cached is not None or stored is None:
        return cached
    from twinproof.batch.maps import stored_maps

    return stored_maps(stored, database)


def load_cached_heat(real_sha: str, twin_sha: str, stored: dict[str, Any] | None = None,
                     database: str | None = None) -> dict[str, QImage] | None:
    maps = load_cached_maps(real_sha, twin_sha, stored, database)
    return None if maps is None else heat_from_maps(maps)


def save_cached_maps(real_sha: str, twin_sha: str, maps: dict[str, np.ndarray]) -> None:
    write_maps(maps_cache_dir(), maps_file_name(real_sha, twin_sha), encode_maps(maps))


class AnalysisController(QObject):
    """A queue of pairs to analyse; ``request`` puts one at the front."""

    progress = Signal(int, float, str)  # pair id, fraction, step
    batch = Signal(int, int)  # done, total of this run
    analysed = Signal(int)  # stored and the session refreshed
    failed = Signal(int, str)
    idle = Signal()
    files_changed = Signal(list)  # review.FileChange of every file edited, gone or unreadable

    def __init__(self, session: ShootSession, pools: Pools, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.pools = pools
        self.queue: list[tuple[int, Registration | None, bool]] = []
        self.current: Job | None = None
        self.current_pair: int | None = None
        self.done_count = 0
        self.total = 0
        self.pending_saves = 0
        self.closed = False
        self.auto_analyse = True  # re-analyse pairs whose files changed (the app's setting)

    @property
    def running(self) -> bool:
        return self.current is not None

    @property
    def busy(self) -> bool:
        """Anything running, queued, or analysed but not yet stored and shown."""
        return self.current is not None or bool(self.queue) or self.pending_saves > 0

    def analyse_all(self, first: int | None = None) -> None:
        """Queue every pair whose stored analysis is missing or out of date; ``first`` (the
        pair on screen) goes to the front of the queue."""
        todo = [pid for pid in self.session.order if not self.session.pairs[pid].analysed
                and not self.session.pairs[pid].error]
        for pid in todo:
            self._enqueue(pid, None, True, front=pid == first)
        self._next()

    def left(self) -> int:
        """Pairs still without a current analysis (errors aside)."""
        return sum(1 for s in self.session.pairs.values() if not s.analysed and not s.error)

    def check_files(self) -> None:
        """Re-hash the shoot's files in the background (the save thread: it records what
        changed); pairs whose files were edited since their analysis are then re-analysed.
        Analysis of what is already known to be stale does not wait for it."""
        store, shoot_id = self.session.store, self.session.shoot.id
        job = Job(lambda _j: review.check_files(store, shoot_id), "check files")
        job.signals.done.connect(self._files_checked)
        self.pools.save(job)

    def _files_checked(self, changes: list[Any]) -> None:
        if self.closed or self.pools.closing or not changes:
            return
        if any(c.status == "changed" for c in changes):
            self.session.reload()
            if self.auto_analyse:
                self.analyse_all()
        self.files_changed.emit(changes)

    def request(self, pair_id: int, registration: Registration | None = None,
                *, store: bool = True) -> None:
        """Analyse this pair next (the one on screen, or one aligned by hand)."""
        if self._running(pair_id) and registration is None:
            return
        self._enqueue(pair_id, registration, store, front=True)
        self._next()

    def _running(self, pid: int) -> bool:
        """This pair's analysis is under way (and not being cancelled)."""
        return pid == self.current_pair and self.current is not None and not self.current.cancel.is_set()

    def _enqueue(self, pid: int, reg: Registration | None, store: bool, *, front: bool) -> None:
        if self._running(pid) and reg is None:
            return  # already being analysed
        self.queue = [q for q in self.queue if q[0] != pid]
        entry = (pid, reg, store)
        if front:
            self.queue.insert(0, entry)
        else:
            self.queue.append(entry)
        self.total = self.done_count + len(self.queue) + (1 if self.current else 0)
        self.batch.emit(self.done_count, self.total)

    def close(self) -> None:
        """The shoot is closing: stop, and ignore whatever the running job still reports."""
        self.cancel()
        self.closed = True

    def cancel(self) -> None:
        """Stop the running analysis and forget the queue (stored results stay)."""
        self.queue.clear()
        if self.current is not None:
            self.current.cancel.set()
        else:
            self._finish_batch()

    def _finish_batch(self) -> None:
        self.done_count = self.total = 0
        self.batch.emit(0, 0)
        self.idle.emit()

    def _next(self) -> None:
        if self.current is not None or self.pools.closing:
            return
        if not self.queue:
            self._finish_batch()
            return
        pid, reg, store = self.queue.pop(0)
        state = self.session.pairs.get(pid)
        if state is None:
            self._next()
            return
        real, twin = state.record.real_path, state.record.twin_path
        records, talent_id = self.session.store, state.record.talent_id

        def work(job: Job) -> Analysed:
            # The one analysis every caller records (batch.recording): the files hashed first,
            # the twin's credentials read from the same bytes; stored on the save thread below.
            from twinproof.batch.recording import analyse_files

            # what it is measured against (her descriptors, the talent's portrait files still holding their
            # enrolled content: hashed here, off the GUI thread), recorded with it (review.staleness)
            against = review.read_basis(records, talent_id)
            analysed = analyse_files(real, twin, registration=reg, progress=job.report, cancel=job.cancel,
                                     talent=against.talent, references=list(against.files) or None,
                                     control=state.record.control, basis=against.basis)
            # the maps go to the app's cache under both hashes and the record names the file;
            # a cache that cannot be written only costs a re-analysis later
            with contextlib.suppress(OSError):
                analysed = analysed.with_maps_kept(maps_cache_dir())
            return analysed.record, heat_from_maps(analysed.maps)

        job = Job(work, f"analyse {state.record.name}")
        job.signals.progress.connect(lambda f, msg, p=pid: self.progress.emit(p, f, msg))
        job.signals.done.connect(lambda out, p=pid, s=store: self._done(p, out, s))
        job.signals.failed.connect(lambda exc, p=pid: self._failed(p, exc))
        self.current, self.current_pair = job, pid
        self.pools.run(job, priority=10)
        # named at once: the first analysis spends seconds importing and loading models
        self.progress.emit(pid, 0.0, "starting (loading the analysis and its models)")

    def _step(self) -> None:
        self.current = self.current_pair = None
        self.done_count += 1
        self.batch.emit(self.done_count, max(self.total, self.done_count))
        self._next()

    def _done(self, pid: int, out: Analysed, store: bool) -> None:
        if self.closed:
            return
        recorded, heat = out
        self.session.set_heat(pid, heat)
        if store:
            store_handle = self.session.store
            job = Job(lambda _j: review.store_analysis(store_handle, pid, recorded), "save analysis")
            job.signals.done.connect(lambda _rec, p=pid: self._stored(p))
            job.signals.failed.connect(lambda exc, p=pid: self._save_failed(p, exc))
            self.pending_saves += 1
            self.pools.save(job)
        else:
            self.analysed.emit(pid)
        self._step()

    def _stored(self, pid: int) -> None:
        self.pending_saves -= 1
        if self.pools.closing or self.closed:
            return
        self.session.refresh(pid)
        self.analysed.emit(pid)

    def _save_failed(self, pid: int, exc: BaseException) -> None:
        self.pending_saves -= 1
        if self.closed:
            return
        self.failed.emit(pid, f"analysis not saved: {exc}")

    def _failed(self, pid: int, exc: BaseException) -> None:
        if self.closed:
            return
        if isinstance(exc, AnalysisCancelled):
            self.current = self.current_pair = None
            # work asked for while the cancelled step wound down (Resume, a pair selected)
            # starts now; it was left queued with nothing running (issue 26)
            if self.queue:
                self.done_count = 0
                self.total = len(self.queue)
                self._next()
            else:
                self._finish_batch()
            return
        self.session.set_error(pid, str(exc))
        self.failed.emit(pid, str(exc))
        self._step()
