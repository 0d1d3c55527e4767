"""The database holds the pair rule and the consent-release rule (``rules_0008``).

- ``uq_pairs_active_twin``: a twin is in one active pair of its shoot (partial unique index,
  SQLite and PostgreSQL). On PostgreSQL a trigger also refuses a file that is the real of one
  active pair and the twin of another, and a file paired with itself.
- On PostgreSQL ``twinproof_add_consent`` (both forms) refuses a consent with neither a signed
  release nor a reason.

Existing pairs that break the pair rule (an import before fix29 could pair one twin twice, or
use a twin of one pair as the real of another): the LATER pair of each collision (higher id,
the one today's client would have refused when it was made) is broken, as a hand unpairing
is: the row, its decisions, analyses and annotations stay in the record, hidden from the
listings, and an audit event ``pair_broken`` per pair says which pair it collided with, why,
and what to do to keep it instead (break the other, pair the files again by hand).

Why not refuse to upgrade: the app upgrades a shoot when it opens it, so a refusal would lock
the art director out of the whole shoot until someone edits the database by hand, for pairs
the rule would not let anyone keep anyway; the breaking loses nothing and says so in the
audit trail, which every export and ``twinproof audit`` read. The earlier pair is kept because
its twin was in it first (the later import repeated it).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.rules_0008 import (
    consent_functions,
    consent_functions_0003_0006,
    pair_guard,
    pair_guard_drops,
)
from twinproof.review.models import JsonType, UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

#: The audit trail's reviewer for what the upgrade itself did.
UPGRADE = "TwinProof database upgrade 0008"
INDEX = "uq_pairs_active_twin"


def upgrade() -> None:
    bind = op.get_bind()
    break_colliding_pairs(bind)
    op.create_index(INDEX, "pairs", ["shoot_id", "twin_path"], unique=True,
                    postgresql_where=sa.text("broken_at IS NULL"), sqlite_where=sa.text("broken_at IS NULL"))
    if bind.dialect.name == "postgresql":
        schema = bind.dialect.identifier_preparer.quote_identifier(
            str(bind.execute(sa.text("SELECT current_schema()")).scalar_one()))
        for statement in [*consent_functions(schema), *pair_guard(schema)]:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.dialect.identifier_preparer.quote_identifier(
            str(bind.execute(sa.text("SELECT current_schema()")).scalar_one()))
        for statement in [*pair_guard_drops(), *consent_functions_0003_0006(schema)]:
            op.execute(statement)
    op.drop_index(INDEX, table_name="pairs")


def collision(kept: list[Any], real: str, twin: str) -> tuple[Any, str] | None:
    """The kept pair ``real``/``twin`` collides with, and why (the client's words)."""
    if real == twin:
        return None, f"{real} is paired with itself"
    for other in kept:
        if other.twin_path == twin:
            return other, (f"{PurePath(twin).name} is already the twin of pair {other.name!r}: a twin is "
                           "in one pair only")
        if other.twin_path == real:
            return other, (f"{PurePath(real).name} is the twin in pair {other.name!r}: it cannot be the "
                           "real photograph of another pair")
        if other.real_path == twin:
            return other, f"{PurePath(twin).name} is the real photograph of pair {other.name!r}: it cannot be a twin"
    return None


def break_colliding_pairs(bind: sa.Connection) -> list[int]:
    """Break the later pair of each collision with the pair rule, audited; their ids."""
    rows = bind.execute(sa.text("SELECT id, shoot_id, name, real_path, twin_path FROM pairs "
                                "WHERE broken_at IS NULL ORDER BY shoot_id, id")).all()
    kept: dict[int, list[Any]] = {}
    broken: list[int] = []
    events = sa.table("audit_events", sa.column("at", UTCDateTime), sa.column("reviewer", sa.String),
                      sa.column("event", sa.String), sa.column("shoot_id", sa.Integer),
                      sa.column("pair_id", sa.Integer), sa.column("summary", sa.Text),
                      sa.column("detail", JsonType))
    pairs = sa.table("pairs", sa.column("id", sa.Integer), sa.column("broken_at", UTCDateTime),
                     sa.column("version", sa.Integer))
    now = datetime.now(UTC)
    for row in rows:
        found = collision(kept.setdefault(row.shoot_id, []), row.real_path, row.twin_path)
        if found is None:
            kept[row.shoot_id].append(row)
            continue
        other, why = found
        todo = ("pair the files again by hand" if other is None else
                f"to keep this pair instead, break pair {other.name!r} and pair the files again by hand")
        bind.execute(pairs.update().where(pairs.c.id == row.id).values(
            broken_at=now, version=pairs.c.version + 1))
        bind.execute(events.insert().values(
            at=now, reviewer=UPGRADE, event="pair_broken", shoot_id=row.shoot_id, pair_id=row.id,
            summary=f"{row.name}: unpaired by the database upgrade ({why}); {todo}",
            detail={"by": "migration 0008", "reason": why, "kept_pair_id": None if other is None else other.id,
                    "kept_pair": None if other is None else other.name, "what_to_do": todo,
                    "real": row.real_path, "twin": row.twin_path}))
        broken.append(row.id)
    return broken
