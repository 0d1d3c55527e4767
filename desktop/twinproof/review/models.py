"""The review record as SQLAlchemy 2 ORM models.

The same models serve a one-reviewer SQLite file and a team's PostgreSQL server. Rows that
several reviewers can edit (pairs, annotations, talent) carry a ``version`` column used by
SQLAlchemy's optimistic ``version_id_col``: an UPDATE that finds a newer version raises
instead of overwriting. History tables (decisions, analyses, audit events) are append-only;
the migrations add database triggers so even raw SQL cannot rewrite the audit trail.
Times are stored as naive UTC and returned as aware UTC (``UTCDateTime``) because SQLite
keeps no time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonType = JSON().with_variant(JSONB(), "postgresql")
#: JSON where Python's None is SQL NULL (not the JSON value null): "not recorded", which the
#: database's own rules test with IS NULL.
JsonOrNull = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the review record; use UTC-aware times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, aware UTC (one place so every row agrees on the clock)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Shoot(Base):
    __tablename__ = "shoots"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    campaign: Mapped[str | None] = mapped_column(String(200))
    real_dir: Mapped[str | None] = mapped_column(Text)
    twin_dir: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    pairs: Mapped[list[Pair]] = relationship(back_populates="shoot")


class Talent(Base):
    __tablename__ = "talents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    consents: Mapped[list[Consent]] = relationship(back_populates="talent", order_by="Consent.id")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Consent(Base):
    """One signed grant: a term, the campaigns and channels it covers, the contract."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    contract_ref: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    #: Empty list = every campaign / channel.
    campaigns: Mapped[list[str]] = mapped_column(JsonType, default=list)
    channels: Mapped[list[str]] = mapped_column(JsonType, default=list)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
    #: The signed release, attached by file: where it was and what its bytes hashed to (the
    #: file itself is never copied or altered, so the hash is what proves which one it was).
    release_path: Mapped[str | None] = mapped_column(Text)
    release_sha256: Mapped[str | None] = mapped_column(String(64))
    talent: Mapped[Talent] = relationship(back_populates="consents")


