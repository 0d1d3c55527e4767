"""The database enforces the review rules: a pair's state is derived from its decisions, the
decisions, consents, analyses and a pair's files are written only through the rule-checking
functions on PostgreSQL (``rules_0003``), and the audit names the database role.

Before this, a reviewer role could ``UPDATE pairs SET state = 'approved'``, un-revoke a
consent, insert a decision in another reviewer's name or an analysis with verdict pass, all
with plain SQL and no audit event. Now:

- ``pairs.state`` is gone: the state is the newest decision's (``models.Pair.state`` is a
  subquery), so there is no column to set. ``suspended`` is a decision the database writes
  when a consent an approval rested on is revoked; ``decisions.consent_id`` says which.
- ``audit_events.db_role`` / ``decisions.db_role``: ``session_user``, set by a trigger.
- A revoked consent stays revoked, for every role (trigger, SQLite too).
- The reviewer group's grants (``roles.py``) lose INSERT on decisions, consents and analyses
  and UPDATE on a pair's files; ``twinproof db upgrade --reviewers`` applies them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from twinproof.review.migrations.rules_0003 import drops, statements

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("db_role", sa.String(200)))
    op.add_column("decisions", sa.Column("db_role", sa.String(200)))
    op.add_column("decisions", sa.Column("consent_id", sa.Integer()))
    op.drop_column("pairs", "state")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = str(bind.execute(sa.text("SELECT current_schema()")).scalar_one())
        quoted = bind.dialect.identifier_preparer.quote_identifier(schema)
        for statement in statements(quoted):
            op.execute(statement)
        return
    op.execute("CREATE TRIGGER consents_revocation_final BEFORE UPDATE ON consents "
               "WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL "
               "BEGIN SELECT RAISE(ABORT, 'twinproof: a consent is append-only except its "
               "revocation, and a revocation is final'); END")
    op.execute("CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents "
               "BEGIN SELECT RAISE(ABORT, 'twinproof: consents are append-only'); END")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in drops():
            op.execute(statement)
    else:
        op.execute("DROP TRIGGER IF EXISTS consents_revocation_final")
        op.execute("DROP TRIGGER IF EXISTS consents_no_delete")
    op.add_column("pairs", sa.Column("state", sa.String(40), nullable=False,
                                     server_default="unreviewed"))
    op.execute("UPDATE pairs SET state = coalesce((SELECT d.state FROM decisions d WHERE "
               "d.pair_id = pairs.id ORDER BY d.id DESC LIMIT 1), 'unreviewed')")
    for table, column in (("decisions", "consent_id"), ("decisions", "db_role"),
                          ("audit_events", "db_role")):
        op.drop_column(table, column)
