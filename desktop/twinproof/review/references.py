"""Reference portraits of a talent: the likeness the person consented to, as descriptors.

The record keeps each portrait's file path and content hash, the face identity model's
descriptor of it and that model's version, never the pixels: a descriptor is enough to compare
a twin with the person, and the portrait file stays wherever the agency keeps it. Computing the
descriptor is the caller's job (``twinproof.core.identity``): the review layer never runs an
analysis. Adding and removing are audited; a removed reference is kept on record.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from twinproof.core.identity.likeness import TalentReferences
from twinproof.review import models as m
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import NotFoundError, ReviewError
from twinproof.review.records import ReferenceRecord
from twinproof.review.reference_basis import read_basis, record_file_states
from twinproof.review.shoots import latest_analysis_row
from twinproof.review.staleness import TalentNow, analysed_as_control, reason, stale_for_approval, talents_now
from twinproof.review.talent import load_talent


def add_reference(store: ReviewStore, talent: int | str, path: str | Path, sha256: str,
                  descriptor: Sequence[float], model: str,
                  quality: dict[str, Any] | None = None) -> ReferenceRecord:
    """Keep one reference portrait's descriptor for a talent (by id or name). The same file
    content twice for one talent is refused: it would count twice in the talent's spread."""
    values = [float(v) for v in descriptor]
    if not values or not all(v == v and abs(v) != float("inf") for v in values):
        raise ReviewError("a reference needs a finite face descriptor")
    with store.transaction() as session:
        row = load_talent(session, talent)
        dup = session.scalars(select(m.TalentReference).where(
            m.TalentReference.talent_id == row.id, m.TalentReference.sha256 == sha256,
            m.TalentReference.model == model, m.TalentReference.removed_at.is_(None))).first()
        if dup is not None:
            raise ReviewError(f"{Path(path).name} is already a reference of {row.name} (#{dup.id})")
        ref = m.TalentReference(talent_id=row.id, path=str(path), sha256=sha256, descriptor=values,
                                model=model, quality=dict(quality or {}), created_by=store.reviewer)
        session.add(ref)
        session.flush()
        record(session, store.reviewer, AuditEventKind.REFERENCE,
               f"reference portrait {Path(path).name} added for {row.name}", talent_id=row.id,
               reference_id=ref.id, path=str(path), sha256=sha256, model=model)
        return ReferenceRecord.of(ref)


def list_references(store: ReviewStore, talent: int | str, *, model: str | None = None,
                    include_removed: bool = False) -> list[ReferenceRecord]:
    """A talent's references, oldest first (only those of ``model`` when given)."""
    with store.transaction() as session:
        row = load_talent(session, talent)
        query = select(m.TalentReference).where(m.TalentReference.talent_id == row.id)
        if model is not None:
            query = query.where(m.TalentReference.model == model)
        if not include_removed:
            query = query.where(m.TalentReference.removed_at.is_(None))
        return [ReferenceRecord.of(r) for r in session.scalars(query.order_by(m.TalentReference.id))]


def remove_reference(store: ReviewStore, reference_id: int) -> ReferenceRecord:
    """Stop using a reference (kept on record, audited)."""
    with store.transaction() as session:
        ref = session.get(m.TalentReference, reference_id)
        if ref is None:
            raise NotFoundError(f"no reference portrait with id {reference_id}")
        if ref.removed_at is not None:
            raise ReviewError(f"reference #{reference_id} was already removed by {ref.removed_by}")
        ref.removed_at, ref.removed_by = m.utcnow(), store.reviewer
        talent = session.get(m.Talent, ref.talent_id)
        session.flush()
        record(session, store.reviewer, AuditEventKind.REFERENCE,
               f"reference portrait {Path(ref.path).name} removed from {talent.name if talent else '?'}",
               talent_id=ref.talent_id, reference_id=ref.id)
        return ReferenceRecord.of(ref)


def talent_references(store: ReviewStore, talent_id: int | None) -> TalentReferences | None:
    """What the analysis needs to compare a twin with the talent it is linked to: her name and
    her references' descriptors (None when the pair is linked to no one)."""
    if talent_id is None:
        return None
    with store.transaction() as session:
        talent = session.get(m.Talent, talent_id)
        if talent is None:
            return None
        query = select(m.TalentReference).where(m.TalentReference.talent_id == talent_id,
                                                m.TalentReference.removed_at.is_(None))
        refs = list(session.scalars(query.order_by(m.TalentReference.id)))
        name = talent.name
    models = {r.model for r in refs}
    model = models.pop() if len(models) == 1 else ("mixed: " + ", ".join(sorted(models)) if models else "")
    return TalentReferences(name, tuple(np.asarray(r.descriptor, np.float32) for r in refs), model)


def reference_files(store: ReviewStore, talent_id: int | None) -> list[str]:
    """The talent's active reference portraits that are still on disk with the content they were
    enrolled with (their paths): her own range as a new shot's yardstick (issue 23). A moved or
    edited portrait is left out rather than measured as hers. An analysis takes
    ``reference_basis.read_basis`` instead, which also says what it was measured against."""
    return list(read_basis(store, talent_id).files)


def record_reference_files(store: ReviewStore, observed: Sequence[tuple[int, str | None]]) -> list[int]:
    """Keep what was just seen of portrait files (``read_basis(...).basis.observed``, read off the
    writer's thread: it hashes every file) where it differs from the record, audited; the ids
    changed. An analysis that measured a portrait since edited or lost is then stale."""
    with store.transaction() as session:
        return record_file_states(session, store.reviewer, observed)


def stale_if_removed(store: ReviewStore, reference_id: int) -> list[str]:
    """The pairs whose analysis holds now and would no longer hold without this portrait (their
    names): the staleness rule itself (``review.staleness.reason``) asked about the talent's
    portraits as they would be, so a confirmation can say what removing it sends back to be
    analysed."""
    with store.transaction() as session:
        ref = session.get(m.TalentReference, reference_id)
        if ref is None:
            raise NotFoundError(f"no reference portrait with id {reference_id}")
        if ref.removed_at is not None:
            return []
        now = talents_now(session, [ref.talent_id])[ref.talent_id]
        after = TalentNow(tuple(i for i in now.references if i != ref.id),
                          tuple(i for i in now.portraits if i != ref.id))
        pairs = session.scalars(select(m.Pair).where(m.Pair.talent_id == ref.talent_id, m.Pair.broken_at.is_(None))
                                .order_by(m.Pair.id))
        names = []
        for pair in pairs:
            analysis = latest_analysis_row(session, pair.id)
            if analysis is None or stale_for_approval(session, pair, analysis) is not None:
                continue  # nothing current to lose
            if reason(bool(pair.control), analysed_as_control(analysis.result), pair.talent_id, analysis.talent_id,
                      analysis.reference_ids, analysis.portrait_ids, after) is not None:
                names.append(pair.name)
        return names
