"""Where libpq would find a PostgreSQL password without one in the URL: ``PGPASSWORD`` or the
password file (``PGPASSFILE``, else ``~/.pgpass``; ``%APPDATA%\\postgresql\\pgpass.conf`` on
Windows), matched the way libpq matches it.

Why TwinProof reads the file at all: libpq uses it by itself when the URL has no password,
but the app must know *before* connecting whether to ask the reviewer for one (and must
never store the password in its recent list). The file format (libpq documentation, "The
Password File"): ``hostname:port:database:username:password`` per line, ``*`` matches
anything, ``\\:`` and ``\\\\`` escape, ``#`` starts a comment; on Unix libpq ignores a file
that others can read (mode wider than 0600), and so does this.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from sqlalchemy.engine import URL

from twinproof.review.reviewer import default_reviewer


def passfile() -> Path:
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", "")) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _fields(line: str) -> list[str]:
    out, current, escaped = [], [], False
    for ch in line:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ":":
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return out


def _targets(url: URL) -> tuple[str, str, str, str]:
    """(host, port, database, user) as libpq would connect, defaults filled in."""
    host = url.host or str(url.query.get("host") or "") or "localhost"
    if host.startswith("/"):  # a Unix socket directory matches "localhost" in the file
        host = "localhost"
    user = url.username or os.environ.get("PGUSER") or default_reviewer()
    return (host, str(url.port or os.environ.get("PGPORT") or 5432),
            url.database or os.environ.get("PGDATABASE") or user, user)


def lookup(url: URL) -> str | None:
    """The password the password file holds for ``url``'s server, database and user."""
    path = passfile()
    try:
        if sys.platform != "win32" and stat.S_IMODE(path.stat().st_mode) & 0o077:
            return None  # libpq: "has group or world access; permissions should be u=rw (0600)"
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    wanted = _targets(url)
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = _fields(line)
        if len(fields) < 5:
            continue
        if all(f == "*" or f == w for f, w in zip(fields[:4], wanted, strict=True)):
            return ":".join(fields[4:])
    return None
