"""Opening a review database: URL resolution, connection settings, migrations, transactions.
(A database's refusals as typed errors: ``refusals``; its failures in words: ``storage_errors``;
a team URL kept without its password: ``team_urls``.)

A shoot is one SQLite file by default; a team gives a ``postgresql+psycopg://`` URL instead.
Both run the same models and the same Alembic migrations, applied programmatically when the
store opens (the scripts ship inside the package, no alembic.ini at run time).

Why these SQLite settings: WAL lets the GUI read while a save is running, but sqlite.org warns
it must not be used on network drives, so a file on NFS/SMB falls back to a rollback journal.
``synchronous=FULL`` makes every committed change survive a power cut, not just a crash;
``BEGIN IMMEDIATE`` takes the write lock at the start of a transaction so two writers queue
on ``busy_timeout`` instead of failing with "database is locked" half-way through.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from twinproof.review.errors import AuditImmutableError, ConflictError, SchemaError, StorageError
from twinproof.review.refusals import pair_rule_error, rule_error
from twinproof.review.reviewer import default_reviewer as default_reviewer  # re-exported
from twinproof.review.storage_errors import failure_hint as failure_hint  # re-exported
from twinproof.review.storage_errors import storage_error
from twinproof.review.team_urls import CONNECT_TIMEOUT_S as CONNECT_TIMEOUT_S  # re-exported
from twinproof.review.team_urls import connectable_url as connectable_url  # re-exported
from twinproof.review.team_urls import password_source as password_source  # re-exported
from twinproof.review.team_urls import url_for_list as url_for_list  # re-exported

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "glusterfs"}
)


def resolve_url(target: str | Path) -> URL:
    """A SQLAlchemy URL from ``--db``: anything with ``://`` is a URL, anything else a file path."""
    text = str(target)
    if "://" in text:
        return make_url(text)
    try:
        resolved = Path(text).expanduser().resolve()
    except RuntimeError as exc:  # Python < 3.13 on a link loop (3.13+: OSError ELOOP)
        raise StorageError(f"{text}: cannot be opened (a symbolic link that loops back on "
                           "itself)") from exc
    except OSError as exc:
        raise StorageError(f"{text}: cannot be opened ({exc.strerror or exc})") from exc
    _check_name_leaves_room_for_the_journal(resolved)
    return URL.create("sqlite+pysqlite", database=str(resolved))


#: The longest name SQLite derives from the shoot file's: ``NAME-journal`` (``-wal`` and
#: ``-shm`` are shorter; the batch's heat maps go in ``NAME.maps``).
_JOURNAL = "-journal"


def _check_name_leaves_room_for_the_journal(path: Path) -> None:
    """SQLite's journal is the shoot file's name plus 8 bytes, in the same folder: a 250-byte
    name opens but every change fails with "unable to open database file". Said up front."""
    from twinproof.atomic import name_max

    limit = name_max(path.parent)
    size = len(os.fsencode(path.name))
    if size + len(_JOURNAL) > limit:
        raise StorageError(
            f"{os.fsencode(path).decode('utf-8', 'backslashreplace')}: the shoot file's name is {size} "
            f"bytes; SQLite keeps its journal beside it as NAME{_JOURNAL}, and one name may have at "
            f"most {limit} bytes here: rename it to at most {limit - len(_JOURNAL)} bytes")


def missing_database(target: str | Path) -> Path | None:
    """The file a SQLite ``--db`` names when it does not exist yet (None for a URL or a file
    that exists): commands that only read or add to a shoot refuse it instead of creating an
    empty database under a mistyped name."""
    if "://" in str(target):
        return None
    path = Path(resolve_url(target).database or "")
    return None if path.exists() else path


def on_network_drive(path: Path) -> bool:
    """True when ``path`` is on a network file system (where SQLite WAL is unsafe)."""
    if sys.platform == "win32":
        return str(path).startswith("\\\\")
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    best, fstype = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    return fstype in NETWORK_FILESYSTEMS


def make_engine(url: URL) -> Engine:
    """An engine with the connection settings the review record relies on."""
    if url.get_backend_name() != "sqlite":
        bound = {} if "connect_timeout" in url.query else {"connect_timeout": CONNECT_TIMEOUT_S}
        try:
            return create_engine(url, pool_pre_ping=True, connect_args=bound)
        except ImportError as exc:  # a build or install without the PostgreSQL driver
            raise StorageError(
                f"cannot open {url.render_as_string(hide_password=True)}: the PostgreSQL driver "
                f"psycopg is not installed ({exc.name or exc}); install twinproof[postgres] or use "
                "a build with team-database support") from exc
    database = url.database or ""
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    wal = bool(database) and database != ":memory:" and not on_network_drive(Path(database))
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA journal_mode = {'WAL' if wal else 'DELETE'}")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass
class ReviewStore:
    """An open review database plus who is working on it.

    Every public function in ``twinproof.review`` takes a store and runs its change in one
    short transaction (``store.transaction()``), committed before it returns: there is no
    "save", and a crash loses at most the change being made.
    """

    engine: Engine
    reviewer: str = field(default_factory=default_reviewer)
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One committed unit of work, with database errors turned into review errors."""
        try:
            with self.sessions.begin() as session:
                yield session
        except StaleDataError as exc:
            raise ConflictError(
                "another reviewer changed this record while it was being saved; "
                "nothing was overwritten - reload and try again"
            ) from exc
        except DBAPIError as exc:
            rule = rule_error(exc) or pair_rule_error(self.engine, exc)
            if rule is not None:
                raise rule from exc
            if "append-only" in str(exc.orig) or "revocation is final" in str(exc.orig):
                raise AuditImmutableError(
                    "the audit trail and decision history are append-only"
                ) from exc
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient privilege
                raise storage_error(self.engine, exc, "this change was not saved") from exc
            if isinstance(exc, OperationalError):
                # Disk full, read-only file, a lock held past busy_timeout, a lost server: a
                # typed one-line error the GUI already handles (it catches ReviewError), not a
                # raw SQLAlchemy exception escaping a slot.
                raise storage_error(self.engine, exc, "this change was not saved") from exc
            if type(exc) is DatabaseError:  # not its Integrity/Programming subclasses: bugs
                # "database disk image is malformed": a damaged file (disk fault, a copy made
                # mid-write). Said plainly instead of a traceback.
                raise storage_error(self.engine, exc, "this change was not saved",
                                    "the file is damaged: restore it from a backup") from exc
            raise

    def close(self) -> None:
        """Release every connection (the GUI calls this when the shoot closes)."""
        self.engine.dispose()


def open_store(
    target: str | Path, reviewer: str | None = None, *, migrate: bool = True
) -> ReviewStore:
    """Open (creating if needed) the review database at a path or URL, migrated to head."""
    from twinproof.review.migrate import upgrade

    engine = make_engine(resolve_url(target))
    if migrate:
        try:
            upgrade(engine)
        except SchemaError:
            engine.dispose()
            raise
        except OperationalError as exc:
            engine.dispose()
            raise storage_error(engine, exc, "nothing was changed") from exc
        except DatabaseError as exc:  # e.g. a JPEG given as --db: "file is not a database"
            engine.dispose()
            if getattr(exc.orig, "sqlstate", None) == "42501":  # a role without access
                raise storage_error(engine, exc, "nothing was changed") from exc
            raise SchemaError(f"{target} is not a TwinProof shoot database: {exc.orig}") from exc
    return ReviewStore(engine, reviewer or default_reviewer())
