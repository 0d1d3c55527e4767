"""Whatever a file holds, a command's stderr is TwinProof's one line or nothing (issue 28).

Libraries log on their own: Pillow's TIFF reader said "More samples per pixel than can be
decoded: 65535" through ``logger.error`` above TwinProof's refusal of the same file, and any
logger without a handler ends in Python's last-resort handler, which prints to stderr. Every
record now ends in TwinProof's log (``twinproof/logs.py``: the file ``$TWINPROOF_LOG`` names,
else nowhere). These tests look at file descriptor 2 itself, in real processes, with
``PYTHONWARNINGS=default`` so a warning Python would hide is shown if it escapes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.reliability.conftest import ROOT, run_cli

GOOD = "png_named.jpg"


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "desktop"), str(ROOT)]),
           "PYTHONWARNINGS": "default"}
    env.pop("TWINPROOF_LOG", None)
    return env


def _stray(row: dict) -> str | None:
    """What is wrong with one call's stderr, or None: empty on success, else exactly one line
    of TwinProof's own (``twinproof: error: ...``)."""
    err, code = row["stderr"], row["exit"]
    if not isinstance(code, int):
        return f"crashed: {err[-600:]}"
    lines = err.splitlines()
    if code == 0:
        return None if err == "" else f"exit 0 with stderr {err[:600]!r}"
    if len(lines) != 1 or not lines[0].startswith("twinproof: error: ") or not err.endswith("\n"):
        return f"exit {code} with stderr {err[:600]!r}"
    return None


@pytest.mark.slow  # ~3-5 min: ~170 files x 3 commands (models loaded once)
def test_corpus_and_mutants_through_the_commands_print_only_our_line(tmp_path, corpus_module,
                                                                      mutants_module):
    """The hostile corpus (with the TIFF declaring 65535 samples per pixel and the GIF bombs)
    and 12 mutants of each of the nine formats read, through ``analyze`` (as twin and as real)
    and ``landmarks``: every call's stderr is empty or TwinProof's one line. Figures:
    docs/reliability.md."""
    folder = tmp_path / "corpus"
    corpus_module.build(folder)
    mutants_module.build_fuzzed(folder, 12)
    for special in ("fifo.jpg", "unreadable.jpg"):  # test_bad_files covers them (root reads 000)
        (folder / special).unlink()
    good = tmp_path / GOOD
    good.write_bytes((folder / GOOD).read_bytes())
    out = tmp_path / "calls.jsonl"
    proc = subprocess.run([sys.executable, "-m", "tests.reliability.cli_driver", str(folder),
                           str(good), str(out)], capture_output=True, text=True, timeout=1800,
                          env=_env(), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == "", f"stray output outside any command:\n{proc.stderr[:3000]}"
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    problems = [f"{r['command']} ({r['side']}) {r['file']}: {why}"
                for r in rows if (why := _stray(r)) is not None]
    assert problems == [], "\n".join(problems[:20])
    files = {r["file"] for r in rows}
    assert {"spp65535.tif", "decompression_bomb.gif", "gif_extents_bomb.gif"} <= files
    refused = sum(r["exit"] != 0 for r in rows)
    print(f"\ncommands over the corpus: {len(files)} files, {len(rows)} calls, {refused} refused "
          f"in one line, {len(rows) - refused} read with an empty stderr, 0 with anything else")


def test_pillows_log_line_never_reaches_stderr(bad_dir):
    """The case of the issue: Pillow logs at ERROR level, then raises; only our line shows."""
    for args in (("analyze", str(bad_dir / GOOD), str(bad_dir / "spp65535.tif")),
                 ("landmarks", str(bad_dir / "spp65535.tif"))):
        proc = run_cli(*args, env={"PYTHONWARNINGS": "default", "TWINPROOF_LOG": ""})
        assert proc.returncode == 2
        assert "More samples" not in proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("twinproof: error: ")


def test_the_log_line_goes_to_twinproof_log_when_asked(bad_dir, tmp_path):
    """Not lost: with ``TWINPROOF_LOG`` set, Pillow's line is in that file (named by logger)."""
    log = tmp_path / "twinproof.log"
    proc = run_cli("landmarks", str(bad_dir / "spp65535.tif"), env={"TWINPROOF_LOG": str(log)})
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    text = log.read_text()
    assert "PIL.TiffImagePlugin: More samples per pixel than can be decoded: 65535" in text


def test_any_librarys_log_record_ends_in_our_log_not_stderr(tmp_path):
    """Not only Pillow's: a record of any logger, one that does not propagate and has no
    handler (which Python hands to its last-resort handler), and a warning shown under
    ``PYTHONWARNINGS=default`` - none reaches stderr once the command line has started."""
    log = tmp_path / "twinproof.log"
    code = (
        "import logging, warnings\n"
        "from twinproof.cli import main\n"
        "import twinproof.logs as logs\n"
        "logs.route_all_logging()\n"
        "logging.getLogger('fontTools.subset').warning('a library warning')\n"
        "lonely = logging.getLogger('lonely'); lonely.propagate = False\n"
        "lonely.error('a record with nowhere to go')\n"
        "warnings.warn('a python warning')\n"
    )
    for env_log in ("", str(log)):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, env={**_env(), "TWINPROOF_LOG": env_log})
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = log.read_text()
    for said in ("a library warning", "a record with nowhere to go", "a python warning"):
        assert said in text


def test_the_app_routes_qt_and_library_messages_to_the_log(tmp_path):
    """The app: ``run_app`` routes every record the same way and installs a Qt message handler
    (Qt's own warnings went to the terminal)."""
    pytest.importorskip("PySide6")
    log = tmp_path / "twinproof.log"
    code = (
        "import logging\n"
        "from PySide6.QtCore import qWarning\n"
        "from twinproof.gui import app\n"
        "from twinproof.logs import route_all_logging\n"
        "from PySide6.QtCore import qInstallMessageHandler\n"
        "route_all_logging(); qInstallMessageHandler(app._qt_to_the_log)\n"
        "qWarning('a qt warning')\n"
        "logging.getLogger('PIL.PngImagePlugin').error('a pillow error')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**_env(), "TWINPROOF_LOG": str(log), "QT_QPA_PLATFORM": "offscreen"})
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    text = log.read_text()
    assert "twinproof.qt WARNING a qt warning" in text and "a pillow error" in text


def test_a_log_file_that_cannot_be_written_costs_nothing(tmp_path):
    """``TWINPROOF_LOG`` naming a folder, or a file on a full disk: the command's stderr is
    still only its own line (no "--- Logging error ---" traceback from logging itself)."""
    code = (
        "import logging, resource, signal\n"
        "from twinproof.logs import route_all_logging\n"
        "route_all_logging()\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (10, 10))\n"
        "for i in range(50): logging.getLogger('PIL.TiffImagePlugin').error('line %d of a full disk', i)\n"
    )
    for target in (str(tmp_path), str(tmp_path / "full.log")):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60, env={**_env(), "TWINPROOF_LOG": target})
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
