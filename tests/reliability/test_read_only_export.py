"""An export from a shoot database that cannot be written is refused before any file is
written, and every message about such a database says *read-only* (issue 28).

Why refuse rather than write and record elsewhere: every export is to be audited, and a file
handed to a brand with no trace in the shoot's audit trail is the one case the trail exists
for. Before, an immutable shoot file got all six CSV rows written, exit 2 and "attempt to write
a readonly database ... check free disk space", and no export event.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.reliability.conftest import make_shoot, one_line, run_cli
from tests.reliability.test_faults import AS_ROOT, small_tmpfs
from twinproof.review.writable import sqlite_read_only_reason


def _export_events(db: Path) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM audit_events WHERE event = 'export'").fetchone()[0]
    finally:
        con.close()


def _refused(proc: subprocess.CompletedProcess[str], *words: str) -> str:
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc.stderr)
    assert "read-only" in line and "free disk space" not in line, line
    for word in words:
        assert word in line, line
    return line


def test_a_writable_database_has_no_read_only_reason(tmp_path):
    db, _ids = make_shoot(tmp_path, n=1, analyse=False, decide=False)
    assert sqlite_read_only_reason(db) is None
    assert sqlite_read_only_reason(tmp_path / "not yet.twinproof") is None


def test_export_from_an_immutable_database_writes_nothing(tmp_path):
    """``chattr +i`` on the shoot file: refused before writing, the CSV never exists; once the
    file is writable again the same export writes and is audited."""
    if not AS_ROOT or shutil.which("chattr") is None:
        pytest.skip("marking a file immutable needs root and chattr")
    db, _ids = make_shoot(tmp_path, n=2, analyse=False)
    before = _export_events(db)
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode:
        pytest.skip("this file system has no immutable attribute")
    out = tmp_path / "out.csv"
    try:
        for args in (("--csv", str(out)), ("--json", str(out.with_suffix(".json")))):
            _refused(run_cli("export", *args, "--db", str(db)), "immutable", "nothing was written")
        assert not out.exists() and not out.with_suffix(".json").exists()
        decide = run_cli("decide", "look02", "reject", "--reason", "artefact", "--db", str(db))
        _refused(decide, "immutable")
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    assert _export_events(db) == before
    assert run_cli("export", "--csv", str(out), "--db", str(db)).returncode == 0
    assert out.exists() and _export_events(db) == before + 1


def test_export_and_decide_on_a_read_only_mount(tmp_path):
    """A shoot on a volume mounted read-only: "it is on a read-only disk", never free space."""
    with small_tmpfs(tmp_path / "ro", "8m") as folder:
        db, _ids = make_shoot(folder, n=2, analyse=False)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            out = tmp_path / "out.csv"
            _refused(run_cli("export", "--csv", str(out), "--db", str(db)), "read-only disk")
            assert not out.exists()
            decide = run_cli("decide", "look02", "reject", "--reason", "artefact", "--db", str(db))
            _refused(decide, "read-only disk")
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)


def test_export_from_a_database_read_only_for_the_user(tmp_path, monkeypatch):
    """Permissions (mode 444 for someone who is not its owner). Root ignores mode bits, so the
    open for writing is made to fail as it would for that user."""
    import errno
    import os

    from twinproof import review
    from twinproof.export import ExportRequest, run_export

    db, _ids = make_shoot(tmp_path, n=1, analyse=False, decide=False)
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if Path(path) == db and flags & os.O_RDWR:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    store = review.open_store(db, reviewer="alice")
    try:
        monkeypatch.setattr(os, "open", refusing)
        with pytest.raises(review.StorageError, match="is read-only: the file is read-only for you"):
            run_export(store, ExportRequest(csv=tmp_path / "out.csv"))
    finally:
        monkeypatch.undo()
        store.close()
    assert not (tmp_path / "out.csv").exists()


def test_a_read_only_postgresql_session_is_refused_before_writing(tmp_path):
    """A team database the session may not change (a hot standby, read-only sessions): the
    export says so before writing; a writable session of the same database exports."""
    import os

    from sqlalchemy.engine import make_url

    from tests.conftest import fresh_pg_schema
    from twinproof import review
    from twinproof.export import ExportRequest, run_export

    base = os.environ.get("TWINPROOF_TEST_PG_URL")
    if not base:
        pytest.skip("TWINPROOF_TEST_PG_URL not set (run scripts/start_postgres.sh)")
    make_shoot(tmp_path, n=1, analyse=False, decide=False)  # the folders, imported again below
    with fresh_pg_schema(base) as url:
        store = review.open_store(url, reviewer="alice")
        try:
            shoot = tmp_path / "shoot"
            review.import_shoot(store, shoot / "real", shoot / "twin", name="SS27")
            assert review.read_only_reason(store) is None
            run_export(store, ExportRequest(csv=tmp_path / "ok.csv"))
        finally:
            store.close()
        parsed = make_url(url)
        options = parsed.query["options"] + " -cdefault_transaction_read_only=on"
        read_only = parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)
        store = review.open_store(read_only, reviewer="alice")
        try:
            with pytest.raises(review.StorageError, match="is read-only: the server takes no changes"):
                run_export(store, ExportRequest(csv=tmp_path / "refused.csv"))
        finally:
            store.close()
    assert (tmp_path / "ok.csv").exists() and not (tmp_path / "refused.csv").exists()
