"""Who made a twin, as the reviewer says (``pairs.generator``); the shoot audit's parts of each
stored result as a PostgreSQL generated column (``analyses.audit_parts``).

``pairs.generator`` (nullable text): the generator a reviewer named for the pair; the drift
audit's ``--by generator`` takes it over the twin's Content Credentials. On PostgreSQL it is
set only through ``twinproof_set_generator`` (``generator_0007``), which checks the pair's
version and audits the change.

``analyses.audit_parts`` (PostgreSQL only, ``GENERATED ALWAYS AS … STORED``): the JSON parts the
audit reads, as one small array; adding it computes it for every stored result (the backfill).
SQLite cannot add a stored generated column to an existing table and reads ~100 KB results
fast enough (docs/audit.md, speed): it keeps reading the result itself.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.generator_0007 import audit_parts_drops, audit_parts_statements, drops, statements

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("pairs", sa.Column("generator", sa.Text(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = str(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
        for statement in statements(bind.dialect.identifier_preparer.quote_identifier(schema)):
            op.execute(statement)
        for statement in audit_parts_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in [*audit_parts_drops(), *drops()]:
            op.execute(statement)
    op.drop_column("pairs", "generator")
