"""Why a stored analysis no longer holds beyond its files: the control mark, the linked talent
or the talent's reference portraits changed since it was made (issues 23 and 26).

A pair marked a control frame is measured as a same frame, and a new shot's face is judged
against the linked talent's reference portraits: marking, unmarking, linking another talent,
adding or removing the talent's portraits, or a portrait file edited on disk changes what the analysis
would say. Each analysis records what it was measured against (migration 0009, the analysis'
*basis*): the talent, the reference portraits whose descriptors it read, and those of them whose
files still held their enrolled content (the talent's own range). Its mode reason says whether it was
made as a control (``core.result.yardstick.CONTROL_MARK``). Staleness compares those with the
record now, as sets of ids: no clock is compared, so neither a client's clock against the
server's nor an analysis that started before a portrait was added and was stored after it can
make a stale analysis look current.

The same rule is held by the database (``migrations/basis_0009``): a PostgreSQL function and
trigger, and a SQLite trigger, refuse an approval of a stale analysis. The wording here is the
database's, word for word (the tests compare them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from twinproof.core.result.yardstick import CONTROL_MARK
from twinproof.review import models as m

FILES = "its files changed since it was analysed"
MARKED = "marked a control frame since it was analysed"
UNMARKED = "no longer a control frame since it was analysed"
UNRECORDED = "it was stored without saying which talent and portraits it was measured against"
TALENT = "the pair's talent changed since it was analysed"
PORTRAITS = "the talent's reference portraits changed since it was analysed"
PORTRAIT_FILES = "a reference portrait's file changed on disk since it was analysed"
#: What to do about it (the approval refusal's last words).
ANALYSE_AGAIN = "analyse the pair again, then approve"


def refusal(pair_name: str, why: str) -> str:
    """The one sentence an approval of a stale analysis is refused with (the database's too)."""
    return f"cannot approve {pair_name!r}: its analysis is stale ({why}): {ANALYSE_AGAIN}"


@dataclass(frozen=True)
class Basis:
    """What an analysis was measured against: the talent linked when its references were read,
    and the file state seen for each of the talent's active reference portraits (``None``: the file held
    its enrolled content and was measured as hers; otherwise why it was left out: ``missing``,
    ``edited``, ``unreadable``)."""

    talent_id: int | None
    observed: tuple[tuple[int, str | None], ...] = ()

    @property
    def references(self) -> tuple[int, ...]:
        """The references whose descriptors the analysis read (the likeness)."""
        return tuple(sorted(i for i, _ in self.observed))

    @property
    def portraits(self) -> tuple[int, ...]:
        """The references whose files were measured (the talent's own range, a new shot's yardstick)."""
        return tuple(sorted(i for i, problem in self.observed if problem is None))


@dataclass(frozen=True)
class TalentNow:
    """A talent's active reference portraits now, and those of them whose files are not known
    to have changed (``talent_references.file_problem``)."""

    references: tuple[int, ...] = ()
    portraits: tuple[int, ...] = ()


def analysed_as_control(result: Mapping[str, Any] | None) -> bool:
    """Whether a stored result (JSON) was measured as a control frame."""
    analysis = (result or {}).get("analysis") or {}
    return str(analysis.get("mode_reason") or "").startswith(CONTROL_MARK)


def mode_reason_column() -> ColumnElement[str]:
    """The stored result's mode reason, read by the database (SQLite and PostgreSQL JSON) so a
    plan of many pairs never loads their results."""
    return m.Analysis.result["analysis"]["mode_reason"].as_string()


def _ids(value: Iterable[Any] | None) -> tuple[int, ...] | None:
    return None if value is None else tuple(sorted({int(v) for v in value}))


def reason(control: bool, was_control: bool, talent_id: int | None, analysed_for: int | None,
           references: Iterable[Any] | None, portraits: Iterable[Any] | None,
           now: TalentNow | None) -> str | None:
    """Why an analysis (made as a control or not, for talent ``analysed_for`` with these
    reference and portrait ids; None ids: not recorded) no longer holds for the pair as it is
    (its mark, its ``talent_id`` and the talent's portraits ``now``), or None if it holds."""
    if control and not was_control:
        return MARKED
    if was_control and not control:
        return UNMARKED
    refs, used = _ids(references), _ids(portraits)
    if refs is None or used is None:
        return UNRECORDED
    now = now or TalentNow()
    if analysed_for != talent_id and refs:
        return TALENT
    # An analysis that read no portraits is judged on the portraits alone: linking a talent
    # without any changes nothing it measured (no re-analysis of a shoot linked after its batch);
    # one with portraits is a change of the talent's portraits for this pair.
    if refs != now.references:
        return PORTRAITS
    if used != now.portraits:
        return PORTRAIT_FILES
    return None


def of_analysis(pair: m.Pair, analysis: m.Analysis, now: Mapping[int, TalentNow]) -> str | None:
    """:func:`reason` for a pair and its stored analysis (rows), beyond its files."""
    return reason(bool(pair.control), analysed_as_control(analysis.result), pair.talent_id, analysis.talent_id,
                  analysis.reference_ids, analysis.portrait_ids,
                  now.get(pair.talent_id) if pair.talent_id is not None else None)


def stale_for_approval(session: Session, pair: m.Pair, analysis: m.Analysis | None) -> str | None:
    """Why approving ``pair`` on its newest ``analysis`` is refused (files included); None when
    it may be approved (or there is no analysis: that is not this rule's to refuse)."""
    if analysis is None:
        return None
    if (analysis.real_sha256, analysis.twin_sha256) != (pair.real_sha256, pair.twin_sha256):
        return FILES
    return of_analysis(pair, analysis, talents_now(session, [pair.talent_id]))


def talents_now(session: Session, talent_ids: Iterable[int | None]) -> dict[int, TalentNow]:
    """Each talent's active reference portraits now (one query for a list of pairs)."""
    wanted = sorted({t for t in talent_ids if t is not None})
    if not wanted:
        return {}
    query = (select(m.TalentReference.talent_id, m.TalentReference.id, m.TalentReference.file_problem)
             .where(m.TalentReference.talent_id.in_(wanted), m.TalentReference.removed_at.is_(None))
             .order_by(m.TalentReference.id))
    refs: dict[int, list[int]] = {t: [] for t in wanted}
    usable: dict[int, list[int]] = {t: [] for t in wanted}
    for talent_id, ref_id, problem in session.execute(query):
        refs[int(talent_id)].append(int(ref_id))
        if problem is None:
            usable[int(talent_id)].append(int(ref_id))
    return {t: TalentNow(tuple(refs[t]), tuple(usable[t])) for t in wanted}


def compared(session: Session, pair: m.Pair, analysis: m.Analysis | None) -> dict[str, Any]:
    """What a decision on ``pair`` rests on, for its audit event (the keys of PostgreSQL's
    ``twinproof_decide``, migration 0010): the analysis, whether it holds by the whole rule, why
    not, and the ids compared — those recorded with the analysis and the pair's now."""
    why = stale_for_approval(session, pair, analysis)
    now = talents_now(session, [pair.talent_id]).get(pair.talent_id) if pair.talent_id is not None else None
    now = now or TalentNow()
    analysed = None if analysis is None else {
        "talent_id": analysis.talent_id, "reference_ids": _listed(analysis.reference_ids),
        "portrait_ids": _listed(analysis.portrait_ids)}
    return {"analysis_id": None if analysis is None else analysis.id,
            "analysis_current": analysis is not None and why is None, "stale_reason": why,
            "analysed": analysed,
            "now": {"talent_id": pair.talent_id, "reference_ids": list(now.references),
                    "portrait_ids": list(now.portraits)}}


def _listed(value: Any) -> list[int] | None:
    return list(_ids(value) or ()) if isinstance(value, list | tuple) else None
