"""``shoot import --analyze`` says what it found: it analysed every pair in silence (seconds to
minutes per pair) and printed nothing of the verdicts it stored."""

from __future__ import annotations

import shutil

from twinproof.cli import main
from twinproof.paths import resource_path

SAMPLE = resource_path("sample")


def test_import_with_analyze_reports_each_verdict(tmp_path, capsys):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    for n in ("01", "02"):  # a faithful twin (pass) and a colour cast (fail)
        shutil.copy(SAMPLE / f"look{n}_real.jpg", real / f"look{n}.jpg")
        shutil.copy(SAMPLE / f"look{n}_twin.jpg", twin / f"look{n}.jpg")
    code = main(["shoot", "import", str(real), str(twin), "--db", str(tmp_path / "s.twinproof"), "--analyze",
                 "--reviewer", "tester"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert "look01: pass" in lines, out
    assert any(line.startswith("look02: fail — ") and "colour cast" in line for line in lines), out
    assert lines[-1] == "analysed 2 of 2 pair(s): 1 pass, 1 fail", out


def test_the_same_folder_twice_is_said_and_nothing_is_created(tmp_path, capsys):
    """`shoot import real real` (the twins' folder mistyped) reported every photograph
    "unmatched" with a reason about XMP sidecars, exited 0 and left an empty shoot named "real";
    a folder that does not exist left an empty database file behind."""
    real = tmp_path / "real"
    real.mkdir()
    shutil.copy(SAMPLE / "look01_real.jpg", real / "look01.jpg")
    db = tmp_path / "s.twinproof"
    code = main(["shoot", "import", str(real), str(real) + "/", "--db", str(db), "--reviewer", "tester"])
    _out, err = capsys.readouterr()
    assert code == 2 and "the same folder" in err, err
    assert not db.exists()
    code = main(["shoot", "import", str(tmp_path / "nothere"), "--db", str(db), "--reviewer", "tester"])
    _out, err = capsys.readouterr()
    assert code == 2 and "is not a folder" in err, err
    assert not db.exists()
