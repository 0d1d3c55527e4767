"""User-controlled text reaches a terminal with its control characters shown, never obeyed.

A twin named ``x\\033[2J\\033[31mred\\rcr.jpg`` (clear the screen, turn red, return to the
start of the line) cleared and recoloured the reviewer's screen through ``shoot list``,
``decide``, ``rate``, ``landmarks`` and the ``analyze`` summary; only error lines were escaped.
Every command now prints through ``cli.common.show`` / ``terminal_text`` (issue 28).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from twinproof.cli import main
from twinproof.cli.common import terminal_text

HOPPER = Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg"
HOSTILE = "x\033[2J\033[31mred\rcr"
SHOWN = "x\\x1b[2J\\x1b[31mred\\rcr"
TALENT = "Ana\033]0;owned\007 Silva\u202e"
TALENT_SHOWN = "Ana\\x1b]0;owned\\x07 Silva\\u202e"


def _clean(text: str) -> None:
    for bad in ("\033", "\r", "\007", "\u202e"):
        assert bad not in text, f"{bad!r} reached the terminal: {text!r}"


@pytest.mark.parametrize(("raw", "shown"), [
    (HOSTILE + ".jpg", SHOWN + ".jpg"),
    (os.fsdecode(b"caf\xe9.jpg"), "caf\\xe9.jpg"),
    ("a\nb\tc\x85d\u2028e", "a\\nb\\tc\\x85d\\u2028e"),
    ("Séance été 東京 👩\u200d🎨 📸 look", "Séance été 東京 👩\u200d🎨 📸 look"),
    ("already \\x1b escaped", "already \\x1b escaped"),
])
def test_terminal_text_escapes_controls_and_keeps_what_is_printable(raw, shown):
    assert terminal_text(raw) == shown
    assert terminal_text(terminal_text(raw)) == shown  # idempotent


@pytest.fixture
def hostile_shoot(tmp_path):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copyfile(HOPPER, real / f"{HOSTILE}.jpg")
    shutil.copyfile(HOPPER, twin / f"{HOSTILE}.jpg")
    shutil.copyfile(HOPPER, real / f"lonely{HOSTILE}.jpg")  # unmatched: its name is printed
    return tmp_path, real, twin


def test_a_hostile_name_through_every_command(hostile_shoot, capsys, monkeypatch):
    """The name of the issue through every command that prints one: the escape sequences and
    the carriage return never reach the terminal, and the name is shown escaped instead."""
    root, real, twin = hostile_shoot
    db = str(root / "s.twinproof")
    runs: list[tuple[list[str], int, str]] = [
        (["shoot", "import", str(real), str(twin), "--name", f"SS27{HOSTILE}"], 0, SHOWN),
        (["shoot", "list"], 0, SHOWN),
        (["talent", "add", TALENT, "--agency", f"Elite{HOSTILE}"], 0, TALENT_SHOWN),
        (["talent", "consent", TALENT, "--contract", f"C-1{HOSTILE}", "--from", "2026-01-01",
          "--until", "2027-12-31", "--no-release-reason", f"paper{HOSTILE}"], 0, SHOWN),
        (["talent", "link", TALENT, "1"], 0, TALENT_SHOWN),
        (["talent", "list"], 0, SHOWN),
        (["shoot", "list"], 0, TALENT_SHOWN),
        (["decide", "1", "changes", "--reason", "skin_tone_shifted", "--comment", f"c{HOSTILE}"], 0, SHOWN),
        (["rate", "1", "4"], 0, SHOWN),
        (["decide", HOSTILE, "approve"], 0, SHOWN),  # by name
        (["decide", f"no{HOSTILE}", "approve"], 2, SHOWN),  # an error line escapes it too
        (["talent", "reference", "add", TALENT, str(real / f"{HOSTILE}.jpg")], 0, SHOWN),
        (["talent", "reference", "list", TALENT], 0, SHOWN),
        (["talent", "reference", "remove", "1"], 0, SHOWN),
        (["shoot", "audit", "--out", str(root / f"audit{HOSTILE}.csv")], 0, SHOWN),
        (["export", "--csv", str(root / f"out{HOSTILE}.csv")], 0, SHOWN),
        (["shoot", "unpair", "1"], 0, SHOWN),
        (["shoot", "pair", str(real / f"{HOSTILE}.jpg"), str(twin / f"{HOSTILE}.jpg"),
          "--shoot", f"SS27{HOSTILE}", "--name", f"again{HOSTILE}"], 0, SHOWN),
    ]
    for argv, code, shown in runs:
        got = main([*argv, "--db", db])
        out, err = capsys.readouterr()
        assert got == code, f"{argv}: exit {got}: {err}"
        _clean(out + err)
        assert shown in out + err, f"{argv} did not show the name escaped: {out + err!r}"
    import sys

    assert main(["shoot", "audit", "--db", db]) == 0  # the drift audit names the shoot: escaped
    out, err = capsys.readouterr()
    _clean(out + err)
    assert SHOWN in out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # the audit trail's CSV read at a terminal
    assert main(["shoot", "history", "--db", db]) == 0
    out, err = capsys.readouterr()
    _clean(out + err)
    assert SHOWN in out and TALENT_SHOWN in out
    monkeypatch.undo()
    assert main(["shoot", "history", "--db", db]) == 0  # into a pipe or a file: the data as recorded
    assert HOSTILE in capsys.readouterr().out
    (twin / f"{HOSTILE}.jpg").write_bytes(HOPPER.read_bytes() + b"\0")  # changed since import
    assert main(["shoot", "check", "--db", db]) == 0
    out, err = capsys.readouterr()
    _clean(out + err)
    assert SHOWN in out and "changed" in out


def test_json_output_escapes_what_json_leaves_raw():
    """JSON escapes C0 controls itself; C1 controls (0x9b begins an escape sequence on some
    terminals), line separators and bidi overrides are \\u escapes too - the same data."""
    import json

    from twinproof.cli.common import dump_json

    data = {"path": "a\x9bb\u202ec\u2028d\x1be é 📸", "raw": os.fsdecode(b"caf\xe9.jpg")}
    text = dump_json(data)
    assert json.loads(text) == data
    _clean(text)
    for raw in ("\x9b", "\u2028"):
        assert raw not in text
    assert "é 📸" in text
    text.encode("utf-8")  # valid UTF-8, whatever the name's bytes were


def test_analyze_summary_and_landmarks_escape_the_file_name(hostile_shoot, capsys):
    _root, real, twin = hostile_shoot
    assert main(["analyze", str(real / f"{HOSTILE}.jpg"), str(twin / f"{HOSTILE}.jpg")]) == 0
    out, err = capsys.readouterr()
    _clean(out + err)
    assert f"twin  {twin}/{SHOWN}.jpg  512x600" in out and err == ""
    assert main(["landmarks", str(real / f"{HOSTILE}.jpg")]) == 0
    out, err = capsys.readouterr()
    _clean(out + err)
    assert out.startswith(f"{real}/{SHOWN}.jpg  512x600") and err == ""
    path = real / "a\nb.jpg"  # a line break in a name stays on its line
    shutil.copyfile(HOPPER, path)
    assert main(["landmarks", str(path), "--no-body"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{real}/a\\nb.jpg  512x600")


def test_the_batch_progress_lines_escape_a_pair_name():
    """``shoot analyze`` prints a failed pair's name through Rich, which strips CR and BEL but
    passes ESC sequences: the same escaping applies there."""
    import io

    from twinproof.batch.planning import PairTask
    from twinproof.batch.progress import BatchProgress
    from twinproof.batch.runner import Outcome, Summary

    stream = io.StringIO()
    outcome = Outcome(PairTask(1, HOSTILE, "/r.jpg", "/t.jpg", "never analysed"), error="bad file")
    summary = Summary(planned=1, up_to_date=0, failed=[outcome])
    with BatchProgress(1, stream=stream) as bar:
        bar.update(summary, outcome)
        bar.say(f"note about {HOSTILE}")
    text = stream.getvalue()
    assert "\033[2J" not in text and "\033[31m" not in text
    assert f"{SHOWN}: failed: bad file" in text and f"note about {SHOWN}" in text
