"""Alembic environment: runs on the connection ``twinproof.review.migrate`` hands over.

Developers can also run ``alembic -x url=sqlite:///x.db revision --autogenerate`` with a
config whose ``script_location`` is this folder. ``render_as_batch`` on SQLite because it
cannot ALTER most column properties in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from twinproof.review.models import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give a database: alembic -x url=sqlite:///shoot.db ...")
    with create_engine(url).begin() as connection:
        run(connection)
