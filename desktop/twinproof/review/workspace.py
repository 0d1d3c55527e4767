"""The open shoot as a plain, observable model: its pairs, their typed results, the talent
registry and its consents (napari's ViewerModel: state in a Qt-free object, views subscribe).

Why: the Consent panel went stale (issue 26). It re-read the registry only after its own
actions, so a person added or a pair linked from the T dialog, an undo, or another reviewer
on the team database left it saying "covers 0 of the 0 pair(s)" while two pairs were linked.
Now every change goes through here and every view listens: a write says what it changed
(``pair_changed``, ``talent_changed``), a re-read pair whose talent link moved also announces
the registry (what a consent covers changed), and ``poll`` reads the audit trail for changes
made by anyone else since the last look, so another reviewer's work shows without a reopen.

Listeners get a ``Change`` and, for a pair, its id. Nothing here imports Qt; the app's
``ShootSession`` adapts it to Qt signals, and tests drive it without a window or an analysis.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select

from twinproof.core.result import AnalysisResult, DecodeError
from twinproof.review import models as m
from twinproof.review.analysis import latest_analysis
from twinproof.review.audit import AuditEventKind
from twinproof.review.db import ReviewStore
from twinproof.review.records import PairRecord, ShootRecord, TalentRecord
from twinproof.review.shoots import get_pair, list_pairs, list_shoots
from twinproof.review.talent import list_talent


class Change(StrEnum):
    #: The list of pairs itself (imported, made, broken): re-read everything.
    PAIRS = "pairs"
    #: One pair's record or stored analysis (a decision, a rating, a link, a new result).
    PAIR = "pair"
    #: The talent registry: people, consents, revocations, portraits (and so coverage).
    TALENT = "talent"
    #: The shoot's own record (its campaign).
    SHOOT = "shoot"


Listener = Callable[[Change, int | None], None]

#: Audit events that change the registry, and those that change the list of pairs.
_TALENT_EVENTS = {AuditEventKind.TALENT, AuditEventKind.CONSENT, AuditEventKind.REFERENCE}
_PAIRS_EVENTS = {AuditEventKind.IMPORT, AuditEventKind.PAIR_MADE, AuditEventKind.PAIR_BROKEN}


@dataclass
class PairEntry:
    """One pair as stored: its record and its latest analysis (JSON and, once asked, typed)."""

    record: PairRecord
    stored: dict[str, Any] | None = None
    _typed: AnalysisResult | None = None
    _decoded: bool = False

    @property
    def result(self) -> AnalysisResult | None:
        """The typed result, decoded once (None when absent or unreadable)."""
        if not self._decoded:
            self._decoded = True
            if self.stored is not None:
                with contextlib.suppress(DecodeError, TypeError, ValueError):
                    self._typed = AnalysisResult.from_json(self.stored)
        return self._typed


class Workspace:
    def __init__(self, store: ReviewStore, shoot: ShootRecord) -> None:
        self.store = store
        self.shoot = shoot
        self.pairs: dict[int, PairEntry] = {}
        self.order: list[int] = []
        self.talent: list[TalentRecord] = []
        #: Why a consent has no signed release, by consent id (as the audit trail keeps it).
        self.release_reasons: dict[int, str] = {}
        self._listeners: list[Listener] = []
        self._seen = self._last_event()
        self.reload()

    # -- observing --------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change, pair_id)`` after every change; returns the unsubscriber."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)
        return unsubscribe

    def _emit(self, change: Change, pair_id: int | None = None) -> None:
        for listener in list(self._listeners):
            listener(change, pair_id)

    # -- reading ----------------------------------------------------------------------------
    def reload(self, *, keep_unchanged: bool = False, touched: frozenset[int] = frozenset()) -> None:
        """Re-read every pair and the registry. ``keep_unchanged``: a pair whose record is as
        before, and that is not among ``touched``, keeps its stored result without reading it
        again (a pair made elsewhere must not cost reading every analysis of the shoot)."""
        records = list_pairs(self.store, self.shoot.id)
        old = self.pairs if keep_unchanged else {}
        self.pairs = {r.id: old[r.id] if r.id in old and old[r.id].record == r and r.id not in touched
                      else self._entry(r) for r in records}
        self.order = [r.id for r in records]
        self.talent = list_talent(self.store)
        self.release_reasons = self._release_reasons()
        self._emit(Change.PAIRS)
        self._emit(Change.TALENT)

    def _entry(self, record: PairRecord) -> PairEntry:
        analysis = latest_analysis(self.store, record.id)
        return PairEntry(record, analysis.result if analysis is not None else None)

    def refresh_pair(self, pair_id: int) -> None:
        """Re-read one pair after a change to it. A pair whose talent link moved changes what
        the consents cover, so the registry is announced too."""
        old = self.pairs.get(pair_id)
        if old is None:
            return
        entry = self._entry(get_pair(self.store, pair_id))
        self.pairs[pair_id] = entry
        self._emit(Change.PAIR, pair_id)
        if (entry.record.talent_id, entry.record.talent_name) != (old.record.talent_id, old.record.talent_name):
            self.refresh_talent()

    def refresh_talent(self) -> None:
        """Re-read the registry (a person, consent or portrait changed) and the linked pairs,
        whose names and consent status may have changed with it."""
        self.talent = list_talent(self.store)
        self.release_reasons = self._release_reasons()
        for record in list_pairs(self.store, self.shoot.id):  # one query, not one per linked pair
            entry = self.pairs.get(record.id)
            if entry is not None and record != entry.record:
                self.pairs[record.id] = PairEntry(record, entry.stored, entry._typed, entry._decoded)
        self._emit(Change.TALENT)

    def refresh_shoot(self) -> None:
        for shoot in list_shoots(self.store):
            if shoot.id == self.shoot.id:
                self.shoot = shoot
        self._emit(Change.SHOOT)

    def person(self, name: str) -> TalentRecord | None:
        return next((t for t in self.talent if t.name == name), None)

    def linked(self, talent_id: int) -> list[int]:
        """The pairs of this shoot linked to a person."""
        return [pid for pid in self.order if self.pairs[pid].record.talent_id == talent_id]

    # -- writing ----------------------------------------------------------------------------
    def write(self, change: Callable[[], Any], *, talent: bool = False, pair_id: int | None = None) -> Any:
        """Run one change through the review layer (which audits it), then announce what it
        changed. Errors (``ReviewError``) reach the caller and nothing is announced."""
        out = change()
        # the audit mark is left where it was: another reviewer may have written just before,
        # and the next poll must still see that (re-reading our own change costs a query)
        if pair_id is not None:
            self.refresh_pair(pair_id)
        if talent:
            self.refresh_talent()
        return out

    def _release_reasons(self) -> dict[int, str]:
        with self.store.transaction() as session:
            details = session.scalars(select(m.AuditEvent.detail)
                                      .where(m.AuditEvent.event == str(AuditEventKind.CONSENT))).all()
        return {int(d["consent_id"]): str(d["no_release_reason"]) for d in details
                if isinstance(d, dict) and d.get("no_release_reason") and d.get("consent_id") is not None}

    # -- other reviewers --------------------------------------------------------------------
    def _last_event(self) -> int:
        with self.store.transaction() as session:
            return int(session.scalar(select(func.max(m.AuditEvent.id))) or 0)

    def poll(self) -> bool:
        """Read what anyone (another reviewer on the team database, a batch run, this app)
        recorded since the last look, and re-read what it touched. True when anything was."""
        with self.store.transaction() as session:
            rows = session.execute(select(m.AuditEvent.id, m.AuditEvent.event, m.AuditEvent.pair_id,
                                          m.AuditEvent.shoot_id)
                                   .where(m.AuditEvent.id > self._seen).order_by(m.AuditEvent.id)).all()
        if not rows:
            return False
        self._seen = max(r[0] for r in rows)
        events = {str(r[1]) for r in rows}
        if events & set(_PAIRS_EVENTS) and any(r[3] in (None, self.shoot.id) for r in rows):
            self.refresh_shoot()  # an import event also carries a campaign change
            self.reload(keep_unchanged=True, touched=frozenset(r[2] for r in rows if r[2] is not None))
            return True
        for pid in dict.fromkeys(r[2] for r in rows if r[2] in self.pairs):
            self.refresh_pair(pid)
        if events & set(_TALENT_EVENTS):
            self.refresh_talent()
        return True
