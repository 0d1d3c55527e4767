"""Control frames: a pair can be marked the generator's twin of this very real frame.

``pairs.control`` (false by default). A control is analysed as a same frame and its changes
are the generator's own bias for that talent (issue 23). On PostgreSQL the flag is set only
through ``twinproof_set_control`` (``control_0005``), which checks the pair's version and
audits the change; the reviewer role gets EXECUTE on it and no UPDATE on the column.

Revision ID: 0005
Revises: 0003 (branch rec27 adds 0004 for annotations; the lead re-chains at merge)
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.control_0005 import drops, statements

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("pairs", sa.Column("control", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = str(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
        for statement in statements(bind.dialect.identifier_preparer.quote_identifier(schema)):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in drops():
            op.execute(statement)
    op.drop_column("pairs", "control")  # SQLite 3.35+ drops it in place (no table rebuild, no FK breakage)
