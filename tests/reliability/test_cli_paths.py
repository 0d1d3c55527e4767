"""File and database names as people's disks have them: a name that is not UTF-8, a symbolic
link that loops, a mistyped ``--db``. Each is one line on stderr and the right exit code; the
import keeps every pair it can."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.conftest import one_line, run_cli
from twinproof.cli import main

HOPPER = Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg"


def _folders(root: Path) -> tuple[Path, Path]:
    real, twin = root / "real", root / "twin"
    real.mkdir()
    twin.mkdir()
    for n in ("look01", "look02", "look03"):
        shutil.copyfile(HOPPER, real / f"{n}_real.jpg")
        shutil.copyfile(HOPPER, twin / f"{n}_twin.jpg")
    # A name written by a Latin-1 system: the bytes are not UTF-8.
    shutil.copyfile(HOPPER, os.fsdecode(bytes(real) + b"/caf\xe9_real.jpg"))
    shutil.copyfile(HOPPER, os.fsdecode(bytes(twin) + b"/caf\xe9_twin.jpg"))
    return real, twin


def test_import_keeps_the_pairs_it_can_and_names_the_undecodable_file(tmp_path, capsys):
    """One name that was not valid UTF-8 aborted the whole import (0 of 4 pairs) with a codec
    message naming no file (fixed): it is unmatched with the reason, the rest imported."""
    real, twin = _folders(tmp_path)
    db = tmp_path / "s.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "3 new" in out and "2 unmatched" in out
    assert "caf\\xe9_real.jpg: its name is not valid UTF-8 (rename the file, e.g. " in out
    con = sqlite3.connect(db)
    try:
        names = sorted(r[0] for r in con.execute("SELECT name FROM pairs"))
        audit = con.execute("SELECT detail FROM audit_events WHERE event = 'import'").fetchone()[0]
    finally:
        con.close()
    assert names == ["look01", "look02", "look03"]
    assert "caf\\\\xe9_real.jpg" in audit  # stored, escaped, readable by any tool


def test_import_through_a_real_process_prints_no_traceback(tmp_path):
    real, twin = _folders(tmp_path)
    proc = run_cli("shoot", "import", str(real), str(twin), "--db", str(tmp_path / "s.twinproof"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "caf\\xe9_real.jpg" in proc.stdout


@pytest.mark.parametrize("argv", [
    ("shoot", "list"), ("shoot", "import", "{real}"), ("decide", "look01", "approve"),
    ("shoot", "audit"), ("talent", "list"),
], ids=lambda a: "-".join(a[:2]))
def test_a_symbolic_link_loop_as_db_is_one_line(tmp_path, capsys, argv):
    """``--db`` naming a link to itself raised a RuntimeError traceback (fixed)."""
    loop = tmp_path / "loop.twinproof"
    os.symlink(loop.name, loop)
    real = tmp_path / "real"
    real.mkdir()
    args = [a.format(real=real) for a in argv]
    assert main([*args, "--db", str(loop)]) == 2
    line = one_line(capsys.readouterr().err)
    assert "loop.twinproof" in line and "loops back on itself" in line


def test_a_symbolic_link_loop_as_a_file_to_pair_is_one_line(tmp_path, capsys):
    real, twin = _folders(tmp_path)
    db = tmp_path / "s.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db), "--name", "SS27"]) == 0
    capsys.readouterr()
    loop = tmp_path / "loop.jpg"
    os.symlink(loop.name, loop)
    proc = run_cli("shoot", "pair", str(real / "look01_real.jpg"), str(loop), "--shoot", "SS27",
                   "--db", str(db))
    assert proc.returncode == 2
    assert "loop.jpg" in one_line(proc.stderr)


@pytest.mark.parametrize("argv", [
    ("shoot", "list"), ("shoot", "check"), ("shoot", "audit"), ("shoot", "unpair", "look01"),
    ("decide", "look01", "approve"), ("talent", "list"), ("talent", "add", "Ana"),
    ("export", "--csv", "{out}"),
], ids=lambda a: "-".join(a[:2]))
def test_commands_refuse_a_database_that_does_not_exist(tmp_path, capsys, argv):
    """A mistyped ``--db`` silently created an empty database and listed nothing (fixed): only
    ``shoot import`` creates one; the others say so and leave no file behind."""
    db = tmp_path / "mistyped.twinproof"
    args = [a.format(out=tmp_path / "out.csv") for a in argv]
    assert main([*args, "--db", str(db)]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"no shoot at {db}; create one with `twinproof shoot import`" in line
    assert not db.exists() and not (tmp_path / "out.csv").exists()


def test_pairing_a_latin1_name_by_hand_names_the_file_and_says_what_to_do(tmp_path, capsys):
    """``shoot pair`` with a name that is not UTF-8 answered with a bare codec error naming no
    file ("'utf-8' codec can't encode character '\\udce9'...") (fixed)."""
    real, twin = _folders(tmp_path)
    db = tmp_path / "s.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db), "--name", "SS27"]) == 0
    capsys.readouterr()
    latin1 = os.fsdecode(bytes(twin) + b"/caf\xe9_twin.jpg")
    proc = run_cli("shoot", "pair", str(real / "look01_real.jpg"), latin1, "--shoot", "SS27",
                   "--db", str(db))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "caf\\xe9_twin.jpg: its name is not valid UTF-8" in line and "codec" not in line
    assert "rename the file" in line and "convmv" in line and "then import or pair it again" in line


def test_import_reports_every_file_it_skipped_and_why(tmp_path, capsys):
    """Symbolic-link loops were skipped without a word and their partner reported as having
    "no file with the same name on the other side" (fixed): every visible entry that is not an
    image to pair is listed with its reason, the partner's reason names it, the audit keeps it."""
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    for n in ("look01", "look02", "look03", "look04"):
        shutil.copyfile(HOPPER, real / f"{n}.jpg")
    shutil.copyfile(HOPPER, twin / "look01.jpg")
    os.symlink("look02.jpg", twin / "look02.jpg")  # loops
    os.symlink("nowhere.jpg", twin / "look03.jpg")  # dangling
    os.mkfifo(twin / "look04.jpg")
    (real / "notes.txt").write_text("call sheet")
    shutil.copyfile(HOPPER, real / "look05.CR2")
    (real / "selects").mkdir()
    for n in ("look01", "look02"):
        (twin / f"{n}.xmp").write_text("<x:xmpmeta/>")
    (twin / ".DS_Store").write_bytes(b"\0")
    db = tmp_path / "s.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "1 new" in out and "3 unmatched file(s), 8 skipped" in out
    expected = [
        f"unmatched real: {real}/look02.jpg (its possible partner look02.jpg was skipped: a "
        "symbolic link that loops back on itself)",
        f"unmatched real: {real}/look03.jpg (its possible partner look03.jpg was skipped: a "
        "broken symbolic link: what it points to does not exist)",
        f"skipped twin: {twin}/look02.jpg (a symbolic link that loops back on itself)",
        f"skipped twin: {twin}/look04.jpg (not a regular file: a pipe, device or socket)",
        f"skipped real: {real}/notes.txt (not an image TwinProof imports: .txt (it imports ",
        f"skipped real: {real}/look05.CR2 (a camera raw file: import the TIFF or JPEG",
        f"skipped real: {real}/selects (a folder: an import takes only the files directly",
        "skipped 2 .xmp file(s) kept beside the images (metadata, not images)",
    ]
    for line in expected:
        assert line in out, f"{line!r} not in:\n{out}"
    assert ".DS_Store" not in out
    con = sqlite3.connect(db)
    try:
        detail = con.execute("SELECT detail FROM audit_events WHERE event = 'import'").fetchone()[0]
    finally:
        con.close()
    assert "look02.jpg: a symbolic link that loops back on itself" in detail
