"""Names at the file system's limit (255 bytes for one name on ext4, APFS, NTFS).

A 250-byte image name kept its AI-disclosure sidecar names (``NAME.xmp`` 250 bytes,
``NAME.jpg.xmp`` 254) but lost both sidecars: the hidden temporary name added 14 bytes
(``[Errno 36] File name too long``, exit 1). Every name TwinProof derives from a target - the
temporary files of sidecars, copies, sheets and data files (``twinproof.atomic``), copies'
names, the shoot database's journal - now fits or is refused in words (issue 28).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.conftest import one_line, run_cli
from twinproof.atomic import atomic_write_bytes, fit_name, name_max, temp_prefix
from twinproof.cli import main
from twinproof.export.copies import copy_name

HOPPER = Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg"
TWIN_SOURCE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _stem(total: int, suffix: str = ".jpg") -> str:
    return "look01_" + "a" * (total - len("look01_") - len(suffix))


def _long_shoot(root: Path, name_bytes: int = 250) -> tuple[Path, Path, Path, str]:
    real, twin = root / "real", root / "twin"
    real.mkdir()
    twin.mkdir()
    name = _stem(name_bytes) + ".jpg"
    assert len(name.encode()) == name_bytes
    shutil.copyfile(HOPPER, real / name)
    shutil.copyfile(HOPPER, twin / name)
    db = root / "s.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db)]) == 0
    return real, twin, db, name


def _no_temporary_files(*folders: Path) -> None:
    for folder in folders:
        left = [p.name for p in folder.iterdir() if p.name.startswith(".")]
        assert left == [], left


def test_a_250_byte_image_name_keeps_its_ai_disclosure_sidecars(tmp_path, capsys):
    real, twin, db, name = _long_shoot(tmp_path)
    capsys.readouterr()
    code = main(["export", "--xmp", "--xmp-naming", "both", "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", err
    assert "wrote 4 XMP sidecar(s)" in out
    stem = name[: -len(".jpg")]
    for folder in (real, twin):
        for sidecar in (folder / f"{stem}.xmp", folder / f"{name}.xmp"):
            assert sidecar.is_file(), sidecar
    disclosed = (twin / f"{name}.xmp").read_text(encoding="utf-8")
    assert TWIN_SOURCE in disclosed  # the twin says it is AI-generated
    assert TWIN_SOURCE not in (real / f"{name}.xmp").read_text(encoding="utf-8")
    _no_temporary_files(real, twin)


def test_sheets_data_and_copies_at_the_limit(tmp_path, capsys):
    """A sheet and a CSV whose own names are 255 bytes, and annotated copies of a pair whose
    name is 100 emoji (400 bytes): all written, no temporary file left."""
    real, twin, db, _name = _long_shoot(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    pdf, csv = out / (_stem(255, ".pdf") + ".pdf"), out / (_stem(255, ".csv") + ".csv")
    copies = tmp_path / "copies"
    copies.mkdir()
    capsys.readouterr()
    code = main(["export", "--pdf", str(pdf), "--csv", str(csv), "--no-maps", "--copies",
                 str(copies), "--db", str(db)])
    assert code == 0, capsys.readouterr().err
    assert pdf.stat().st_size > 10_000 and csv.stat().st_size > 100
    written = [p.name for p in copies.iterdir()]
    assert len(written) == 1 and all(len(os.fsencode(n)) <= 255 for n in written)
    _no_temporary_files(out, copies, real, twin)


def test_copy_names_fit_and_stay_distinct():
    for name in ("📸" * 100, "東京" * 100, "a" * 300, os.fsdecode(b"caf\xe9" * 90)):
        for role in ("real", "twin"):
            made = copy_name(name, role, ".TIFF")
            assert len(os.fsencode(made)) <= 210 and made.endswith(f"-{role}.tiff"), made
    assert copy_name("look01", "twin", ".jpg") == "look01-twin.jpg"
    assert copy_name("a" * 150 + "-7", "twin", ".jpg") != copy_name("a" * 150 + "-8", "twin", ".jpg")


@pytest.mark.parametrize("name", ["x" * 255, "📸" * 63 + "abc", "a" * 200 + "東" * 18])
def test_fit_name_and_the_temporary_name(tmp_path, name):
    assert len(name.encode()) <= 255
    prefix = temp_prefix(tmp_path / name)
    assert len(prefix.encode()) + 12 <= name_max(tmp_path)  # mkstemp adds 8 + ".tmp"
    prefix.encode("utf-8")  # cut between characters, never inside one
    target = atomic_write_bytes(tmp_path / name, b"data")
    assert target.read_bytes() == b"data" and [p.name for p in tmp_path.iterdir()] == [name]
    fitted = fit_name(name + ".pdf", 100, keep_suffix=".pdf")
    assert len(fitted.encode()) <= 100 and fitted.endswith(".pdf")
    assert fit_name("short.pdf", 100) == "short.pdf"


def test_a_shoot_file_name_too_long_for_its_journal_is_refused_in_words(tmp_path):
    """SQLite's journal is NAME-journal beside the shoot file: a 250-byte name failed with
    "unable to open database file ... check free disk space"; 247 bytes is the most."""
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copyfile(HOPPER, real / "look01.jpg")
    shutil.copyfile(HOPPER, twin / "look01.jpg")
    too_long = tmp_path / ("s" * (250 - len(".twinproof")) + ".twinproof")
    proc = run_cli("shoot", "import", str(real), str(twin), "--db", str(too_long))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert "name is 250 bytes" in line and "at most 247 bytes" in line and "disk space" not in line
    assert not too_long.exists()
    longest = tmp_path / ("s" * (247 - len(".twinproof")) + ".twinproof")
    assert run_cli("shoot", "import", str(real), str(twin), "--db", str(longest)).returncode == 0
    proc = run_cli("decide", "look01", "reject", "--reason", "artefact", "--db", str(longest))
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(longest)
    try:
        # A pair's state is its newest decision (no state column since the rules moved into the database).
        assert con.execute("SELECT state FROM decisions ORDER BY id DESC LIMIT 1").fetchone()[0] == "rejected"
    finally:
        con.close()


def test_a_damaged_sidecar_of_a_long_name_can_still_be_set_aside(tmp_path):
    """``NAME.xmp.bak`` (and ``.2.bak``...) for a 254-byte sidecar name: past the limit, so
    the backup keeps a hash of the whole name; nothing is deleted, each backup distinct."""
    from twinproof.export.xmp import set_aside

    sidecar = tmp_path / (_stem(250) + ".jpg.xmp")
    backups = []
    for n in range(3):
        sidecar.write_text(f"not xml {n}")
        backups.append(set_aside(sidecar))
    assert len({b.name for b in backups}) == 3 and not sidecar.exists()
    assert all(len(os.fsencode(b.name)) <= 255 and b.name.endswith(".bak") for b in backups)
    assert sorted(b.read_text() for b in backups) == ["not xml 0", "not xml 1", "not xml 2"]


def test_a_sidecar_name_past_the_limit_is_said_in_words(tmp_path, capsys):
    """darktable's ``IMG.jpg.xmp`` of a 253-byte image name would be 257 bytes: it cannot be
    shortened (it is the name its readers look for), so the export writes the Adobe sidecars,
    says why the others are missing and what to do (exit 1), instead of ``[Errno 36]``."""
    real, twin, db, name = _long_shoot(tmp_path, 253)
    capsys.readouterr()
    assert main(["export", "--xmp", "--xmp-naming", "both", "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert "wrote 2 XMP sidecar(s)" in out
    lines = err.splitlines()
    assert len(lines) == 2 and "Errno" not in err
    for line in lines:
        assert "not written: its name would be 257 bytes and one name may have 255" in line
        assert "use --xmp-naming adobe" in line
    stem = name[: -len(".jpg")]
    assert (real / f"{stem}.xmp").is_file() and (twin / f"{stem}.xmp").is_file()
    _no_temporary_files(real, twin)
