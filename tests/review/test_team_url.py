"""Team database URLs: kept without the password, the password found where libpq finds it
(PGPASSWORD, the password file) or asked for; errors worded for the database in use; a build
without psycopg says so in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from twinproof import review
from twinproof.review.db import connectable_url, failure_hint, password_source, url_for_list

PG_URL = os.environ.get("TWINPROOF_TEST_PG_URL")


@pytest.fixture
def no_password_env(monkeypatch, tmp_path):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    return tmp_path / "pgpass"


def test_recent_list_keeps_the_url_without_its_password():
    assert url_for_list("postgresql+psycopg://bob:s3cr%40t@db.studio:5433/ss27") == \
        "postgresql+psycopg://bob@db.studio:5433/ss27"
    assert url_for_list("/shoots/ss27.twinproof") == "/shoots/ss27.twinproof"
    assert "***" not in url_for_list("postgresql+psycopg://bob:pw@db/x")


def test_password_found_in_pgpassword_or_the_password_file(no_password_env, monkeypatch):
    passfile = no_password_env
    url = "postgresql+psycopg://bob@db.studio:5433/ss27"
    assert password_source(url) is None
    passfile.write_text("# team server\nother:5433:ss27:bob:nope\ndb.studio:*:ss27:bob:pa\\:ss\n")
    passfile.chmod(0o600)
    assert password_source(url) == str(passfile)
    passfile.chmod(0o644)  # libpq ignores a password file others can read, and so do we
    assert password_source(url) is None
    monkeypatch.setenv("PGPASSWORD", "x")
    assert password_source(url) == "PGPASSWORD"
    assert password_source("postgresql+psycopg://bob:pw@db/x") == "url"
    assert password_source("/local/file.twinproof") == "url"


def test_asked_only_when_nothing_has_it(no_password_env):
    asked: list[str] = []

    def ask(prompt: str) -> str | None:
        asked.append(prompt)
        return "p@ss:word"

    url = "postgresql+psycopg://bob@db.studio/ss27"
    opened = connectable_url(url, ask)
    assert asked == ["Password for bob on db.studio/ss27"]
    assert make_url(opened).password == "p@ss:word" and make_url(opened).host == "db.studio"
    assert connectable_url(url, lambda _p: None) is None  # cancelled
    no_password_env.write_text("*:*:*:bob:from-file\n")
    no_password_env.chmod(0o600)
    assert connectable_url(url, ask) == url and len(asked) == 1  # libpq will read the file


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="TWINPROOF_TEST_PG_URL not set")
def test_a_url_without_password_opens_with_the_password_file(no_password_env):
    pytest.importorskip("psycopg")
    assert PG_URL
    full = make_url(PG_URL)
    saved = url_for_list(PG_URL)
    with pytest.raises(review.StorageError) as refused:
        review.open_store(saved)
    said = str(refused.value)
    assert "check the user name and password" in said and "disk space" not in said
    no_password_env.write_text(f"{full.host}:{full.port or 5432}:{full.database}:{full.username}:"
                               f"{(full.password or '').replace(':', chr(92) + ':')}\n")
    no_password_env.chmod(0o600)
    store = review.open_store(connectable_url(saved) or "")
    try:
        assert review.list_shoots(store) is not None
    finally:
        store.close()


def test_errors_worded_for_the_database_in_use():
    class Orig(Exception):
        sqlstate = None

    def hint(url: str, message: str) -> str:
        return failure_hint(make_url(url), OperationalError("connect", {}, Orig(message)))

    pg = "postgresql+psycopg://bob@db.studio:5433/ss27"
    assert "password" in hint(pg, 'FATAL: password authentication failed for user "bob"')
    assert "db.studio:5433 is running" in hint(pg, "connection refused")
    assert "database name" in hint(pg, 'FATAL: database "ss27" does not exist')
    assert all("disk space" not in hint(pg, m) for m in ("password authentication failed", "x"))
    assert "disk space" in hint("sqlite+pysqlite:////tmp/x.twinproof", "disk I/O error")


def test_missing_driver_is_one_line_exit_2(tmp_path):
    """A bundle or install without psycopg: one line saying so, not a traceback."""
    block = tmp_path / "block"
    block.mkdir()
    (block / "sitecustomize.py").write_text(textwrap.dedent("""
        import sys
        class _NoPsycopg:
            def find_spec(self, name, path=None, target=None):
                if name == "psycopg" or name.startswith("psycopg."):
                    raise ModuleNotFoundError("No module named 'psycopg'", name="psycopg")
                return None
        sys.meta_path.insert(0, _NoPsycopg())
    """))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(block), os.path.join(root, "desktop"), root])}
    proc = subprocess.run([sys.executable, "-m", "twinproof", "shoot", "list", "--db",
                           "postgresql+psycopg://bob@127.0.0.1:1/ss27"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert "psycopg is not installed" in proc.stderr and "twinproof[postgres]" in proc.stderr
