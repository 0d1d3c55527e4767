"""Whether the review record can be written, asked before a job that must record itself.

Why: every export is audited (an ``export`` event per file written), and the event is written
after the file. On a shoot file that cannot be written - on a read-only mount, marked
immutable, or read-only for this user - the export wrote all of its files and then failed with
"attempt to write a readonly database ... check free disk space": files out, no audit trail,
and advice about a disk that was not full. So the export asks first and refuses before writing
anything, in words that say *read-only* and why; the same words replace the free-space hint
whenever a SQLite change fails on such a file.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from twinproof.review.errors import StorageError

if TYPE_CHECKING:
    from twinproof.review.db import ReviewStore

_WHY = {
    errno.EROFS: "it is on a read-only disk (the volume is mounted read-only)",
    errno.EPERM: "the file is marked immutable or locked against changes",
    errno.EACCES: "the file is read-only for you (its permissions)",
}


def sqlite_read_only_reason(database: str | Path) -> str | None:
    """Why the SQLite file ``database`` (or its folder, where SQLite keeps its journal) cannot
    be written, in words; None when it can. Never changes the file: it is opened for writing
    and closed, and the folder is only asked about."""
    path = Path(database)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None  # not created yet: the folder decides
    except OSError as exc:
        if exc.errno in _WHY:
            return _WHY[exc.errno]
    else:
        os.close(fd)
    folder = path.parent
    if os.access(folder, os.W_OK):
        return None
    try:
        on_read_only_disk = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        on_read_only_disk = False
    if on_read_only_disk:
        return _WHY[errno.EROFS]
    return f"its folder {folder} is read-only (SQLite writes its journal beside the file)"


def _sqlite_path(url: URL) -> str | None:
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return database


def read_only_reason(store: ReviewStore) -> str | None:
    """Why ``store`` cannot take a new audit event, or None: a SQLite file that cannot be
    written (:func:`sqlite_read_only_reason`), a PostgreSQL session that is read-only (a hot
    standby, ``default_transaction_read_only``) or a role without INSERT on the audit trail."""
    database = _sqlite_path(store.engine.url)
    if database is not None:
        return sqlite_read_only_reason(database)
    if store.backend != "postgresql":
        return None
    try:
        with store.engine.connect() as conn:
            read_only = conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
            may_insert = conn.execute(text(
                "SELECT has_table_privilege(current_user, 'audit_events', 'INSERT')")).scalar()
    except DBAPIError:
        return None  # unreachable now: the job's own first query says so in its words
    if read_only:
        return "the server takes no changes (a read-only standby or read-only sessions)"
    if not may_insert:
        return "this database role may not add audit events (ask the database owner)"
    return None


def require_writable(store: ReviewStore, why: str) -> None:
    """Raise ``StorageError`` saying *read-only* when ``store`` cannot record ``why``'s event;
    called before the job writes anything."""
    reason = read_only_reason(store)
    if reason is None:
        return
    where = store.engine.url.render_as_string(hide_password=True)
    raise StorageError(f"the shoot database {where} is read-only: {reason}; {why}, so nothing was "
                       "written - copy the shoot to a writable place (or ask for write access) "
                       "and try again")
