"""Plain, frozen snapshots of the review record handed to callers (GUI, CLI, export).

The ORM rows never leave a transaction: a Qt model can keep these dataclasses as long as it
likes without a session, and the ``version`` it shows is what it passes back as
``expected_version`` when the reviewer edits, so a stale view cannot overwrite newer work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from twinproof.review import models as m
from twinproof.review.staleness import TalentNow, of_analysis

if TYPE_CHECKING:
    from twinproof.review.recorded import RecordedAnalysis


@dataclass(frozen=True)
class ShootRecord:
    id: int
    name: str
    campaign: str | None
    real_dir: str | None
    twin_dir: str | None
    created_at: datetime


@dataclass(frozen=True)
class PairRecord:
    id: int
    shoot_id: int
    name: str
    real_path: str
    real_sha256: str
    twin_path: str
    twin_sha256: str
    talent_id: int | None
    talent_name: str | None
    state: str
    version: int
    broken: bool
    #: Verdict of the newest analysis ("pass", "warn", "fail"...) or None if never analysed.
    verdict: str | None
    #: True when the newest analysis was made on the files' current content.
    analysis_current: bool
    #: The reviewer's stars (0-5; None: never rated).
    rating: int | None = None
    #: A control frame: the generator's twin of this very real frame.
    control: bool = False
    #: Why the newest analysis no longer holds although its files did not change: the control
    #: mark, the linked talent or her reference portraits changed since (``review.staleness``);
    #: None if it holds.
    stale: str | None = None
    #: Who made the twin, as a reviewer named it (None: not named; the file may say).
    generator: str | None = None

    @property
    def up_to_date(self) -> bool:
        """An analysis exists and still holds: the same files, the same mark, the same portraits."""
        return self.analysis_current and self.stale is None

    @classmethod
    def of(cls, pair: m.Pair, analysis: m.Analysis | None,
           talents: Mapping[int, TalentNow] | None = None) -> PairRecord:
        """``talents``: the linked talent's portraits now (``staleness.talents_now``)."""
        current = analysis is not None and (analysis.real_sha256, analysis.twin_sha256) == (
            pair.real_sha256,
            pair.twin_sha256,
        )
        stale = None if analysis is None else of_analysis(pair, analysis, talents or {})
        return cls(
            pair.id, pair.shoot_id, pair.name, pair.real_path, pair.real_sha256,
            pair.twin_path, pair.twin_sha256, pair.talent_id,
            pair.talent.name if pair.talent else None, pair.state, pair.version,
            pair.broken_at is not None, analysis.verdict if analysis else None, current,
            pair.rating, bool(pair.control), stale, pair.generator,
        )


@dataclass(frozen=True)
class AnalysisRecord:
    id: int
    pair_id: int
    result: dict[str, Any]
    verdict: str | None
    policy_name: str | None
    policy_version: str | None
    model_versions: dict[str, str]
    real_sha256: str
    twin_sha256: str
    created_at: datetime

    @classmethod
    def of(cls, row: m.Analysis) -> AnalysisRecord:
        return cls(
            row.id, row.pair_id, dict(row.result), row.verdict, row.policy_name,
            row.policy_version, dict(row.model_versions), row.real_sha256, row.twin_sha256,
            row.created_at,
        )

    def recorded(self) -> RecordedAnalysis:
        """The stored analysis as the one typed record (DecodeError when it cannot be read:
        damaged, or made by a newer TwinProof, which the error says in one line)."""
        from twinproof.review.recorded import FileHashes, RecordedAnalysis

        return RecordedAnalysis.from_json(self.result, FileHashes(self.real_sha256, self.twin_sha256))


@dataclass(frozen=True)
class AnnotationRecord:
    id: int
    pair_id: int
    kind: str
    geometry: dict[str, Any]
    image_width: int
    image_height: int
    colour: str
    text: str
    #: The measurement of the flag this answers (``flag.metric``), None when not linked.
    flag_metric: str | None
    author: str
    created_at: datetime
    updated_at: datetime
    updated_by: str
    deleted: bool
    version: int
    #: Who marked the thread resolved (None: open).
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    #: A link made by (category, region) before migration 0004 that matched no single
    #: measurement, as "category/region" (shown, never matched to a flag); None otherwise.
    old_flag_link: str | None = None

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None

    def normalised(self) -> dict[str, Any]:
        """The geometry in 0-1 coordinates of the real image (what proofing tools exchange)."""
        from twinproof.review.geometry import normalised

        return normalised(self.kind, self.geometry, self.image_width, self.image_height)

    @classmethod
    def of(cls, row: m.Annotation) -> AnnotationRecord:
        return cls(
            row.id, row.pair_id, row.kind, dict(row.geometry), row.image_width,
            row.image_height, row.colour, row.text, row.flag_metric,
            row.author, row.created_at, row.updated_at, row.updated_by,
            row.deleted_at is not None, row.version, row.resolved_by, row.resolved_at,
            f"{row.flag_category}/{row.flag_region or '-'}"
            if row.flag_metric is None and row.flag_category else None,
        )


