"""``decide``/``rate --expect-version N``: a stale CLI decision is refused, never a silent
"later one wins". Before the option, two concurrent ``decide`` calls on one pair both
succeeded in about half the rounds; with it exactly one of them does, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from tests.review.conftest import write_files
from tests.review.test_cli import run
from twinproof import review
from twinproof.cli import main


@pytest.fixture
def imported(capsys, db_url, tmp_path):
    real, twin = tmp_path / "real", tmp_path / "twin"
    write_files(real, "look01.jpg")
    write_files(twin, "look01.png")
    code, _out, err = run(capsys, "shoot", "import", str(real), str(twin), "--db", db_url)
    assert code == 0, err
    return db_url


def version(capsys, db_url) -> int:
    code, out, _ = run(capsys, "shoot", "list", "--json", "--db", db_url)
    assert code == 0
    return int(json.loads(out)[0]["version"])


def test_stale_decision_refused(capsys, imported):
    db = imported
    seen = version(capsys, db)
    code, out, err = run(capsys, "decide", "look01", "reject", "--reason", "artefact",
                         "--expect-version", str(seen), "--db", db, "--reviewer", "carol")
    assert code == 0, err
    assert f"(version {seen + 1})" in out  # what the next call must expect
    code, out, err = run(capsys, "decide", "look01", "changes", "--reason", "other", "--reason-text",
                         "hem", "--expect-version", str(seen), "--db", db, "--reviewer", "dan")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "changed by another reviewer" in err and f"you had {seen}" in err
    code, _, err = run(capsys, "rate", "look01", "4", "--expect-version", str(seen), "--db", db)
    assert code == 1 and "changed by another reviewer" in err
    store = review.open_store(db)
    try:
        pair = review.find_pair(store, "look01")
        assert [d.reviewer for d in review.decision_history(store, pair.id)] == ["carol"]
        assert pair.state == "rejected" and pair.rating is None
    finally:
        store.close()
    code, _, err = run(capsys, "decide", "look01", "reset", "--expect-version", "x", "--db", db)
    assert code == 2 and "whole number" in err


@pytest.mark.slow
def test_concurrent_decisions_from_one_view_exactly_one_wins(capsys, imported):
    """Five rounds: two reviewers decide the same pair at the same moment from the same
    version; each round exactly one succeeds and the other is refused (exit 1)."""
    db = imported
    for _round in range(5):
        seen = version(capsys, db)
        gate = threading.Barrier(2)
        codes: list[int] = []
        calls = ((["decide", "look01", "reject", "--reason", "artefact"], "carol"),
                 (["decide", "look01", "reset"], "dan"))
        threads = [threading.Thread(target=_decide_at_once, args=(gate, codes, argv, seen, db, who))
                   for argv, who in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        capsys.readouterr()
        assert sorted(codes) == [0, 1], codes
        assert version(capsys, db) == seen + 1


def _decide_at_once(gate: threading.Barrier, codes: list[int], argv: list[str], seen: int, db: str,
                    who: str) -> None:
    gate.wait()
    codes.append(main([*argv, "--expect-version", str(seen), "--db", db, "--reviewer", who]))


def test_as_a_real_process(imported, tmp_path):
    db = imported
    proc = subprocess.run([sys.executable, "-m", "twinproof", "decide", "look01", "reset",
                           "--expect-version", "999", "--db", db], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "you had 999" in proc.stderr
