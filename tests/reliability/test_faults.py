"""Faults around a review: the disk filling up during an export or a save, a read-only or
locked database, missing or altered models. The user gets one clear line (CLI) or a typed
error (API), and nothing saved before is lost or corrupted (PRAGMA integrity_check, read back).

A process killed during a burst of decisions is covered by tests/review/test_crash.py (SIGKILL
mid-burst on SQLite and PostgreSQL): not repeated here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.reliability.conftest import ROOT, integrity, make_shoot, one_line, run_cli
from twinproof import review
from twinproof.cli import main

AS_ROOT = os.geteuid() == 0


def _fsize_limit(n: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
    return apply


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _decisions(db: Path) -> list[tuple[str, str | None]]:
    store = review.open_store(db, reviewer="reader")
    try:
        return [(d.state, d.comment) for p in review.list_pairs(store)
                for d in review.decision_history(store, p.id)]
    finally:
        store.close()


@pytest.fixture
def shoot(tmp_path):
    db, ids = make_shoot(tmp_path)
    return tmp_path, db, ids


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str = "1m", *, read_only: bool = False):
    """A real small (or read-only) file system, when this machine lets us mount one."""
    where.mkdir()
    if not AS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip()}); RLIMIT_FSIZE tests cover it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# --- the disk fills up --------------------------------------------------------------------


def test_export_when_the_disk_fills_up_keeps_the_old_file(shoot):
    root, db, _ids = shoot
    out = root / "sheets.pdf"
    out.write_bytes(b"%PDF-1.4 yesterday's sheet\n")
    before = _digest(out)
    limit = 40_000  # above the 32 KiB WAL index (-shm) SQLite maps, below the sheet
    proc = run_cli("export", "--pdf", str(out), "--db", str(db), "--no-maps",
                   preexec_fn=_fsize_limit(limit))
    assert proc.returncode == 2
    assert "File too large" in one_line(proc.stderr)
    assert _digest(out) == before, "the previous sheet was damaged"
    assert not [p.name for p in root.iterdir() if p.name.startswith(".sheets.pdf")], "temp file left"
    assert integrity(db) == "ok"
    store = review.open_store(db, reviewer="reader")
    try:
        assert not [r for r in review.audit_rows(store) if r.event == "export"], "failed export audited"
    finally:
        store.close()
    # The same export with room succeeds, and is bigger than the limit (the limit was the cause).
    proc = run_cli("export", "--pdf", str(out), "--db", str(db), "--no-maps")
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > limit


def test_save_when_the_disk_is_full_is_refused_and_nothing_is_lost(shoot):
    _root, db, _ids = shoot
    before = _decisions(db)
    proc = run_cli("decide", "look02", "reject", "--reason", "artefact", "--db", str(db),
                   preexec_fn=_fsize_limit(0))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "disk" in line or "full" in line or "I/O" in line
    assert integrity(db) == "ok"
    assert _decisions(db) == before
    assert main(["decide", "look02", "reject", "--reason", "artefact", "--db", str(db)]) == 0
    assert len(_decisions(db)) == len(before) + 1


def _write_until_refused(db: Path) -> None:
    store = review.open_store(db, reviewer="alice")  # may itself fail: no room for the WAL index
    try:
        for _ in range(200):  # the WAL may have a few free pages left
            review.add_comment(store, 2, "x" * 20_000)
    finally:
        store.close()


def test_a_real_full_file_system(tmp_path):
    """ENOSPC from a real 1 MB tmpfs (skipped where mounting is not allowed)."""
    with small_tmpfs(tmp_path / "mnt") as mnt:
        db, _ids = make_shoot(mnt, n=2)
        before = _decisions(db)
        filler = mnt / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        with pytest.raises(review.StorageError, match="cannot use database"):
            _write_until_refused(db)
        proc = run_cli("export", "--csv", str(mnt / "out.csv"), "--db", str(db))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert not (mnt / "out.csv").exists()
        filler.unlink()
        assert integrity(db) == "ok"
        assert _decisions(db)[: len(before)] == before


# --- read-only and locked databases --------------------------------------------------------


def test_read_only_database(tmp_path):
    """A shoot on a read-only medium: a save is refused in one line, the file is untouched."""
    if AS_ROOT:
        ctx = small_tmpfs(tmp_path / "ro", "8m")
    else:
        ctx = contextlib.nullcontext(tmp_path / "ro")
        (tmp_path / "ro").mkdir()
    with ctx as folder:
        db, _ids = make_shoot(folder, n=2)
        before = _decisions(db)
        digest = _digest(db)
        if AS_ROOT:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for p in folder.rglob("*"):
                p.chmod(0o555 if p.is_dir() else 0o444)
            folder.chmod(0o555)
        proc = run_cli("decide", "look02", "reject", "--reason", "artefact", "--db", str(db))
        assert proc.returncode == 2
        one_line(proc.stderr)
        assert _digest(db) == digest
        if AS_ROOT:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        else:
            folder.chmod(0o755)
            db.chmod(0o644)
        assert integrity(db) == "ok" and _decisions(db) == before


def _hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    ready = threading.Event()

    def hold() -> None:
        con = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO audit_events (at, reviewer, event, summary, detail) "
                    "SELECT at, reviewer, event, 'lock holder', detail FROM audit_events LIMIT 1")
        ready.set()
        time.sleep(seconds)
        con.execute("ROLLBACK")
        con.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    assert ready.wait(10)
    return t


def test_a_locked_database_is_waited_for(shoot, capsys):
    """Another program (a colleague's app, a backup) holds the write lock for a moment."""
    _root, db, _ids = shoot
    holder = _hold_write_lock(db, 1.0)
    t0 = time.perf_counter()
    assert main(["decide", "look02", "reject", "--reason", "artefact", "--db", str(db)]) == 0
    assert time.perf_counter() - t0 >= 0.8
    holder.join()
    assert "rejected" in capsys.readouterr().out


def test_a_lock_held_too_long_is_a_typed_error_and_loses_nothing(shoot):
    _root, db, ids = shoot
    before = _decisions(db)
    store = review.open_store(db, reviewer="alice")

    @event.listens_for(store.engine, "connect")
    def _short_timeout(dbapi_connection, _record):  # 30 s in production; 0.3 s here
        dbapi_connection.execute("PRAGMA busy_timeout = 300")

    store.engine.dispose()
    holder = _hold_write_lock(db, 2.0)
    try:
        with pytest.raises(review.StorageError, match=r"database is locked.*not saved"):
            review.decide(store, ids["look02"], "rejected", reasons=["artefact"])
    finally:
        holder.join()
    review.decide(store, ids["look02"], "rejected", reasons=["artefact"])
    store.close()
    assert integrity(db) == "ok"
    assert _decisions(db)[: len(before)] == before and len(_decisions(db)) == len(before) + 1


# --- models missing or altered -------------------------------------------------------------


def _data_dir(tmp_path: Path, change: str) -> Path:
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    (data / "resources").symlink_to(ROOT / "resources")
    for f in (ROOT / "models").iterdir():
        if f.is_file():
            (data / "models" / f.name).symlink_to(f)
    target = data / "models" / change.split(":")[1]
    kind = change.split(":")[0]
    target.unlink()
    if kind == "altered":
        blob = bytearray((ROOT / "models" / target.name).read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        target.write_bytes(bytes(blob))
    elif kind == "garbled":
        target.write_text("{ not json")
    return data


@pytest.mark.parametrize("change", ["missing:pose_landmark_full.onnx", "altered:face_landmark.onnx",
                                    "garbled:manifest.json"])
def test_models_missing_or_altered(tmp_path, change):
    data = _data_dir(tmp_path, change)
    image = ROOT / "tests" / "data" / "grace_hopper.jpg"  # a face: every model is used
    env = {"TWINPROOF_DATA_DIR": str(data)}
    proc = run_cli("landmarks", str(image), env=env)
    assert proc.returncode == 1
    line = one_line(proc.stderr)
    assert "landmark models are damaged or missing" in line
    assert {"missing": "missing", "altered": "checksum", "garbled": "manifest"}[change.split(":")[0]] in line
    # The analysis still measures structure and colour; the landmark part says why it is
    # missing and the verdict cannot be 'pass' (face is a required measurement).
    proc = run_cli("analyze", str(image), str(image), "--json", env=env)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    d = json.loads(proc.stdout)
    assert "landmark models unavailable" in d["metrics"]["landmarks"]["reason"]
    assert d["metrics"]["ssim"]["value"] is not None
    assert d["verdict"] != "pass"


def test_damaged_database_file_is_one_line_not_a_traceback(shoot, capsys):
    """A shoot file damaged inside a table (a disk fault, a copy taken mid-write): 'database
    disk image is malformed' escaped as a SQLAlchemy traceback (fixed: StorageError)."""
    _root, db, _ids = shoot
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root_page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'pairs'").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    start = (root_page - 1) * page_size
    data[start + 8: start + page_size - 100] = b"\xaa" * (page_size - 108)
    db.write_bytes(bytes(data))
    for args in (["shoot", "list"], ["decide", "look02", "reject", "--reason", "artefact"]):
        assert main([*args, "--db", str(db)]) == 2
        line = one_line(capsys.readouterr().err)
        assert "malformed" in line and "restore it from a backup" in line
    store = review.open_store(db, reviewer="alice")
    try:
        with pytest.raises(review.StorageError, match="malformed"):
            review.list_pairs(store)
    finally:
        store.close()


def test_check_reports_an_unreadable_file_and_checks_the_rest(shoot, monkeypatch, capsys):
    """``shoot check`` stopped at the first file it could not open (exit 2, nothing checked
    after it); it now reports it as unreadable, checks every other file, and exits 1.
    Root reads mode 000, so the refusal is simulated at ``open``."""
    from twinproof import hashing  # the one place a file's SHA-256 is read

    root, db, _ids = shoot
    (root / "shoot" / "real" / "look03.png").write_bytes(b"changed content")
    real_open = open

    def refusing_open(path, *args, **kwargs):
        if str(path).endswith("twin/look01.png"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(hashing, "open", refusing_open, raising=False)
    assert main(["shoot", "check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "look01: twin unreadable:" in out and "look03: real changed:" in out
