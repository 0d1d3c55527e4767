"""Everything an export says about a pair, gathered once from the review record.

The writers (PDF, CSV/JSON, XMP) never query the database themselves: ``collect`` reads each
pair's newest analysis, annotations, comments, decisions, talent and consent status into a
frozen :class:`PairExport`, so every format of one export describes the same moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from twinproof import review
from twinproof.core.result import AnalysisResult, DecodeError
from twinproof.review import models as orm
from twinproof.review.errors import NotFoundError
from twinproof.review.talent import consent_problems

#: Decision states in the order a cover page counts them.
DECISION_ORDER = ("approved", "approved_with_changes", "suspended", "changes_requested", "rejected",
                  "unreviewed")
DECISION_WORDS = {
    "approved": "Approved",
    "approved_with_changes": "Approved with changes",
    "suspended": "Suspended",
    "changes_requested": "Changes requested",
    "rejected": "Rejected",
    "unreviewed": "Not reviewed",
}
APPROVING = frozenset({"approved", "approved_with_changes"})
#: What every export says of a twin that may not be used (the sheet, CSV, JSON, XMP).
NOT_CLEARED = "not cleared for use"
VERDICT_ORDER = ("pass", "review", "fail", "not analysed")


@dataclass(frozen=True)
class ConsentStatus:
    """Whether the talent's consent allows an approval today, in words for the sheet."""

    ok: bool
    text: str


@dataclass(frozen=True)
class PairExport:
    pair: review.PairRecord
    shoot: review.ShootRecord | None
    analysis: review.AnalysisRecord | None
    annotations: list[review.AnnotationRecord]
    comments: list[review.CommentRecord]
    decisions: list[review.DecisionRecord]
    talent: review.TalentRecord | None
    consent: ConsentStatus
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def decision(self) -> review.DecisionRecord | None:
        """The newest decision, or None when the pair was never decided."""
        return self.decisions[-1] if self.decisions else None

    @property
    def state(self) -> str:
        """The newest decision's state, from the same read as ``decision`` (so the two can
        never disagree within one export; the record derives the pair's state the same way)."""
        return self.decision.state if self.decision else "unreviewed"

    @property
    def decided(self) -> bool:
        return self.state != "unreviewed"

    @property
    def cleared(self) -> bool:
        """Whether the twin may be used: approved, and the consent still valid today."""
        return self.state in APPROVING and self.consent.ok

    @property
    def clearance(self) -> str:
        """``cleared for use`` or ``not cleared for use: why``, in one line for every export."""
        if self.cleared:
            return "cleared for use"
        d = self.decision
        if self.state == "suspended" and d is not None:
            return f"{NOT_CLEARED}: approval suspended - {d.reason_text or 'its consent was revoked'}"
        if self.state in APPROVING:
            return f"{NOT_CLEARED}: approved, but {self.consent.text}"
        return f"{NOT_CLEARED}: {DECISION_WORDS.get(self.state, self.state).lower()}"

    @property
    def result(self) -> dict[str, Any]:
        """The stored core analysis as JSON, upgraded to the current schema (empty when never
        analysed or unreadable)."""
        typed = self.analysis_result
        return typed.to_json() if typed is not None else {}

    @cached_property
    def analysis_result(self) -> AnalysisResult | None:
        """The stored analysis as the typed result (None: never analysed, or unreadable)."""
        if self.analysis is None:
            return None
        try:
            return AnalysisResult.from_json(dict(self.analysis.result))
        except (DecodeError, TypeError, ValueError):
            return None

    @property
    def unreadable(self) -> str | None:
        """Why a stored analysis cannot be read, or None."""
        if self.analysis is None or self.analysis_result is not None:
            return None
        try:
            AnalysisResult.from_json(dict(self.analysis.result))
        except (DecodeError, TypeError, ValueError) as exc:
            return str(exc)
        return None

    @property
    def verdict(self) -> str:
        return self.pair.verdict or "not analysed"

    @property
    def flags(self) -> list[dict[str, Any]]:
        """The flags in their JSON form (category, region, severity, metric, value, ...)."""
        return list(self.result.get("flags") or [])

    @property
    def talent_name(self) -> str | None:
        return self.pair.talent_name


def _scope(consent: Any) -> str:
    """One consent as the people it is sent to need it: contract, term, and what it covers."""
    campaigns = ", ".join(consent.campaigns) if consent.campaigns else "all campaigns"
    channels = ", ".join(consent.channels) if consent.channels else "all channels"
    return (f"{consent.contract_ref} ({consent.starts_on.isoformat()} to "
            f"{consent.expires_on.isoformat()}; {campaigns}; {channels})")


def _consent(store: review.ReviewStore, pair_id: int, on: date) -> ConsentStatus:
    # The decision layer's own rule, so the sheet can never disagree with what approval checks.
    with store.transaction() as session:
        pair = session.get(orm.Pair, pair_id)
        if pair is None:
            raise NotFoundError(f"no pair with id {pair_id}")
        problems = consent_problems(session, pair, on)
        if problems:
            return ConsentStatus(False, "; ".join(problems))
        talent = pair.talent
        assert talent is not None
        valid = [c for c in talent.consents if c.revoked_at is None
                 and c.starts_on <= on <= c.expires_on]
        refs = "; ".join(_scope(c) for c in valid)
        return ConsentStatus(True, f"consent on record for {talent.name}: {refs}" if refs
                             else f"consent on record for {talent.name}")


def select_pairs(
    store: review.ReviewStore,
    pair_refs: Sequence[int | str] | None = None,
    *,
    shoot_id: int | None = None,
) -> list[review.PairRecord]:
    """The pairs asked for (ids or unique names, in the order given), or all active pairs."""
    if pair_refs:
        seen: dict[int, review.PairRecord] = {}
        for ref in pair_refs:
            pair = review.find_pair(store, ref)
            seen.setdefault(pair.id, pair)
        return list(seen.values())
    return review.list_pairs(store, shoot_id)


def collect(
    store: review.ReviewStore,
    pairs: Sequence[review.PairRecord],
    *,
    decided_only: bool = False,
    on: date | None = None,
) -> list[PairExport]:
    """Read the record of each pair (skipping undecided ones when ``decided_only``)."""
    day = on or date.today()
    shoots = {s.id: s for s in review.list_shoots(store)}
    talents: dict[int, review.TalentRecord] = {}
    out: list[PairExport] = []
    for pair in pairs:
        if decided_only and pair.state == "unreviewed":  # derived from the decisions too
            continue
        talent = None
        if pair.talent_id is not None:
            if pair.talent_id not in talents:
                talents[pair.talent_id] = review.get_talent(store, pair.talent_id)
            talent = talents[pair.talent_id]
        out.append(PairExport(
            pair=pair,
            shoot=shoots.get(pair.shoot_id),
            analysis=review.latest_analysis(store, pair.id),
            annotations=review.list_annotations(store, pair.id),
            comments=review.list_comments(store, pair.id),
            decisions=review.decision_history(store, pair.id),
            talent=talent,
            consent=_consent(store, pair.id, day),
        ))
    return out


def metric_value(result: dict[str, Any] | AnalysisResult | None, path: str) -> float | None:
    """A number at a dotted path under ``metrics`` (None when absent or not measured)."""
    if result is None or (isinstance(result, dict) and not result):
        return None
    try:
        typed = result if isinstance(result, AnalysisResult) else AnalysisResult.from_json(result)
    except (DecodeError, TypeError, ValueError):
        return None
    value = typed.value(path)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
