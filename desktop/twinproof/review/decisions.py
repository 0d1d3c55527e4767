"""Decisions on pairs, with the rules that make each one defensible later.

- Rejecting or requesting changes needs at least one reason (``Reason``; "other" needs text),
  because "rejected" alone tells the production team nothing to fix.
- Approving a pair whose stored verdict is "fail" needs a written override justification:
  the reviewer may know better than the metrics, but must say why, on the record.
- Approving needs a linked talent with valid consent on the day. This one cannot be
  overridden: a justification does not create consent; record the consent instead. Each
  block is written to the audit trail in its own transaction, so it survives the refusal.
- Approving needs an analysis that still holds, if the pair has one (``review.staleness``: its
  files, control mark, talent and reference portraits as they are now). No justification
  overrides it either: analyse the pair again. Checked first, so a reviewer is not asked for an
  override justification for a verdict that no longer stands; the database refuses it too
  (migration 0009).
Decisions are append-only rows; the pair's state is the newest one's (derived, never stored)
and the pair is version-checked. On PostgreSQL the database itself applies these rules
(``pg_rules``, migration 0003); on a SQLite file they run here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinproof.core.result import AnalysisResult, Category
from twinproof.review import models as m
from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import (
    ConsentError,
    OverrideRequiredError,
    ReasonRequiredError,
    ReviewError,
    StaleAnalysisError,
)
from twinproof.review.records import DecisionRecord
from twinproof.review.shoots import bump_version, check_version, latest_analysis_row, load_pair
from twinproof.review.staleness import compared, refusal, stale_for_approval
from twinproof.review.talent import consent_problems, covering_consent


class DecisionState(StrEnum):
    UNREVIEWED = "unreviewed"
    APPROVED = "approved"
    APPROVED_WITH_CHANGES = "approved_with_changes"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    #: Not a reviewer's choice: written by the record when the consent an approval rested on
    #: is revoked. The twin is not cleared for use until someone approves it again.
    SUSPENDED = "suspended"


class Reason(StrEnum):
    FACE_ALTERED = "face_altered"
    BODY_ALTERED = "body_altered"
    SKIN_TONE_SHIFTED = "skin_tone_shifted"
    SKIN_RETOUCHED = "skin_retouched"
    GARMENT_COLOUR_WRONG = "garment_colour_wrong"
    SCENE_COLOUR = "scene_colour_changed"
    NOT_THE_PERSON = "not_the_person"
    ARTEFACT = "artefact"
    OTHER = "other"


#: Each reason in words, for dialogs, sheets and summaries (a test checks every reason has one).
REASON_WORDS: dict[Reason, str] = {
    Reason.FACE_ALTERED: "Face altered (shape or features)",
    Reason.BODY_ALTERED: "Body altered (proportions, slimming, lengthening)",
    Reason.SKIN_TONE_SHIFTED: "Skin tone shifted (lighter or darker)",
    Reason.SKIN_RETOUCHED: "Skin retouched (texture smoothed)",
    Reason.GARMENT_COLOUR_WRONG: "Garment colour wrong (not the product's colour)",
    Reason.SCENE_COLOUR: "Scene colour or light changed (cast, grade)",
    Reason.NOT_THE_PERSON: "Not the person (likeness lost or wrong talent)",
    Reason.ARTEFACT: "Artefact (structure, generation errors)",
    Reason.OTHER: "Other (say what)",
}

APPROVING = frozenset({DecisionState.APPROVED, DecisionState.APPROVED_WITH_CHANGES})
NEEDS_REASON = frozenset({DecisionState.CHANGES_REQUESTED, DecisionState.REJECTED})

#: The reason a reviewer would give for a flag of each category (None: the flag is about the
#: measurement, not the twin — an uncertain alignment is checked, not rejected for). Every
#: category has an entry: a test checks the mapping is exhaustive.
CATEGORY_REASONS: dict[Category, Reason | None] = {
    Category.ALIGNMENT: None,
    Category.STRUCTURE: Reason.ARTEFACT,
    Category.COLOUR: Reason.SCENE_COLOUR,
    Category.FACE_SHAPE: Reason.FACE_ALTERED,
    Category.BODY_SHAPE: Reason.BODY_ALTERED,
    Category.SKIN_TONE: Reason.SKIN_TONE_SHIFTED,
    Category.SKIN_TEXTURE: Reason.SKIN_RETOUCHED,
    Category.GARMENT_COLOUR: Reason.GARMENT_COLOUR_WRONG,
    Category.IDENTITY: Reason.NOT_THE_PERSON,
}


def reason_for_flag(category: str | Category) -> Reason | None:
    """The reason matching a flag's category (``face_shape`` -> face_altered); None for a flag
    no reason answers (alignment) or a category this version does not know."""
    try:
        return CATEGORY_REASONS[Category(category)]
    except ValueError:
        return None


def suggest_reasons(result: dict[str, Any] | AnalysisResult | None) -> list[Reason]:
    """Reasons pre-ticked for a reviewer from an analysis's flags (order kept)."""
    if result is None:
        return []
    if isinstance(result, AnalysisResult):
        categories = [str(f.category) for f in result.flags]
    else:
        categories = [str(f.get("category", "")) for f in result.get("flags") or [] if isinstance(f, dict)]
    found: list[Reason] = []
    for category in categories:
        reason = reason_for_flag(category)
        if reason is not None and reason not in found:
            found.append(reason)
    return found


