"""Why a stored analysis no longer holds beyond its files: the control mark or her portraits
changed since it was made (issue 23).

A pair marked a control frame is measured as a same frame, and a new shot's face is judged
against the linked talent's reference portraits: marking, unmarking, or adding and removing
her portraits changes what the analysis would say. No column records either (no migration):
what the stored analysis already holds is enough — its mode reason says whether it was made
as a control (``core.result.yardstick.CONTROL_MARK``), and its time against the portraits'
own times (``created_at``, ``removed_at``) says whether they changed since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from twinproof.core.result.yardstick import CONTROL_MARK
from twinproof.review import models as m

MARKED = "marked a control frame since it was analysed"
UNMARKED = "no longer a control frame since it was analysed"
PORTRAITS = "the talent's reference portraits changed since it was analysed"


def analysed_as_control(result: Mapping[str, Any] | None) -> bool:
    """Whether a stored result (JSON) was measured as a control frame."""
    analysis = (result or {}).get("analysis") or {}
    return str(analysis.get("mode_reason") or "").startswith(CONTROL_MARK)


def mode_reason_column() -> ColumnElement[str]:
    """The stored result's mode reason, read by the database (SQLite and PostgreSQL JSON) so a
    plan of many pairs never loads their results."""
    return m.Analysis.result["analysis"]["mode_reason"].as_string()


def reason(control: bool, was_control: bool, analysed_at: datetime | None,
           portraits_changed_at: datetime | None) -> str | None:
    """Why the analysis made at ``analysed_at`` no longer holds, or None if it does."""
    if control and not was_control:
        return MARKED
    if was_control and not control:
        return UNMARKED
    if analysed_at is not None and portraits_changed_at is not None and portraits_changed_at > analysed_at:
        return PORTRAITS
    return None


def portraits_changed(session: Session, talent_ids: Iterable[int | None]) -> dict[int, datetime]:
    """When each talent's reference portraits last changed (one was added or removed)."""
    wanted = sorted({t for t in talent_ids if t is not None})
    if not wanted:
        return {}
    query = (select(m.TalentReference.talent_id, func.max(m.TalentReference.created_at),
                    func.max(m.TalentReference.removed_at))
             .where(m.TalentReference.talent_id.in_(wanted)).group_by(m.TalentReference.talent_id))
    out = {}
    for talent_id, added, removed in session.execute(query):
        times = [_aware(t) for t in (added, removed) if t is not None]
        if times:
            out[int(talent_id)] = max(times)
    return out


def _aware(value: datetime | str) -> datetime:
    """An aggregate over a UTC column comes back without its type on SQLite (naive, or text)."""
    from datetime import UTC

    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
