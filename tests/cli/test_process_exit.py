"""The command's exit skips freeing objects, and nothing else a normal exit does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"

# A process that ends through ``finish``: a non-daemon thread still writing, an atexit function,
# a buffered line on stdout, and an object whose finaliser only the interpreter's teardown runs.
SCRIPT = r"""
import atexit, sys, threading, time
from pathlib import Path
from twinproof.cli.process_exit import finish

out = Path(sys.argv[1])

class Freed:
    def __del__(self):
        (out / "freed").write_text("yes")

kept = Freed()

def late_writer():
    time.sleep(0.3)
    (out / "thread").write_text("done")

threading.Thread(target=late_writer).start()
atexit.register(lambda: (out / "atexit").write_text("ran"))
print("answer", end="")  # no newline: still in the buffer
finish(int(sys.argv[2]))
"""


def _run(tmp_path: Path, code: int, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(code)], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=60)


@pytest.mark.parametrize("code", [0, 2])
def test_finish_waits_for_threads_runs_exit_hooks_and_flushes(tmp_path, code):
    proc = _run(tmp_path, code)
    assert proc.returncode == code, proc.stderr
    assert proc.stdout == "answer"
    assert (tmp_path / "thread").read_text() == "done"
    assert (tmp_path / "atexit").read_text() == "ran"
    # the teardown itself is what is skipped: a module-level object is never freed
    assert not (tmp_path / "freed").exists()


def test_full_exit_on_request_frees_as_the_interpreter_does(tmp_path):
    proc = _run(tmp_path, 0, TWINPROOF_FULL_EXIT="1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "answer"
    assert (tmp_path / "thread").read_text() == "done"
    assert (tmp_path / "freed").read_text() == "yes"


def test_the_command_prints_its_whole_answer_and_its_exit_code():
    """``python -m twinproof`` ends through ``finish``: the JSON is whole, bad input still 2."""
    real, twin = SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg"
    proc = subprocess.run([sys.executable, "-m", "twinproof", "analyze", str(real), str(twin), "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    assert json.loads(proc.stdout)["real"]["path"].endswith("look01_real.jpg")
    missing = subprocess.run([sys.executable, "-m", "twinproof", "analyze", "no-such.jpg", str(twin)],
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2
    assert "no-such.jpg" in missing.stderr