def _validate(state: DecisionState, reasons: list[Reason], reason_text: str | None) -> None:
    if state in NEEDS_REASON and not reasons:
        choices = ", ".join(r.value for r in Reason)
        raise ReasonRequiredError(f"{state.value} needs at least one reason ({choices})")
    if Reason.OTHER in reasons and not (reason_text or "").strip():
        raise ReasonRequiredError("reason 'other' needs a written explanation")


def parse_reasons(values: Iterable[str]) -> list[Reason]:
    try:
        return list(dict.fromkeys(Reason(v.strip().lower()) for v in values))
    except ValueError as exc:
        raise ReviewError(f"{exc}; reasons are: {', '.join(r.value for r in Reason)}") from None


def decide(
    store: ReviewStore,
    pair_id: int,
    state: DecisionState | str,
    *,
    reasons: Iterable[Reason | str] = (),
    reason_text: str | None = None,
    comment: str | None = None,
    override: str | None = None,
    expected_version: int | None = None,
    on: date | None = None,
    channel: str | None = None,
) -> DecisionRecord:
    """Record a decision on a pair, or raise the typed error of the rule that refuses it."""
    try:
        state = DecisionState(state)
    except ValueError:
        raise ReviewError(f"unknown decision {state!r}") from None
    reason_list = parse_reasons(str(r) for r in reasons)
    _validate(state, reason_list, reason_text)
    override = (override or "").strip() or None
    if state is DecisionState.SUSPENDED:
        raise ReviewError("a twin is suspended only by revoking its consent; decide approved, "
                          "rejected... instead")
    day = on or date.today()
    blocked: tuple[int, int, str, list[str]] | None = None
    audited: tuple[str, list[str]] | None = None
    stale: tuple[str, str] | None = None
    with store.transaction() as session:
        if pg_rules.on_postgres(session):  # the database checks the rules and audits
            done = pg_rules.decide(session, pair_id, state.value, [r.value for r in reason_list],
                                   reason_text, comment, override, expected_version, on, channel,
                                   store.reviewer)
            if "stale" in done:  # audited by the database in this transaction (migration 0010)
                stale = str(done["pair"]), str(done["stale"])
            elif "blocked" not in done:
                row = session.get(m.Decision, int(done["decision_id"]))
                assert row is not None
                return DecisionRecord.of(row, int(done["pair_version"]))
            else:
                audited = load_pair(session, pair_id).name, [str(p) for p in done["blocked"]]
        elif state in APPROVING and (refused := _stale(session, pair_id, expected_version)) is not None:
            stale = refused
            # the refusal is on the record, like a consent block (written here, committed below)
            _record_stale(session, store.reviewer, pair_id, state, override)
        else:
            result = _decide_here(session, store.reviewer, pair_id, state, reason_list, reason_text,
                                  comment, override, expected_version, day, channel)
            if isinstance(result, DecisionRecord):
                return result
            blocked = result
    if stale is not None:  # committed with its audit event, then refused
        raise StaleAnalysisError(refusal(*stale), stale[1])
    if audited is not None:  # PostgreSQL: the block was audited in the committed transaction
        raise ConsentError(f"cannot approve {audited[0]!r}: " + "; ".join(audited[1]), audited[1])
    assert blocked is not None
    pid, shoot_id, name, problems = blocked
    with store.transaction() as session:
        record(session, store.reviewer, AuditEventKind.CONSENT_BLOCK,
               f"{name}: approval blocked - " + "; ".join(problems), pair_id=pid,
               shoot_id=shoot_id, attempted=state.value, on=day.isoformat(), missing=problems,
               override_offered=override)
    raise ConsentError(f"cannot approve {name!r}: " + "; ".join(problems), problems)


