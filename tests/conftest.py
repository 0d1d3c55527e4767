"""Suite-wide settings: offscreen Qt, and no test touches the real user profile."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"


def pytest_sessionstart(session: pytest.Session) -> None:
    """scripts/test.sh (and so CI) asks for the PostgreSQL tests: refuse to skip them."""
    if os.environ.get("TWINPROOF_REQUIRE_PG") and not os.environ.get("TWINPROOF_TEST_PG_URL"):
        pytest.exit("TWINPROOF_REQUIRE_PG is set but TWINPROOF_TEST_PG_URL is not: "
                    "start PostgreSQL with scripts/start_postgres.sh", returncode=3)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, caches and recent-file lists go to a throwaway HOME, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


@contextmanager
def fresh_pg_schema(base_url: str) -> Iterator[str]:
    """A URL into a new, empty PostgreSQL schema of its own, dropped afterwards: each test gets
    a clean database on the one local server without creating databases."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A listener on this machine that accepts and says nothing (a stuck server, another service's port):
    its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):  # the listener's 0.2 s timeout: look at stop again
                held.append(listener.accept()[0])

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in held:
        conn.close()
    listener.close()
