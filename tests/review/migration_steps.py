"""What the migration tests do to a database and read back from it: a downgrade to a revision,
and PostgreSQL's own text of a rule function (with its grants), compared before and after."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from twinproof.review.migrate import alembic_config


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def function_texts(engine: Engine, name: str) -> dict[str, str]:
    """PostgreSQL's own text of every function ``name`` of this schema, with its grants."""
    with engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid) || coalesce(p.proacl::text, '') "
            "FROM pg_proc p WHERE p.proname = :name "
            "AND p.pronamespace = current_schema()::regnamespace"), {"name": name}).all())