def _stale(session: Session, pair_id: int, expected_version: int | None) -> tuple[str, str] | None:
    """(pair name, why) when the pair's newest analysis no longer holds, None when it holds (the
    version is checked first: a reviewer who decided on an older view is told that, not this)."""
    pair = load_pair(session, pair_id)
    check_version(pair, expected_version)
    why = stale_for_approval(session, pair, latest_analysis_row(session, pair.id))
    return None if why is None else (pair.name, why)


def _record_stale(session: Session, reviewer: str, pair_id: int, state: DecisionState,
                  override: str | None) -> None:
    """The ``stale_block`` event of a refused approval (PostgreSQL's ``twinproof_decide`` writes the same)."""
    pair = load_pair(session, pair_id)
    detail = compared(session, pair, latest_analysis_row(session, pair.id))
    record(session, reviewer, AuditEventKind.STALE_BLOCK,
           f"{pair.name}: approval refused - its analysis is stale ({detail['stale_reason']})",
           pair_id=pair.id, shoot_id=pair.shoot_id, attempted=state.value, override_offered=override, **detail)


def _decide_here(session: Session, reviewer: str, pair_id: int, state: DecisionState,
                 reason_list: list[Reason], reason_text: str | None, comment: str | None,
                 override: str | None, expected_version: int | None, day: date,
                 channel: str | None) -> DecisionRecord | tuple[int, int, str, list[str]]:
    """The rules on a SQLite file (the same as ``twinproof_decide`` on PostgreSQL): the new
    decision, or what blocked it (audited by the caller in its own transaction)."""
    pair = load_pair(session, pair_id)
    check_version(pair, expected_version)
    analysis = latest_analysis_row(session, pair.id)
    verdict = analysis.verdict if analysis else None
    consent_id = None
    if state in APPROVING:
        problems = consent_problems(session, pair, day, channel)
        if problems:
            return (pair.id, pair.shoot_id, pair.name, problems)
        if verdict == "fail" and not override:
            raise OverrideRequiredError(
                f"pair {pair.name!r} failed the analysis; approving it needs --override "
                "with a written justification"
            )
        covering = covering_consent(pair, day, channel)
        consent_id = covering.id if covering else None
    row = m.Decision(
        pair_id=pair.id, state=state.value, reasons=[r.value for r in reason_list],
        reason_text=reason_text, comment=comment, override_justification=override,
        verdict_at_decision=verdict, analysis_id=analysis.id if analysis else None,
        reviewer=reviewer, consent_id=consent_id,
    )
    session.add(row)
    session.flush()
    version = bump_version(session, pair)
    record(session, reviewer, AuditEventKind.DECISION,
           f"{pair.name}: {state.value}", pair_id=pair.id, shoot_id=pair.shoot_id,
           decision_id=row.id, reasons=row.reasons, reason_text=reason_text,
           comment=comment, verdict=verdict, consent_id=consent_id, **compared(session, pair, analysis))
    if override and state in APPROVING and verdict == "fail":
        record(session, reviewer, AuditEventKind.OVERRIDE,
               f"{pair.name}: failed verdict overridden", pair_id=pair.id,
               shoot_id=pair.shoot_id, decision_id=row.id, justification=override)
    session.flush()
    return DecisionRecord.of(row, version)


def decision_history(store: ReviewStore, pair_id: int) -> list[DecisionRecord]:
    """Every decision on the pair, oldest first."""
    query = select(m.Decision).where(m.Decision.pair_id == pair_id).order_by(m.Decision.id)
    with store.transaction() as session:
        load_pair(session, pair_id)
        return [DecisionRecord.of(r) for r in session.scalars(query)]
