"""The open shoot as a Qt model: its pairs, their stored analyses, and which one is shown.

The state itself is ``twinproof.review.workspace.Workspace``, a Qt-free model (the shoot, the
pairs and their typed results, the talent registry); this class adapts it to Qt signals and
keeps what only the app has (thumbnails, heat-map images, errors, which pair is shown). Widgets
subscribe (napari's ViewerModel pattern): the pair list, the metrics panel, the decision bar
and the compare view listen to ``pairs_reset``, ``pair_changed`` and ``current_changed``; the
Consent panel to ``talent_changed``, so a change made anywhere shows everywhere at once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from twinproof.core.result import AnalysisResult, DecodeError
from twinproof.review import PairRecord, ReviewStore, ShootRecord
from twinproof.review.workspace import Change, Workspace


@dataclass
class PairState:
    """What the app knows about one pair besides its record."""

    record: PairRecord
    result: dict[str, Any] | None = None
    thumbnail: QImage | None = None
    rating: int | None = None
    error: str | None = None
    #: Heat-map images of this session's analysis ({"ssim": QImage, "delta_e": QImage}).
    heat: dict[str, QImage] = field(default_factory=dict)
    _typed: AnalysisResult | None = field(default=None, repr=False)
    _decoded_from: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def typed(self) -> AnalysisResult | None:
        """The stored result, typed: decoded once per stored result (the workspace's decoding
        is reused), what the panels read; None when absent or unreadable."""
        if self._decoded_from is not self.result:
            self._decoded_from = self.result
            self._typed = None
            if self.result is not None:
                with contextlib.suppress(DecodeError, TypeError, ValueError):
                    self._typed = AnalysisResult.from_json(self.result)
        return self._typed

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def analysed(self) -> bool:
        # the same files, and the same control mark and portraits as when it was made
        return self.result is not None and self.record.up_to_date


class ShootSession(QObject):
    pairs_reset = Signal()
    pair_changed = Signal(int)
    current_changed = Signal(int)
    #: The talent registry changed (a person, consent, revocation, portrait, or a pair's link).
    talent_changed = Signal()
    #: The shoot's own record changed (its campaign).
    shoot_changed = Signal()
    error = Signal(str)

    def __init__(self, store: ReviewStore, shoot: ShootRecord, path: Path | str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.path = path
        self.pairs: dict[int, PairState] = {}
        self.order: list[int] = []
        self.current_id: int | None = None
        self.workspace = Workspace(store, shoot)
        self._sync_pairs()
        self._unsubscribe = self.workspace.subscribe(self._changed)

    @property
    def shoot(self) -> ShootRecord:
        return self.workspace.shoot

    # -- following the workspace -----------------------------------------------------------
    def _changed(self, change: Change, pair_id: int | None) -> None:
        if change is Change.PAIRS:
            self._sync_pairs()
        elif change is Change.PAIR and pair_id is not None and pair_id in self.pairs:
            self._sync_pair(self.pairs[pair_id])
            self.pair_changed.emit(pair_id)
        elif change is Change.TALENT:
            for pid, state in self.pairs.items():  # linked pairs' names and consent were re-read
                entry = self.workspace.pairs.get(pid)
                if entry is not None and entry.record != state.record:
                    self._sync_pair(state)
                    self.pair_changed.emit(pid)
            self.talent_changed.emit()
        elif change is Change.SHOOT:
            self.shoot_changed.emit()

    def _sync_pairs(self) -> None:
        old = self.pairs
        self.pairs = {}
        for pid in self.workspace.order:
            state = PairState(self.workspace.pairs[pid].record)
            if pid in old:
                prev = old[pid]
                state.thumbnail, state.heat, state.error = prev.thumbnail, prev.heat, prev.error
            self._sync_pair(state)
            self.pairs[pid] = state
        self.order = list(self.workspace.order)
        if self.current_id not in self.pairs:
            self.current_id = None
        self.pairs_reset.emit()

    def _sync_pair(self, state: PairState) -> None:
        entry = self.workspace.pairs[state.id]
        state.record = entry.record
        state.result = entry.stored
        state._typed, state._decoded_from = entry.result, entry.stored  # decoded once, there
        state.rating = entry.record.rating or None

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        self.workspace.reload()

    def reload_shoot(self) -> None:
        """Re-read the shoot's own record (its campaign changed)."""
        self.workspace.refresh_shoot()

    def refresh(self, pair_id: int) -> None:
        """Re-read one pair after a change (decision, analysis stored, talent linked)."""
        self.workspace.refresh_pair(pair_id)

    # -- navigation ----------------------------------------------------------------------
    @property
    def current(self) -> PairState | None:
        return self.pairs.get(self.current_id) if self.current_id is not None else None

    def set_current(self, pair_id: int | None) -> None:
        if pair_id == self.current_id or (pair_id is not None and pair_id not in self.pairs):
            return
        self.current_id = pair_id
        self.current_changed.emit(-1 if pair_id is None else pair_id)

    def set_thumbnail(self, pair_id: int, image: QImage) -> None:
        if pair_id in self.pairs:
            self.pairs[pair_id].thumbnail = image
            self.pair_changed.emit(pair_id)

    def set_error(self, pair_id: int, message: str | None) -> None:
        if pair_id in self.pairs:
            self.pairs[pair_id].error = message
            self.pair_changed.emit(pair_id)

    def set_heat(self, pair_id: int, heat: dict[str, QImage]) -> None:
        if pair_id in self.pairs:
            self.pairs[pair_id].heat = heat
            self.pair_changed.emit(pair_id)

    def close(self) -> None:
        self._unsubscribe()
        self.store.close()
