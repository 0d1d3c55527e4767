"""The compare view: two locked panes (2-up) or one composite pane, fed by a pair loader.

When the current pair changes, its images are decoded by the core (``load_image``: ICC,
orientation and 16-bit handled exactly as for the metrics) and turned into display pyramids on
a worker, so the window never waits for a 60 MP file. The pair appears as soon as its pixels
are ready, aligned with the stored registration if there is one, even while its analysis is
still running; the overlays arrive when the analysis does. The last two pairs stay in memory
and the next one is prefetched, so stepping through a shoot feels immediate.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSizeF, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QTransform
from PySide6.QtWidgets import QHBoxLayout, QWidget

from twinproof import review
from twinproof.core.errors import ImageLoadError
from twinproof.core.imageio import load_image
from twinproof.core.result import Mode as ResultMode
from twinproof.gui import evidence, imaging
from twinproof.gui.faces import face_frame
from twinproof.gui.landmarks import landmark_sets
from twinproof.gui.pane import ImagePane
from twinproof.gui.session import ShootSession
from twinproof.gui.viewmodel import CompareModel, Mode, PairImages, Shown
from twinproof.gui.workers import Job, Pools

KEEP_PAIRS = 2


def load_pair_images(pair_id: int, name: str, real_path: str, twin_path: str,
                     job: Job | None = None) -> PairImages:
    """Both images as display pyramids; a quick preview goes out first for large files."""
    if job is not None:
        previews = imaging.read_preview(real_path), imaging.read_preview(twin_path)
        if previews[0] is not None and previews[1] is not None:
            job.signals.partial.emit(PairImages(pair_id, name, previews[0], previews[1], real_path, twin_path,
                                                preview=True))
    real = load_image(real_path)
    real_pyr = imaging.build_pyramid(real)
    del real
    try:
        twin_pyr = imaging.build_pyramid(load_image(twin_path))
    except ImageLoadError as exc:  # the real photograph is still worth seeing, with the reason
        return PairImages(pair_id, name, real_pyr, None, real_path, twin_path, twin_problem=str(exc))
    return PairImages(pair_id, name, real_pyr, twin_pyr, real_path, twin_path)


class CompareView(QWidget):
    #: Emitted when the current pair's pixels are on screen (used by tests and the benchmark).
    pair_shown = Signal(int)

    def __init__(self, pools: Pools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pools = pools
        self.model = CompareModel(self)
        self.session: ShootSession | None = None
        self.manual: dict[int, QTransform] = {}  # hand-nudged registrations, by pair
        self.cache: OrderedDict[int, PairImages] = OrderedDict()
        self.loading: dict[int, Job] = {}
        self.generation = 0
        self.left = ImagePane(self.model, "real", self)
        self.right = ImagePane(self.model, "twin", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.left)
        layout.addWidget(self.right)
        self.blink = QTimer(self)
        self.blink.setInterval(600)
        self.blink.timeout.connect(self._blink)
        self.model.mode_changed.connect(self._mode_changed)
        self.model.frame_changed.connect(lambda: QTimer.singleShot(0, self._refit))

    @property
    def panes(self) -> list[ImagePane]:
        return [self.left, self.right]

    def set_session(self, session: ShootSession | None) -> None:
        self.generation += 1  # results of jobs started for an earlier shoot are dropped
        self.session = session
        self.loading.clear()
        self.cache.clear()
        self.manual.clear()
        self.model.reference = None
        self.model.show(Shown(message="Open or import a shoot" if session is None else ""))
        if session is not None:
            session.current_changed.connect(self._current_changed)
            session.pair_changed.connect(self._pair_changed)

    # -- loading ---------------------------------------------------------------------------
    def _current_changed(self, pair_id: int) -> None:
        if self.session is None or pair_id < 0:
            self.model.show(Shown(message="No pair selected"))
            return
        state = self.session.pairs[pair_id]
        images = self.cache.get(pair_id)
        shown = self._shown_for(pair_id, images)
        if images is None:
            shown.message = f"Loading {state.record.name}…"
            self._load(pair_id, priority=20)
        self.model.show(shown)
        if images is not None:
            self._on_screen(pair_id)
        self._prefetch_next(pair_id)

    def _shown_for(self, pair_id: int, images: PairImages | None) -> Shown:
        assert self.session is not None
        state = self.session.pairs[pair_id]
        registration = self.manual.get(pair_id) or evidence.registration_matrix(state.typed)
        message = f"Cannot show this pair: {state.error}" if state.error and images is None else ""
        typed = state.typed
        return Shown(images, state.result, dict(state.heat),
                     review.list_annotations(self.session.store, pair_id), registration, message,
                     landmark_sets(state.result), face_frame(typed),
                     typed is not None and typed.mode is ResultMode.NEW_SHOT)

    def _load(self, pair_id: int, priority: int) -> None:
        if self.session is None or pair_id in self.loading or pair_id in self.cache:
            return
        rec = self.session.pairs[pair_id].record
        job = Job(lambda j: load_pair_images(rec.id, rec.name, rec.real_path, rec.twin_path, j),
                  f"load {rec.name}")
        job.signals.partial.connect(self._guard(self._preview))
        job.signals.done.connect(self._guard(self._loaded))
        job.signals.failed.connect(self._guard(lambda exc: self._load_failed(pair_id, exc)))
        self.loading[pair_id] = job
        self.pools.run(job, priority)

    def _guard(self, slot: Callable[[Any], None]) -> Callable[[Any], None]:
        """The slot, dropped if the shoot changed since the job started (pair ids repeat)."""
        generation = self.generation

        def call(value: Any) -> None:
            if generation == self.generation:
                slot(value)
        return call

    def _prefetch_next(self, pair_id: int) -> None:
        if self.session is None:
            return
        order = self.session.order
        i = order.index(pair_id) if pair_id in order else -1
        if 0 <= i < len(order) - 1 and not self.session.pairs[order[i + 1]].error:
            self._load(order[i + 1], priority=1)

    def _loaded(self, images: PairImages) -> None:
        self.loading.pop(images.pair_id, None)
        if self.pools.closing:
            return
        self.cache[images.pair_id] = images
        self.cache.move_to_end(images.pair_id)
        current = self.session.current_id if self.session else None
        while len(self.cache) > KEEP_PAIRS:
            oldest = next(iter(self.cache))
            if oldest == current:
                self.cache.move_to_end(oldest)
                continue
            self.cache.pop(oldest)
        if images.pair_id == current:
            self.model.show(self._shown_for(images.pair_id, images))
            self._on_screen(images.pair_id)

    def _preview(self, images: PairImages) -> None:
        """Show the quick preview of the current pair until its full pyramid arrives."""
        if self.pools.closing or self.session is None or images.pair_id != self.session.current_id:
            return
        if images.pair_id in self.cache:
            return
        shown = self._shown_for(images.pair_id, images)
        shown.message = "Preview: decoding full resolution…"
        self.model.show(shown)
        self._on_screen(images.pair_id)

    def _load_failed(self, pair_id: int, exc: BaseException) -> None:
        self.loading.pop(pair_id, None)
        if self.session is None or self.pools.closing:
            return
        self.session.set_error(pair_id, str(exc))
        if pair_id == self.session.current_id:
            self.model.show(self._shown_for(pair_id, None))

    def _on_screen(self, pair_id: int) -> None:
        if self.model.fitted:
            self.model.fit(QSizeF(self.left.size()))
        self.pair_shown.emit(pair_id)

    def _pair_changed(self, pair_id: int) -> None:
        """An analysis or decision arrived: refresh overlays without reloading pixels."""
        if self.session is None or pair_id != self.session.current_id:
            return
        self.refresh_current()

    def refresh_current(self) -> None:
        if self.session is None or self.session.current_id is None:
            return
        pid = self.session.current_id
        selected, preview = self.model.selected, self.model.preview
        images = self.cache.get(pid) or self.model.shown.images  # keep a preview on screen
        if images is not None and images.pair_id != pid:
            images = None
        self.model.show(self._shown_for(pid, images))
        self.model.selected, self.model.preview = selected, preview

    # -- modes, reference, alignment -------------------------------------------------------
    def _mode_changed(self, _mode: str) -> None:
        two_up = self.model.mode is Mode.TWO_UP
        self.right.setVisible(two_up)
        self.left.role = "real" if two_up else "composite"
        if self.model.mode is Mode.BLINK:
            self.blink.start()
        else:
            self.blink.stop()
            self.model.blink_twin = False
        QTimer.singleShot(0, self._refit)  # after the layout has given the pane its new size

    def _blink(self) -> None:
        self.model.blink_twin = not self.model.blink_twin
        self.model.touch()

    def toggle_reference(self) -> bool:
        """Freeze the left pane on this pair's real photograph (or release it)."""
        m = self.model
        m.reference = None if m.reference is not None else m.shown.images
        faces = m.shown.faces
        m.reference_faces = faces if m.reference is not None and not isinstance(faces, str) else None
        if m.reference is not None and m.mode is not Mode.TWO_UP:
            m.set_mode(Mode.TWO_UP)
        m.touch()
        return m.reference is not None

    def set_manual(self, pair_id: int, transform: QTransform | None) -> None:
        if transform is None:
            self.manual.pop(pair_id, None)
        else:
            self.manual[pair_id] = transform
        if self.session is not None and pair_id == self.session.current_id:
            self.model.shown.registration = transform or evidence.registration_matrix(
                self.session.pairs[pair_id].result)
            self.model.touch()

    def fit(self) -> None:
        self.model.fit(QSizeF(self.left.size()))

    def actual_pixels(self) -> None:
        """100 %: one real-image pixel to a screen pixel (in the faces view too)."""
        ff = self.model.face_frame
        per_pixel = ff.real_scale if ff is not None else 1.0
        self.model.set_view(1.0 / max(1e-6, self.devicePixelRatioF() * per_pixel), self.model.center)

    def _refit(self) -> None:
        """Fit again if the view is still fitted when this runs (the reviewer may have zoomed)."""
        if self.model.fitted:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._refit)

    def shutdown(self) -> None:
        self.blink.stop()
        for job in self.loading.values():
            job.cancel.set()
