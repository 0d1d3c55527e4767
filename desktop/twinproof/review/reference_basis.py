"""What an analysis is measured against, read once before it starts: the talent linked to the
pair, the talent's reference descriptors (the likeness), and the talent's portrait files that still hold their
enrolled content (the talent's own range, a new shot's yardstick).

Read in one transaction so the three agree, and kept with the analysis (``RecordedAnalysis.basis``)
so the record knows what it was measured against (``review.staleness``): a portrait added while
the analysis ran, after it was read, makes the analysis stale when it is stored. Reading hashes
each portrait file; what it saw (missing, edited, unreadable) is recorded in the reference's
``file_problem`` by the writer (``store_analysis``, ``check_files``), audited, so an analysis
that measured a portrait since edited on disk is stale too. Reading writes nothing: the app
runs it on its analysis thread, the batch on its client, and every write stays on the writer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from twinproof.core.identity.likeness import TalentReferences
from twinproof.hashing import file_sha256
from twinproof.review import models as m
from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.staleness import Basis

MISSING, EDITED, UNREADABLE = "missing", "edited", "unreadable"
#: Each problem in words, for the audit trail.
PROBLEM_WORDS = {MISSING: "its file is missing", EDITED: "its file no longer holds the content it was enrolled with",
                 UNREADABLE: "its file cannot be read"}


@dataclass(frozen=True)
class ReferenceBasis:
    """The talent's references as an analysis is given them, and the :class:`Basis` to record."""

    basis: Basis
    #: Her reference descriptors (None: the pair is linked to no one).
    talent: TalentReferences | None = None
    #: The talent's portrait files measured as the talent's own range (paths, each once).
    files: tuple[str, ...] = ()


def file_problem(path: str, sha256: str) -> str | None:
    """Why a portrait file no longer counts as hers, or None when it holds its enrolled content."""
    try:
        if not Path(path).is_file():
            return MISSING
        return None if file_sha256(path) == sha256 else EDITED
    except OSError:
        return UNREADABLE


def read_basis(store: ReviewStore, talent_id: int | None) -> ReferenceBasis:
    """The talent's active references and the state of their files, now (hashes every file)."""
    if talent_id is None:
        return ReferenceBasis(Basis(None))
    with store.transaction() as session:
        talent = session.get(m.Talent, talent_id)
        refs = [] if talent is None else list(session.scalars(select(m.TalentReference).where(
            m.TalentReference.talent_id == talent_id, m.TalentReference.removed_at.is_(None))
            .order_by(m.TalentReference.id)))
        name = talent.name if talent is not None else None
        found = [(r.id, r.path, r.sha256, np.asarray(r.descriptor, np.float32), r.model) for r in refs]
    if name is None:
        return ReferenceBasis(Basis(talent_id))
    observed = tuple((ref_id, file_problem(path, sha)) for ref_id, path, sha, _d, _m in found)
    models = {model for *_rest, model in found}
    model = models.pop() if len(models) == 1 else ("mixed: " + ", ".join(sorted(models)) if models else "")
    talent_refs = TalentReferences(name, tuple(d for _i, _p, _s, d, _m in found), model)
    usable = {ref_id for ref_id, problem in observed if problem is None}
    files = tuple(dict.fromkeys(path for ref_id, path, *_ in found if ref_id in usable))
    return ReferenceBasis(Basis(talent_id, observed), talent_refs, files)


def basis_now(session: Session, talent_id: int | None) -> Basis:
    """The basis as the record knows it now, for a caller that read no files (an analysis stored
    without its basis: the record's references and their last seen file states)."""
    if talent_id is None:
        return Basis(None)
    rows = session.execute(select(m.TalentReference.id, m.TalentReference.file_problem).where(
        m.TalentReference.talent_id == talent_id, m.TalentReference.removed_at.is_(None)))
    return Basis(talent_id, tuple((int(i), p) for i, p in rows))


def record_file_states(session: Session, reviewer: str, observed: Iterable[tuple[int, str | None]]) -> list[int]:
    """Keep what was seen of each portrait file where it differs from what the record holds,
    audited (the ids changed). A removed reference is left as it is. On PostgreSQL through
    ``twinproof_set_reference_file`` (the reviewer role may not UPDATE the column)."""
    changed = []
    for ref_id, problem in observed:
        ref = session.get(m.TalentReference, ref_id)
        if ref is None or ref.removed_at is not None or ref.file_problem == problem:
            continue
        talent = session.get(m.Talent, ref.talent_id)
        who = talent.name if talent is not None else "?"
        summary = (f"reference portrait {Path(ref.path).name} of {who}: its file holds its enrolled content again"
                   if problem is None else
                   f"reference portrait {Path(ref.path).name} of {who}: {PROBLEM_WORDS.get(problem, problem)}; "
                   "left out of the talent's own range until its file holds the enrolled content again")
        if pg_rules.on_postgres(session):  # the database's door: the state and its audit event at once
            session.flush()
            if pg_rules.set_reference_file(session, ref.id, problem, summary, reviewer):
                session.expire(ref)
                changed.append(ref.id)
            continue
        ref.file_problem = problem
        record(session, reviewer, AuditEventKind.REFERENCE, summary, talent_id=ref.talent_id,
               reference_id=ref.id, file_problem=problem, path=ref.path)
        changed.append(ref.id)
    session.flush()
    return changed