class Decision(Base):
    """One decision on a pair; append-only, the newest is the pair's state (``suspended`` is
    written by the record itself when the consent an approval rested on is revoked)."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id"), index=True)
    state: Mapped[str] = mapped_column(String(40))
    reasons: Mapped[list[str]] = mapped_column(JsonType, default=list)
    reason_text: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    override_justification: Mapped[str | None] = mapped_column(Text)
    verdict_at_decision: Mapped[str | None] = mapped_column(String(40))
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analyses.id"))
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The login that wrote it (PostgreSQL ``session_user``, set by a trigger; None on SQLite).
    db_role: Mapped[str | None] = mapped_column(String(200))
    #: The consent an approval rested on (or, for ``suspended``, the one whose revocation
    #: suspended it): revoking that consent suspends the approval.
    consent_id: Mapped[int | None] = mapped_column(Integer)


class Pair(Base):
    __tablename__ = "pairs"
    #: A twin is in one active pair of its shoot (migration 0008; ``review.pair_rules`` words it,
    #: and on PostgreSQL a trigger also holds the rest of that rule).
    __table_args__ = (UniqueConstraint("shoot_id", "name", name="uq_pairs_shoot_name"),
                      Index("uq_pairs_active_twin", "shoot_id", "twin_path", unique=True,
                            postgresql_where=sql_text("broken_at IS NULL"), sqlite_where=sql_text("broken_at IS NULL")))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shoot_id: Mapped[int] = mapped_column(ForeignKey("shoots.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    real_path: Mapped[str] = mapped_column(Text)
    real_sha256: Mapped[str] = mapped_column(String(64))
    twin_path: Mapped[str] = mapped_column(Text)
    twin_sha256: Mapped[str] = mapped_column(String(64))
    talent_id: Mapped[int | None] = mapped_column(ForeignKey("talents.id"), index=True)
    #: The newest decision's state, derived by the database on every read: there is no
    #: column a client could set (``UPDATE pairs SET state`` has nothing to update).
    state: Mapped[str] = column_property(func.coalesce(
        select(Decision.state).where(Decision.pair_id == id).order_by(Decision.id.desc()).limit(1)
        .correlate_except(Decision).scalar_subquery(), "unreviewed"))
    #: Cached from the latest Rating row (None: never rated; 0: stars cleared).
    rating: Mapped[int | None] = mapped_column(Integer)
    #: A pair broken by hand is kept (with its history) but no longer listed.
    broken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A control frame: the generator's twin of this very real frame (migration 0005).
    control: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    #: Who made the twin, as a reviewer named it (migration 0007); the shoot audit takes it over
    #: the twin's Content Credentials.
    generator: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    shoot: Mapped[Shoot] = relationship(back_populates="pairs")
    talent: Mapped[Talent | None] = relationship()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Analysis(Base):
    """One run of the core analysis on a pair; the newest row is the current one."""

    __tablename__ = "analyses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id"), index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JsonType)
    verdict: Mapped[str | None] = mapped_column(String(40))
    policy_name: Mapped[str | None] = mapped_column(String(200))
    policy_version: Mapped[str | None] = mapped_column(String(100))
    model_versions: Mapped[dict[str, str]] = mapped_column(JsonType, default=dict)
    real_sha256: Mapped[str] = mapped_column(String(64))
    twin_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: What it was measured against (migration 0009, ``review.staleness``): the talent linked
    #: when the talent's references were read, the ids of the reference portraits whose descriptors it
    #: read, and of those whose files it measured as the talent's own range (sorted; None: not recorded).
    talent_id: Mapped[int | None] = mapped_column(Integer)
    reference_ids: Mapped[list[int] | None] = mapped_column(JsonOrNull)
    portrait_ids: Mapped[list[int] | None] = mapped_column(JsonOrNull)


class Annotation(Base):
    """A mark on the REAL image, in its pixel coordinates (plus its size for 0-1 coords)."""

    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    geometry: Mapped[dict[str, Any]] = mapped_column(JsonType)
    image_width: Mapped[int] = mapped_column(Integer)
    image_height: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    #: The flag this annotation answers: its measurement (``flag_links``). The category and
    #: region are how links were made before migration 0004 (kept for the ones it could not map).
    flag_metric: Mapped[str | None] = mapped_column(String(200))
    flag_category: Mapped[str | None] = mapped_column(String(100))
    flag_region: Mapped[str | None] = mapped_column(String(100))
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))
    #: Soft delete: undo of a delete just clears it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A mark's thread marked done (proofing tools' "resolved"); cleared to reopen it.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it)


class Comment(Base):
    """A comment on a pair, or a threaded reply on a pin (``annotation_id``)."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id"), index=True)
    annotation_id: Mapped[int | None] = mapped_column(ForeignKey("annotations.id"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Rating(Base):
    """A reviewer's stars for a pair (0-5, 0 clears them); append-only, the newest is the
    pair's rating. Kept apart from decisions: stars grade a twin, a decision rules on it."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id"), index=True)
    stars: Mapped[int] = mapped_column(Integer)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TalentReference(Base):
    """A reference portrait of a talent: what the face identity model made of it, never the
    pixels. ``descriptor`` is only comparable with descriptors of the same ``model``."""

    __tablename__ = "talent_references"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    talent_id: Mapped[int] = mapped_column(ForeignKey("talents.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    descriptor: Mapped[list[float]] = mapped_column(JsonType)
    model: Mapped[str] = mapped_column(String(200))
    #: Face size, yaw... as the identity reader reported them for this portrait.
    quality: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by: Mapped[str | None] = mapped_column(String(200))
    #: Why its file no longer counts as hers, as last seen (migration 0009): ``missing``,
    #: ``edited`` (not the enrolled content), ``unreadable``; None: as enrolled.
    file_problem: Mapped[str | None] = mapped_column(String(20))


class AuditEvent(Base):
    """Append-only trail. ``pair_id`` is a plain integer (no FK) so events outlive anything."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(40), index=True)
    shoot_id: Mapped[int | None] = mapped_column(Integer)
    pair_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    #: The database login that wrote it (PostgreSQL ``session_user``, set by a trigger, so a
    #: client cannot name someone else); None on a SQLite file, which has no roles.
    db_role: Mapped[str | None] = mapped_column(String(200))
