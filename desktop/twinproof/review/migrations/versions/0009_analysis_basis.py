"""Each analysis records what it was measured against; the database refuses to approve a stale
one (``basis_0009``, ``review.staleness``).

- ``analyses.talent_id``, ``reference_ids``, ``portrait_ids``: the talent linked when the
  references were read, the reference portraits whose descriptors the analysis read, and those
  whose files it measured as the talent's own range. Staleness compares them with the record now as
  sets of ids, so no clock is compared (a client's clock against the server's) and a portrait
  added while an analysis ran makes it stale when it is stored.
- ``talent_references.file_problem``: a portrait file seen missing, edited or unreadable (it is
  then left out of the talent's range, and an analysis that measured it is stale).
- The rule in the database: a trigger on ``decisions`` on both backends (PostgreSQL words the
  reason, SQLSTATE ``TP006``; SQLite refuses with a fixed sentence), and on PostgreSQL the store
  function that records the basis (the reviewer group gets it without a new ``db grant``).

Existing analyses: each pair's newest one gets the basis the rule before 0009 gave it (by time:
the references that existed when it was stored; the pair's talent unless its result measured
identity without one), so nothing current becomes stale and nothing stale becomes current.
Older analyses of a pair are never read by the rule and keep NULL ("not recorded").

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.basis_0009 import TRIGGER, backfill, drops, sqlite_trigger, statements
from twinproof.review.models import JsonOrNull

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("analyses", sa.Column("talent_id", sa.Integer(), nullable=True))
    op.add_column("analyses", sa.Column("reference_ids", JsonOrNull, nullable=True))
    op.add_column("analyses", sa.Column("portrait_ids", JsonOrNull, nullable=True))
    op.add_column("talent_references", sa.Column("file_problem", sa.String(20), nullable=True))
    bind = op.get_bind()
    for statement in backfill(bind.dialect.name):
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        schema = bind.dialect.identifier_preparer.quote_identifier(
            str(bind.execute(sa.text("SELECT current_schema()")).scalar_one()))
        for statement in statements(schema):
            op.execute(statement)
    else:
        op.execute(sqlite_trigger())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in drops():
            op.execute(statement)
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    op.drop_column("talent_references", "file_problem")
    for column in ("portrait_ids", "reference_ids", "talent_id"):
        op.drop_column("analyses", column)
