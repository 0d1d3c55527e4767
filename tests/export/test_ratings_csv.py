"""The reviewer's stars in XMP (read by exiftool) and the CSV; the CSV for decimal-comma Excels."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess

import pytest

from tests.export.shoot import build_shoot
from twinproof import review
from twinproof.cli import main
from twinproof.export.data import CSV_COLUMNS, CsvFormat, locale_decimal

needs_exiftool = pytest.mark.skipif(shutil.which("exiftool") is None,
                                    reason="apt-get install libimage-exiftool-perl")


@pytest.fixture
def rated(tmp_path):
    """look01 approved with 3 stars, look02 rejected after 4 stars, look03 undecided with 2."""
    shoot = build_shoot(tmp_path / "s")
    store = review.open_store(shoot.db, reviewer="alice")
    try:
        review.rate(store, shoot.ids["look01"], 3)
        review.rate(store, shoot.ids["look02"], 4)
        review.rate(store, shoot.ids["look03"], 2)
    finally:
        store.close()
    return shoot


def _xmp(path):
    out = subprocess.run(["exiftool", "-j", "-XMP:Rating", "-XMP:Label", "-XMP-twinproof:all", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


@needs_exiftool
def test_xmp_rating_carries_the_stars_and_a_rejection_stays_minus_one(rated, capsys):
    assert main(["export", "--db", str(rated.db), "--xmp"]) == 0, capsys.readouterr().err
    twin = rated.folder / "twin"
    look01, look02, look03 = (_xmp(twin / f"look0{n}.xmp") for n in (1, 2, 3))
    assert look01["Rating"] == 3 and look01["Label"] == "Green"  # stars, not the approved default 5
    assert look02["Rating"] == -1 and look02["Label"] == "Red"  # Lightroom's reject
    assert look03["Rating"] == 2 and "Label" not in look03  # rated, not decided
    assert "Rating" not in _xmp(rated.folder / "real" / "look01.xmp")  # the photographer's picks
    # stars cleared: the rating TwinProof wrote is taken back...
    store = review.open_store(rated.db, reviewer="alice")
    try:
        review.rate(store, rated.ids["look03"], 0)
    finally:
        store.close()
    assert main(["export", "--db", str(rated.db), "--xmp"]) == 0
    assert "Rating" not in _xmp(twin / "look03.xmp")
    # ...but a rating another tool gave afterwards is left alone
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-XMP-xmp:Rating=1", str(twin / "look03.xmp")],
                   check=True)
    assert main(["export", "--db", str(rated.db), "--xmp"]) == 0
    assert _xmp(twin / "look03.xmp")["Rating"] == 1


def test_csv_rating_column_and_semicolon_decimal_comma(rated, tmp_path, capsys):
    out = tmp_path / "eu.csv"
    assert main(["export", "--db", str(rated.db), "--csv", str(out), "--csv-format", "semicolon"]) == 0, \
        capsys.readouterr().err
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert all(len(r) == len(CSV_COLUMNS) and None not in r for r in rows)  # no field split apart
    by = {r["pair"]: r for r in rows}
    assert [by[n]["rating"] for n in ("look01", "look02", "look03")] == ["3", "4", "2"]
    ssim = by["look01"]["ssim.value"]
    assert "," in ssim and "." not in ssim and 0.9 < float(ssim.replace(",", ".")) <= 1
    assert "," in by["look01"]["registration_scale"]
    assert by["look02"]["reasons"] == "skin_tone_shifted,other"  # a list inside a text field
    plain = tmp_path / "plain.csv"
    assert main(["export", "--db", str(rated.db), "--csv", str(plain)]) == 0
    first = list(csv.DictReader(plain.read_text(encoding="utf-8-sig").splitlines()))
    assert float(next(r for r in first if r["pair"] == "look01")["ssim.value"]) == pytest.approx(
        float(ssim.replace(",", ".")))


def test_csv_format_choices():
    assert CsvFormat.named("semicolon") == CsvFormat(";", ",")
    assert CsvFormat.named("comma") == CsvFormat(",", ".")
    assert CsvFormat.named("locale") == (CsvFormat(";", ",") if locale_decimal() == "," else CsvFormat())
    with pytest.raises(ValueError, match="cannot be read back"):
        CsvFormat(",", ",")
