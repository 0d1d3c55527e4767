"""Opening a review database: URL resolution, connection settings, migrations, transactions.

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
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import text as sql_text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from twinproof.review.errors import AuditImmutableError, ConflictError, SchemaError, StorageError
from twinproof.review.reviewer import default_reviewer as default_reviewer  # re-exported

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
        try:
            return create_engine(url, pool_pre_ping=True)
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


#: How the SQLite trigger of migration 0009 begins its refusal (``basis_0009.SQLITE_REFUSAL``).
SQLITE_STALE = "TwinProof: cannot approve: the pair's newest analysis is stale"


def rule_error(exc: DBAPIError) -> Exception | None:
    """The typed error for a refusal by one of the database's rule functions (SQLSTATE class
    ``TP``, see ``migrations/rules_0003.py``), worded as the database worded it."""
    from twinproof.review import errors

    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if SQLITE_STALE in str(exc.orig):  # the SQLite trigger of 0009 (a fixed sentence)
        return errors.StaleAnalysisError(str(exc.orig))
    if not state.startswith("TP"):
        return None
    diag = getattr(exc.orig, "diag", None)
    message = str(getattr(diag, "message_primary", None) or exc.orig)
    if state == "TP005" and getattr(diag, "table_name", None) == "pairs":  # the pair rule (0008)
        return errors.PairingError(message)
    kinds: dict[str, type[Exception]] = {
        "TP001": errors.ReasonRequiredError, "TP002": errors.OverrideRequiredError,
        "TP003": errors.ConflictError, "TP004": errors.NotFoundError, "TP006": errors.StaleAnalysisError}
    return kinds.get(state, errors.ReviewError)(message)


#: The partial unique index of migration 0008 (a twin is in one active pair of its shoot), as
#: PostgreSQL names it and as SQLite describes it (SQLite does not name the index).
ACTIVE_TWIN_INDEX = "uq_pairs_active_twin"
_SQLITE_ACTIVE_TWIN = "UNIQUE constraint failed: pairs.shoot_id, pairs.twin_path"


def pair_rule_error(engine: Engine, exc: DBAPIError) -> Exception | None:
    """A write refused by ``uq_pairs_active_twin`` (a client that skipped the check, or two
    reviewers pairing one twin at the same moment) as the pair rule words it, naming the twin
    and the pair it is already in when the statement says which; None for any other error."""
    from twinproof.review.errors import PairingError

    diag = getattr(exc.orig, "diag", None)
    if getattr(diag, "constraint_name", None) != ACTIVE_TWIN_INDEX and _SQLITE_ACTIVE_TWIN not in str(exc.orig):
        return None
    try:  # naming the pair is a courtesy: a failure here must not hide the refusal
        for shoot_id, twin in _inserted_twins(exc):
            with engine.connect() as conn:
                name = conn.execute(sql_text("SELECT name FROM pairs WHERE shoot_id = :s AND twin_path = :t "
                                             "AND broken_at IS NULL ORDER BY id LIMIT 1"),
                                    {"s": shoot_id, "t": twin}).scalar()
            if name is not None:
                return PairingError(f"{Path(twin).name} is already the twin of pair {name!r}: a twin is in "
                                    "one pair only (break that pair first)")
    except (DBAPIError, KeyError, TypeError, ValueError):
        pass
    return PairingError("this twin is already the twin of another pair of the shoot: a twin is in one "
                        "pair only (break that pair first)")


def _inserted_twins(exc: DBAPIError) -> list[tuple[Any, str]]:
    """(shoot id, twin path) of each row the failed INSERT INTO pairs wrote (none for another
    statement): named parameters on PostgreSQL, positional ones (one or more rows) on SQLite."""
    head = re.match(r"\s*INSERT INTO pairs \(([^)]*)\)", str(exc.statement or ""))
    if head is None:
        return []
    params = exc.params
    rows: list[dict[str, Any]] = []
    for one in params if isinstance(params, list) else [params]:
        if isinstance(one, dict):  # PostgreSQL; several rows at once: shoot_id__0, shoot_id__1, ...
            by_row: dict[str, dict[str, Any]] = {}
            for key, value in one.items():
                column, _, row = key.partition("__")
                by_row.setdefault(row, {})[column] = value
            rows += by_row.values()
        elif isinstance(one, tuple):
            columns = [c.strip() for c in head.group(1).split(",")]
            rows += [dict(zip(columns, one[i:i + len(columns)], strict=True))
                     for i in range(0, len(one) - len(columns) + 1, len(columns))]
    return [(r["shoot_id"], str(r["twin_path"])) for r in rows if "shoot_id" in r and "twin_path" in r]


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
    if any(w in message for w in ("could not connect", "connection refused", "timeout expired",
                                  "could not translate host name", "server closed the connection",
                                  "connection timed out", "no route to host")):
        return f"check that the PostgreSQL server at {where} is running and reachable, then try again"
    return f"check the URL and that the PostgreSQL server at {where} is reachable, then try again"


def url_for_list(target: str | Path) -> str:
    """The database as a recent-files list may keep it: a URL with its password *removed*
    (not masked: the app used to store ``***`` and then send it as the password). Paths are
    returned as they are."""
    text = str(target)
    if "://" not in text:
        return text
    url = make_url(text)  # URL.set(password=None) would keep the password: build it anew
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def password_source(target: str | Path) -> str | None:
    """Where a connection to ``target`` gets its password: "url", "PGPASSWORD", the password
    file's path, or None (the user must be asked). Always "url" for SQLite (none needed)."""
    from twinproof.review.pgpass import lookup, passfile

    text = str(target)
    if "://" not in text:
        return "url"
    url = make_url(text)
    if url.get_backend_name() == "sqlite" or url.password is not None:
        return "url"
    if os.environ.get("PGPASSWORD"):
        return "PGPASSWORD"
    if lookup(url) is not None:
        return str(passfile())
    return None


def connectable_url(saved: str | Path, ask: Callable[[str], str | None] | None = None) -> str | None:
    """The URL to open for a database kept without its password (``url_for_list``).

    When PGPASSWORD or the password file (PGPASSFILE / ~/.pgpass) has the password, the URL is
    returned as it is (libpq reads them itself, so the password never passes through the app);
    otherwise ``ask(prompt)`` is called (the GUI's password dialog; None = cancelled, and then
    None is returned). Without ``ask``, the URL is returned and the server's refusal is
    worded by :func:`failure_hint`."""
    if password_source(saved) is not None or ask is None:
        return str(saved)
    url = make_url(str(saved))
    password = ask(f"Password for {url.username or default_reviewer()} on "
                   f"{url.host or 'localhost'}/{url.database or ''}")
    if password is None:
        return None
    return url.set(password=password).render_as_string(hide_password=False)


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
