"""The client side of a batch: killed and re-run, it resumes; a bad file is recorded with its
error and the batch goes on; Ctrl+C stops cleanly. On a local cluster (``--workers``)."""

from __future__ import annotations

import os
import signal

import pytest

from tests.batch.conftest import (
    analyses_by_pair,
    cli,
    count_stored,
    import_shoot,
    make_shoot,
    start_cli,
    wait_for,
)
from twinproof import review

pytestmark = pytest.mark.slow
PAIRS = 8
BAD = 5  # look05's twin is a truncated JPEG


def _failures(db: str) -> list[review.AuditRow]:
    store = review.open_store(db, reviewer="batch-test")
    try:
        return [r for r in review.audit_rows(store) if r.event == "analysis_failed"]
    finally:
        store.close()


def test_client_killed_then_rerun_resumes_and_a_bad_file_is_recorded(tmp_path):
    db = str(tmp_path / "season.twinproof")
    import_shoot(db, make_shoot(tmp_path / "season", PAIRS, bad=(BAD,)))
    proc = start_cli("shoot", "analyze", "--db", db, "--workers", "1")
    try:
        wait_for(lambda: proc.poll() is not None or count_stored(db) >= 2, 300, "two stored results")
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGKILL)  # the client and its local cluster, without warning
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    done_before = {name for name, rows in analyses_by_pair(db).items() if rows}
    assert 2 <= len(done_before) < PAIRS

    rerun = cli("shoot", "analyze", "--db", db, "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    # Only what was missing was done (the bad pair is missing too, and fails again).
    todo = PAIRS - len(done_before)
    assert f"{todo} to analyse ({todo} never analysed), {len(done_before)} up to date" in rerun.stderr
    assert f"analysed {todo - 1}, up to date {len(done_before)}, failed 1" in rerun.stderr
    assert f"failed look{BAD:02d}: ImageTruncatedError" in rerun.stderr

    history = analyses_by_pair(db)
    assert {n for n, rows in history.items() if len(rows) != 1} == {f"look{BAD:02d}"}
    assert history[f"look{BAD:02d}"] == []
    failures = [r for r in _failures(db) if r.summary.startswith(f"look{BAD:02d}")]
    assert failures and "ImageTruncatedError" in failures[-1].detail["error"]


def test_ctrl_c_stops_cleanly_and_keeps_what_was_stored(tmp_path):
    db = str(tmp_path / "season.twinproof")
    import_shoot(db, make_shoot(tmp_path / "season", PAIRS))
    proc = start_cli("shoot", "analyze", "--db", db, "--workers", "1")
    try:
        wait_for(lambda: proc.poll() is not None or count_stored(db) >= 1, 300, "a first result")
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl+C sends: the whole group
        _out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert "interrupted: run again to resume" in err
    stored = count_stored(db)
    assert 1 <= stored < PAIRS
    assert all(len(rows) <= 1 for rows in analyses_by_pair(db).values())
