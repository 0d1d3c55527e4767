"""A consent without its signed release keeps why, on PostgreSQL too (``consent_0006``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.consent_0006 import drops, statements

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = str(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
        for statement in statements(bind.dialect.identifier_preparer.quote_identifier(schema)):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in drops():
            op.execute(statement)
