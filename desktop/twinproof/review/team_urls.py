"""A team database's URL as the app keeps it (without its password) and opens it again (the
password from PGPASSWORD, the password file, or the user)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from twinproof.review.reviewer import default_reviewer

#: Seconds a team server gets to answer a connection (libpq's ``connect_timeout``) unless the
#: URL names its own (``?connect_timeout=S``): a server that accepts and never answers (a stuck
#: server, another service's port) held the app and every CLI command on it for good.
CONNECT_TIMEOUT_S = 15


def connect_timeout(url: URL) -> int:
    """The seconds a connection to this server may take: the URL's own, else the default."""
    try:
        return int(str(url.query.get("connect_timeout")))
    except ValueError:
        return CONNECT_TIMEOUT_S


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
