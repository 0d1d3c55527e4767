"""The append-only audit trail: who did what to which pair, when.

Every change in ``twinproof.review`` writes its event in the same transaction as the change
itself, so the trail can never disagree with the record. Three layers keep it append-only:
this module offers no update or delete, a ``before_flush`` guard refuses ORM changes to audit
rows and decisions, and the migration's triggers refuse raw SQL ``UPDATE``/``DELETE``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from twinproof.atomic import atomic_write_text
from twinproof.review import models as m
from twinproof.review.db import ReviewStore
from twinproof.review.errors import AuditImmutableError


class AuditEventKind(StrEnum):
    IMPORT = "import"
    FILE_CHANGED = "file_changed"
    PAIR_MADE = "pair_made"
    PAIR_BROKEN = "pair_broken"
    ANALYSIS = "analysis"
    #: A batch run could not analyse the pair (the error is in the detail); it is retried next run.
    ANALYSIS_FAILED = "analysis_failed"
    ANNOTATION = "annotation"
    COMMENT = "comment"
    DECISION = "decision"
    OVERRIDE = "override"
    CONSENT_BLOCK = "consent_block"
    #: An approval refused because the pair's analysis no longer holds (``review.staleness``);
    #: the detail says what was compared (migration 0010).
    STALE_BLOCK = "stale_block"
    #: An approval suspended because the consent it rested on was revoked.
    SUSPENDED = "suspended"
    TALENT = "talent"
    CONSENT = "consent"
    EXPORT = "export"
    RATING = "rating"
    REFERENCE = "reference"
    #: A pair marked (or unmarked) a control frame.
    CONTROL = "control"
    #: The generator of a pair's twin named (or cleared) by a reviewer.
    GENERATOR = "generator"


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    reviewer: str
    event: str
    shoot_id: int | None
    pair_id: int | None
    summary: str
    detail: dict[str, Any]
    #: The database login that wrote the event (PostgreSQL ``session_user``); None on SQLite.
    #: ``reviewer`` is the name the client gave; this one the client cannot choose.
    db_role: str | None = None


CSV_COLUMNS = ("id", "at", "reviewer", "event", "shoot_id", "pair_id", "summary", "detail", "db_role")


def record(
    session: Session,
    reviewer: str,
    kind: AuditEventKind,
    summary: str,
    *,
    pair_id: int | None = None,
    shoot_id: int | None = None,
    **detail: Any,
) -> None:
    """Add one event to the trail inside the caller's transaction."""
    session.add(
        m.AuditEvent(
            reviewer=reviewer, event=str(kind), summary=summary, pair_id=pair_id,
            shoot_id=shoot_id, detail=json.loads(json.dumps(detail, default=str)),
        )
    )


def record_export(
    store: ReviewStore, destination: str | Path, fmt: str, pair_ids: Sequence[int]
) -> None:
    """For the export engine: note that these pairs were written to ``destination``."""
    with store.transaction() as session:
        record(
            session, store.reviewer, AuditEventKind.EXPORT,
            f"exported {len(pair_ids)} pair(s) as {fmt} to {destination}",
            destination=str(destination), format=fmt, pair_ids=list(pair_ids),
        )


def audit_rows(store: ReviewStore, pair_id: int | None = None) -> list[AuditRow]:
    """The trail, oldest first, optionally for one pair."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.id)
    if pair_id is not None:
        query = query.where(m.AuditEvent.pair_id == pair_id)
    with store.transaction() as session:
        return [
            AuditRow(r.id, r.at, r.reviewer, r.event, r.shoot_id, r.pair_id, r.summary,
                     dict(r.detail), r.db_role)
            for r in session.scalars(query)
        ]


#: A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _literal(text: str) -> str:
    """User text (a pair or reviewer name, a summary quoting them) shown literally."""
    return "'" + text if text.startswith(_FORMULA) else text


def csv_rows(rows: Iterable[AuditRow]) -> list[list[str]]:
    """The trail as CSV cells (header first): ISO times, detail as compact JSON."""
    out = [list(CSV_COLUMNS)]
    for r in rows:
        out.append([
            str(r.id), r.at.isoformat(), _literal(r.reviewer), r.event,
            "" if r.shoot_id is None else str(r.shoot_id),
            "" if r.pair_id is None else str(r.pair_id), _literal(r.summary),
            json.dumps(r.detail, sort_keys=True, separators=(",", ":")), _literal(r.db_role or ""),
        ])
    return out


def write_audit_csv(rows: Iterable[AuditRow], stream: TextIO) -> None:
    """Write the trail as CSV to an open text stream (opened with ``newline=""``)."""
    csv.writer(stream).writerows(csv_rows(rows))


def export_audit_csv(store: ReviewStore, path: str | Path, pair_id: int | None = None) -> int:
    """Write the trail to ``path`` atomically (synced temp file + replace); audited. Returns
    the row count."""
    rows = audit_rows(store, pair_id)
    buffer = io.StringIO(newline="")
    write_audit_csv(rows, buffer)
    target = atomic_write_text(path, buffer.getvalue())
    record_export(store, target, "audit-csv", [] if pair_id is None else [pair_id])
    return len(rows)


@event.listens_for(Session, "before_flush")
def _refuse_history_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, m.AuditEvent | m.Decision | m.Rating) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AuditImmutableError(
                f"{type(obj).__tablename__} rows are append-only; add a new row instead"
            )
