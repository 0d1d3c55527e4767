"""Who is acting when nobody said: the operating system's user.

A module of its own because both the database connection (``db``: a store's reviewer) and the
PostgreSQL password file (``pgpass``: libpq's default user) need it, and ``db`` imports
``pgpass``; kept in ``db`` it made the two import each other.
"""

from __future__ import annotations

import getpass
import os


def default_reviewer() -> str:
    """The OS user name; never fails (getpass raises when no user is known, e.g. in containers)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        name = ""
    for var in ("USER", "USERNAME", "LOGNAME"):
        name = name or os.environ.get(var, "")
    return name or "unknown reviewer"
