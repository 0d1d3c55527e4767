"""A database that cannot be read or written, said in one line with what to do about it, worded
for the database in use (no "free disk space" for a PostgreSQL login failure)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from twinproof.review.errors import StorageError


def storage_error(engine: Engine, exc: DBAPIError, outcome: str, hint: str | None = None) -> StorageError:
    """One line naming the database (password hidden), the driver's reason and what to do,
    worded for the database in use (no "free disk space" for a PostgreSQL login failure)."""
    where = engine.url.render_as_string(hide_password=True)
    hint = hint or failure_hint(engine.url, exc)
    return StorageError(f"cannot use database {where}: {' '.join(str(exc.orig).split())} "
                        f"({outcome}; {hint})")


def failure_hint(url: URL, exc: DBAPIError) -> str:
    """What the user can do about a database error, for SQLite files and PostgreSQL servers."""
    if url.get_backend_name() == "sqlite":
        from twinproof.review.writable import sqlite_read_only_reason

        file = url.database if url.database and url.database != ":memory:" else None
        reason = sqlite_read_only_reason(file) if file else None
        if reason is not None or "readonly" in str(exc.orig).lower():
            # Not a full disk: the free-space advice misled on a read-only mount (issue 28).
            return (f"the shoot file is read-only: {reason or 'SQLite could only open it for reading'}; "
                    "copy it to a writable place or ask for write access, then try again")
        return ("check free disk space, that the file is writable and not held by another "
                "program, then try again")
    message = str(exc.orig).lower()
    state = getattr(exc.orig, "sqlstate", None)
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    if state == "28P01" or "password authentication failed" in message or "no password supplied" in message:
        return "check the user name and password (PGPASSWORD, ~/.pgpass, or ask your administrator)"
    if state == "28000" or ("role" in message and "does not exist" in message):
        return "check the user name in the URL; a database administrator creates the roles"
    if state == "3D000" or ("database" in message and "does not exist" in message):
        return "check the database name in the URL; its owner creates the database"
    if state == "42501" or "permission denied" in message:
        return ("this database role may not do that (reviewer roles only add records); "
                "ask the database owner, see docs/review.md")
    if "timeout expired" in message:  # libpq's connect_timeout: it accepted and never answered
        from twinproof.review.team_urls import connect_timeout

        longer = ("raise the URL's connect_timeout" if "connect_timeout" in url.query
                  else "add ?connect_timeout=SECONDS to the URL")
        return (f"the server at {where} did not answer within {connect_timeout(url)} s: check that it is "
                f"a PostgreSQL server and that it is running, or {longer} to wait longer, then try again")
    if any(w in message for w in ("could not connect", "connection refused", "timeout expired",
                                  "could not translate host name", "server closed the connection",
                                  "connection timed out", "no route to host")):
        return f"check that the PostgreSQL server at {where} is running and reachable, then try again"
    return f"check the URL and that the PostgreSQL server at {where} is reachable, then try again"
