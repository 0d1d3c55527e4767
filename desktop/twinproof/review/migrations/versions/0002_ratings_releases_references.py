"""Ratings as their own append-only history (moving the "Rated N/5" comments there), the
signed release attached to a consent, resolved marks, and talent reference portraits.

Before this, stars were stored as comments and read back by a regex: typing that comment set
a rating, and ratings never reached XMP or the CSV. The upgrade moves every such comment
into ``ratings`` (same author and time), sets ``pairs.rating`` to the newest, soft-deletes
the comment and audits each move, so nothing a reviewer did is lost or silently changed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from twinproof.review.models import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
RATED = re.compile(r"^Rated ([0-5])/5$")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "ratings", _id(),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_ratings_pair_id", "ratings", ["pair_id"])
    op.create_table(
        "talent_references", _id(),
        sa.Column("talent_id", sa.Integer(), sa.ForeignKey("talents.id"), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("descriptor", JSON, nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("quality", JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("removed_at", UTCDateTime()),
        sa.Column("removed_by", sa.String(200)),
    )
    op.create_index("ix_talent_references_talent_id", "talent_references", ["talent_id"])
    op.add_column("pairs", sa.Column("rating", sa.Integer()))
    op.add_column("consents", sa.Column("release_path", sa.Text()))
    op.add_column("consents", sa.Column("release_sha256", sa.String(64)))
    op.add_column("annotations", sa.Column("resolved_at", UTCDateTime()))
    op.add_column("annotations", sa.Column("resolved_by", sa.String(200)))
    _append_only("ratings")
    _move_rating_comments()


def _append_only(table: str) -> None:
    """The same guard 0001 put on decisions and the audit trail."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION twinproof_refuse_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION twinproof_refuse_change()")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                   f"BEGIN SELECT RAISE(ABORT, 'twinproof: {table} is append-only'); END")


def _move_rating_comments() -> None:
    conn = op.get_bind()
    comments = sa.table("comments", sa.column("id", sa.Integer()), sa.column("pair_id", sa.Integer()),
                        sa.column("annotation_id", sa.Integer()), sa.column("author", sa.String()),
                        sa.column("text", sa.Text()), sa.column("created_at", UTCDateTime()),
                        sa.column("deleted_at", UTCDateTime()))
    ratings = sa.table("ratings", sa.column("pair_id", sa.Integer()), sa.column("stars", sa.Integer()),
                       sa.column("reviewer", sa.String()), sa.column("created_at", UTCDateTime()))
    pairs = sa.table("pairs", sa.column("id", sa.Integer()), sa.column("shoot_id", sa.Integer()),
                     sa.column("name", sa.String()), sa.column("rating", sa.Integer()),
                     sa.column("version", sa.Integer()))
    audit = sa.table("audit_events", sa.column("at", UTCDateTime()), sa.column("reviewer", sa.String()),
                     sa.column("event", sa.String()), sa.column("shoot_id", sa.Integer()),
                     sa.column("pair_id", sa.Integer()), sa.column("summary", sa.Text()),
                     sa.column("detail", JSON))
    rows = conn.execute(
        sa.select(comments.c.id, comments.c.pair_id, comments.c.author, comments.c.text, comments.c.created_at)
        .where(comments.c.annotation_id.is_(None), comments.c.deleted_at.is_(None))
        .order_by(comments.c.id)
    ).all()
    now = datetime.now(UTC)
    newest: dict[int, int] = {}
    for cid, pair_id, author, text, created_at in rows:
        match = RATED.match((text or "").strip())
        if match is None:
            continue
        stars = int(match.group(1))
        conn.execute(ratings.insert().values(pair_id=pair_id, stars=stars, reviewer=author,
                                             created_at=created_at))
        conn.execute(comments.update().where(comments.c.id == cid).values(deleted_at=now))
        pair = conn.execute(sa.select(pairs.c.shoot_id, pairs.c.name).where(pairs.c.id == pair_id)).one()
        conn.execute(audit.insert().values(
            at=now, reviewer="twinproof (schema upgrade 0002)", event="rating", shoot_id=pair.shoot_id,
            pair_id=pair_id, summary=f"{pair.name}: rating {stars}/5 by {author} moved from a comment",
            detail={"stars": stars, "comment_id": cid, "rated_by": author,
                    "rated_at": created_at.isoformat() if created_at else None}))
        newest[pair_id] = stars
    for pair_id, stars in newest.items():
        conn.execute(pairs.update().where(pairs.c.id == pair_id)
                     .values(rating=stars, version=pairs.c.version + 1))


def downgrade() -> None:
    """Ratings go back to being comments (each rating written as a "Rated N/5" comment with
    its reviewer and time), then the new tables and columns are dropped."""
    conn = op.get_bind()
    conn.execute(sa.text(
        "INSERT INTO comments (pair_id, annotation_id, author, text, created_at) "
        "SELECT pair_id, NULL, reviewer, 'Rated ' || stars || '/5', created_at FROM ratings ORDER BY id"))
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ratings_append_only ON ratings")
        op.execute("DROP TRIGGER IF EXISTS ratings_no_truncate ON ratings")
    op.drop_table("ratings")
    op.drop_table("talent_references")
    for table, columns in (("pairs", ("rating",)), ("consents", ("release_path", "release_sha256")),
                           ("annotations", ("resolved_at", "resolved_by"))):
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.drop_column(column)
