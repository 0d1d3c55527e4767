"""The open shoot as a Qt model: its pairs, their stored analyses, and which one is shown.

State lives here and widgets subscribe (napari's ViewerModel pattern): the pair list, the
metrics panel, the decision bar and the compare view all listen to ``pairs_reset``,
``pair_changed`` and ``current_changed`` instead of calling each other. Records come from
``twinproof.review`` as frozen dataclasses, so holding them costs no database session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from twinproof import review
from twinproof.review import PairRecord, ReviewStore, ShootRecord


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

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def analysed(self) -> bool:
        return self.result is not None and self.record.analysis_current


class ShootSession(QObject):
    pairs_reset = Signal()
    pair_changed = Signal(int)
    current_changed = Signal(int)
    error = Signal(str)

    def __init__(self, store: ReviewStore, shoot: ShootRecord, path: Path | str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.shoot = shoot
        self.path = path
        self.pairs: dict[int, PairState] = {}
        self.order: list[int] = []
        self.current_id: int | None = None
        self.reload()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        records = review.list_pairs(self.store, self.shoot.id)
        old = self.pairs
        self.pairs = {}
        for rec in records:
            state = PairState(rec)
            if rec.id in old:
                prev = old[rec.id]
                state.thumbnail, state.heat, state.error = prev.thumbnail, prev.heat, prev.error
            self._read_extras(state)
            self.pairs[rec.id] = state
        self.order = [r.id for r in records]
        if self.current_id not in self.pairs:
            self.current_id = None
        self.pairs_reset.emit()

    def _read_extras(self, state: PairState) -> None:
        analysis = review.latest_analysis(self.store, state.id)
        state.result = analysis.result if analysis is not None else None
        state.rating = state.record.rating or None

    def reload_shoot(self) -> None:
        """Re-read the shoot's own record (its campaign changed)."""
        for shoot in review.list_shoots(self.store):
            if shoot.id == self.shoot.id:
                self.shoot = shoot

    def refresh(self, pair_id: int) -> None:
        """Re-read one pair after a change (decision, analysis stored, talent linked)."""
        state = self.pairs.get(pair_id)
        if state is None:
            return
        state.record = review.get_pair(self.store, pair_id)
        self._read_extras(state)
        self.pair_changed.emit(pair_id)

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
        self.store.close()
