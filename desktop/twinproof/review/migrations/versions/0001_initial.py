"""The review record: shoots, pairs, analyses, annotations, comments, decisions, talent,
consent and the append-only audit trail (with triggers refusing UPDATE/DELETE on it).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from twinproof.review.models import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
APPEND_ONLY = ("audit_events", "decisions")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "shoots", _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("campaign", sa.String(200)),
        sa.Column("real_dir", sa.Text()),
        sa.Column("twin_dir", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_shoots_name"),
    )
    op.create_table(
        "talents", _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agency", sa.String(200)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("name", name="uq_talents_name"),
    )
    op.create_table(
        "consents", _id(),
        sa.Column("talent_id", sa.Integer(), sa.ForeignKey("talents.id"), nullable=False),
        sa.Column("contract_ref", sa.String(200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("campaigns", JSON, nullable=False),
        sa.Column("channels", JSON, nullable=False),
        sa.Column("revoked_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_table(
        "pairs", _id(),
        sa.Column("shoot_id", sa.Integer(), sa.ForeignKey("shoots.id"), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("real_path", sa.Text(), nullable=False),
        sa.Column("real_sha256", sa.String(64), nullable=False),
        sa.Column("twin_path", sa.Text(), nullable=False),
        sa.Column("twin_sha256", sa.String(64), nullable=False),
        sa.Column("talent_id", sa.Integer(), sa.ForeignKey("talents.id")),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("broken_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("shoot_id", "name", name="uq_pairs_shoot_name"),
    )
    op.create_table(
        "analyses", _id(),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("result", JSON, nullable=False),
        sa.Column("verdict", sa.String(40)),
        sa.Column("policy_name", sa.String(200)),
        sa.Column("policy_version", sa.String(100)),
        sa.Column("model_versions", JSON, nullable=False),
        sa.Column("real_sha256", sa.String(64), nullable=False),
        sa.Column("twin_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "annotations", _id(),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("geometry", JSON, nullable=False),
        sa.Column("image_width", sa.Integer(), nullable=False),
        sa.Column("image_height", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("flag_category", sa.String(100)),
        sa.Column("flag_region", sa.String(100)),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("deleted_at", UTCDateTime()),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "comments", _id(),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("annotation_id", sa.Integer(), sa.ForeignKey("annotations.id")),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime()),
    )
    op.create_table(
        "decisions", _id(),
        sa.Column("pair_id", sa.Integer(), sa.ForeignKey("pairs.id"), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("reason_text", sa.Text()),
        sa.Column("comment", sa.Text()),
        sa.Column("override_justification", sa.Text()),
        sa.Column("verdict_at_decision", sa.String(40)),
        sa.Column("analysis_id", sa.Integer(), sa.ForeignKey("analyses.id")),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "audit_events", _id(),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("shoot_id", sa.Integer()),
        sa.Column("pair_id", sa.Integer()),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("detail", JSON, nullable=False),
    )
    for table, column in (
        ("consents", "talent_id"), ("pairs", "shoot_id"), ("pairs", "talent_id"),
        ("analyses", "pair_id"), ("annotations", "pair_id"), ("comments", "pair_id"),
        ("comments", "annotation_id"), ("decisions", "pair_id"), ("audit_events", "at"),
        ("audit_events", "event"), ("audit_events", "pair_id"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column])
    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION twinproof_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'twinproof: % is append-only', TG_TABLE_NAME; END $$"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION twinproof_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION twinproof_refuse_change()"
            )
        return
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'twinproof: {table} is append-only'); END"
            )


def downgrade() -> None:
    for table in ("audit_events", "decisions", "comments", "annotations", "analyses",
                  "pairs", "consents", "talents", "shoots"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION twinproof_refuse_change()")