@dataclass(frozen=True)
class CommentRecord:
    id: int
    pair_id: int
    annotation_id: int | None
    author: str
    text: str
    created_at: datetime
    deleted: bool

    @classmethod
    def of(cls, row: m.Comment) -> CommentRecord:
        return cls(
            row.id, row.pair_id, row.annotation_id, row.author, row.text, row.created_at,
            row.deleted_at is not None,
        )


@dataclass(frozen=True)
class DecisionRecord:
    id: int
    pair_id: int
    state: str
    reasons: list[str]
    reason_text: str | None
    comment: str | None
    override_justification: str | None
    verdict_at_decision: str | None
    reviewer: str
    created_at: datetime
    #: The pair's version after this decision (set when returned by ``decide``).
    pair_version: int | None = None
    #: The database login that wrote it (PostgreSQL ``session_user``; None on SQLite).
    db_role: str | None = None
    #: The consent an approval rested on (for ``suspended``: the one revoked).
    consent_id: int | None = None

    @classmethod
    def of(cls, row: m.Decision, pair_version: int | None = None) -> DecisionRecord:
        return cls(
            row.id, row.pair_id, row.state, list(row.reasons), row.reason_text, row.comment,
            row.override_justification, row.verdict_at_decision, row.reviewer, row.created_at,
            pair_version, row.db_role, row.consent_id,
        )


@dataclass(frozen=True)
class ConsentRecord:
    id: int
    talent_id: int
    contract_ref: str
    starts_on: date
    expires_on: date
    campaigns: list[str]
    channels: list[str]
    revoked: bool
    #: The signed release attached by file (path as given, sha256 of its bytes then).
    release_path: str | None = None
    release_sha256: str | None = None
    recorded_by: str = ""
    created_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def of(cls, row: m.Consent) -> ConsentRecord:
        return cls(
            row.id, row.talent_id, row.contract_ref, row.starts_on, row.expires_on,
            list(row.campaigns), list(row.channels), row.revoked_at is not None,
            row.release_path, row.release_sha256, row.recorded_by, row.created_at, row.revoked_at,
        )


@dataclass(frozen=True)
class ConsentCoverage:
    """One pair of a consent's talent and whether that consent covers its twin on a day."""

    pair_id: int
    pair_name: str
    shoot_name: str
    campaign: str | None
    covered: bool
    #: Why not, in words ("expired on 2026-05-01; does not cover campaign 'FW26'"), or "".
    why_not: str


@dataclass(frozen=True)
class TalentRecord:
    id: int
    name: str
    agency: str | None
    version: int
    consents: list[ConsentRecord] = field(default_factory=list)

    @classmethod
    def of(cls, row: m.Talent) -> TalentRecord:
        return cls(
            row.id, row.name, row.agency, row.version,
            [ConsentRecord.of(c) for c in row.consents],
        )


@dataclass(frozen=True)
class RatingRecord:
    id: int
    pair_id: int
    stars: int
    reviewer: str
    created_at: datetime
    #: The pair's version after this rating (set when returned by ``rate``).
    pair_version: int | None = None

    @classmethod
    def of(cls, row: m.Rating, pair_version: int | None = None) -> RatingRecord:
        return cls(row.id, row.pair_id, row.stars, row.reviewer, row.created_at, pair_version)


@dataclass(frozen=True)
class ReferenceRecord:
    """A talent's reference portrait as the record keeps it: file hash, path, descriptor."""

    id: int
    talent_id: int
    path: str
    sha256: str
    descriptor: list[float]
    model: str
    quality: dict[str, Any]
    created_at: datetime
    created_by: str
    removed: bool
    #: Its file as last seen (migration 0009): None as enrolled, else ``missing``, ``edited`` or
    #: ``unreadable`` (left out of the talent's own range).
    file_problem: str | None = None

    @classmethod
    def of(cls, row: m.TalentReference) -> ReferenceRecord:
        return cls(row.id, row.talent_id, row.path, row.sha256, list(row.descriptor), row.model,
                   dict(row.quality or {}), row.created_at, row.created_by, row.removed_at is not None,
                   row.file_problem)
