"""A refused approval of a stale analysis is audited by the database, and a decision says what
its analysis was compared against (``refusal_0010``).

PostgreSQL: ``twinproof_decide`` writes a ``stale_block`` event and returns the reason instead of
letting the 0009 trigger roll the attempt back; its ``decision`` event records the analysis id
and the talent and portrait ids the staleness rule compared; ``stale_block`` is an event only the
rules may write. SQLite: nothing in the file changes (the client writes the event there; SQLite
holds no event rule). Downgrade: both functions back to their 0003 text; events already written
stay (the trail is append-only).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.refusal_0010 import downgrade_statements, upgrade_statements

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def _schema() -> str | None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    return str(bind.dialect.identifier_preparer.quote_identifier(
        str(bind.execute(sa.text("SELECT current_schema()")).scalar_one())))


def upgrade() -> None:
    schema = _schema()
    for statement in upgrade_statements(schema) if schema else []:
        op.execute(statement)


def downgrade() -> None:
    schema = _schema()
    for statement in downgrade_statements(schema) if schema else []:
        op.execute(statement)
