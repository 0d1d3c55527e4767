"""Run the packaged Alembic migrations from code, no alembic.ini.

Two reviewers may open the same PostgreSQL shoot at once; an advisory lock makes the second
wait for the first one's upgrade instead of racing it. A database newer than this program
(a colleague ran a newer TwinProof) is refused rather than touched.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from twinproof.review.errors import SchemaError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_LOCK_KEY = 7_301_947_115  # arbitrary, constant: "TwinProof schema upgrade"


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged scripts (also usable by developers)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration this program knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``; a no-op when it is already there."""
    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None:
            foreign = sorted(set(inspect(connection).get_table_names()) - {"alembic_version"})
            if foreign:
                raise SchemaError(
                    f"this database is not a TwinProof shoot (it already holds tables "
                    f"{', '.join(foreign[:5])}); choose a new file or an empty database"
                )
        if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
            raise SchemaError(
                f"this shoot database is at schema {current}, newer than this TwinProof "
                f"understands (newest known: {scripts.get_current_head()}); update TwinProof"
            )
        if current == scripts.get_current_head() and revision == "head":
            return
        if connection.dialect.name == "postgresql":
            from twinproof.review.roles import is_schema_owner

            if not is_schema_owner(connection):  # a reviewer role: it may add records, not migrate
                where = (f"at schema {current}, TwinProof needs {scripts.get_current_head()}"
                         if current else "empty: it has no TwinProof schema yet")
                raise SchemaError(f"this team database is {where}; its owner role sets it up: "
                                  "twinproof db upgrade --db <owner URL> --reviewers twinproof_reviewers")
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
