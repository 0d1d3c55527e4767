"""A team server that accepts the connection and never answers (a stuck server, another
service's port) held every CLI command on it for good: libpq waits forever without a
``connect_timeout``. The review layer now gives it ``CONNECT_TIMEOUT_S`` (the app's bound too)
unless the URL names its own, and the CLI says so in one line with exit code 2.

The server is a real listening socket that accepts and says nothing; the CLI runs as a real
process (a hang fails the test on the subprocess's own timeout instead of hanging the suite)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from twinproof.review.db import CONNECT_TIMEOUT_S

ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, limit: float) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), str(ROOT)])}
    env.pop("PGCONNECT_TIMEOUT", None)  # libpq's own environment default must not be what bounds it
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "twinproof", "shoot", "list", "--db", url],
                          capture_output=True, text=True, env=env, timeout=limit)
    return proc, time.monotonic() - start


def _one_line_timeout(proc: subprocess.CompletedProcess[str], seconds: int) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    assert ":pw@" not in proc.stderr  # the password is never shown
    assert f"did not answer within {seconds} s" in proc.stderr, proc.stderr
    assert "connect_timeout" in proc.stderr, proc.stderr  # how to wait longer


def test_the_urls_own_connect_timeout_wins(silent_server):
    proc, took = _cli(f"postgresql+psycopg://reviewer:pw@127.0.0.1:{silent_server}/shoots?connect_timeout=2",
                      CONNECT_TIMEOUT_S + 60)
    _one_line_timeout(proc, 2)
    assert took < CONNECT_TIMEOUT_S, took  # its 2 s, not the default's 15


@pytest.mark.slow
def test_a_silent_team_server_is_one_line_and_exit_2_not_a_hang(silent_server):
    proc, took = _cli(f"postgresql+psycopg://reviewer:pw@127.0.0.1:{silent_server}/shoots",
                      CONNECT_TIMEOUT_S + 60)
    _one_line_timeout(proc, CONNECT_TIMEOUT_S)
    assert CONNECT_TIMEOUT_S - 1 < took < CONNECT_TIMEOUT_S + 20, took
