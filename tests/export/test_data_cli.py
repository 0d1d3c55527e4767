"""CSV/JSON data, the audit CSV, and ``twinproof export`` end to end (exit codes, XMP)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from tests.export.pdftools import needs_poppler
from tests.export.shoot import HOSTILE, build_shoot
from twinproof import review
from twinproof.cli import main
from twinproof.export.data import CSV_COLUMNS, SCHEMA, SCHEMA_VERSION, _safe, write_csv, write_json


def test_json_schema_and_full_analysis(items, tmp_path):
    path = tmp_path / "x.json"
    write_json(str(path), list(items.values()), "exporter")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema"] == SCHEMA and doc["schema_version"] == SCHEMA_VERSION == 1
    pairs = {p["name"]: p for p in doc["pairs"]}
    rejected = pairs["look02"]
    assert rejected["decision"]["state"] == "rejected"
    assert rejected["decision"]["reasons"] == ["skin_tone_shifted", "other"]
    assert rejected["analysis"]["result"]["metrics"]["ssim"]["value"] == pytest.approx(0.953, abs=0.01)
    assert rejected["twin"]["digital_source_type"] == "trainedAlgorithmicMedia"
    assert rejected["annotations"][0]["text"].endswith(HOSTILE)
    assert rejected["annotations"][0]["geometry_normalised"]["w"] == pytest.approx(160 / 512)
    assert pairs["look03"]["decision"] is None and pairs["look03"]["consent"]["valid"] is False
    # the consent's scope travels with the pair: contract, term, campaigns, channels
    consent = json.dumps(pairs["look01"]["consent"])
    assert "C-2026-01" in consent and "SS27" in consent and "all channels" in consent
    assert "NaN" not in path.read_text(encoding="utf-8")


def test_csv_rows_and_formula_guard(items, tmp_path):
    path = tmp_path / "x.csv"
    assert write_csv(str(path), items.values()) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the UTF-8 "ΔE" right
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert list(rows[0]) == list(CSV_COLUMNS)
    by = {r["pair"]: r for r in rows}
    assert by["look02"]["decision"] == "rejected" and by["look02"]["verdict"] == "fail"
    assert float(by["look01"]["ssim.value"]) > 0.9 and by["look01"]["consent_valid"] == "yes"
    assert "colour/white balance" in by["look02"]["flags"]
    # the judged measurement's status column carries the flag's severity, no other does
    assert by["look02"]["colour.cast.magnitude.status"] in ("warn", "fail")
    assert by["look02"]["ssim.value.status"] == "ok" and by["look01"]["colour.cast.magnitude.status"] == "ok"
    assert _safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _safe("fine") == "fine"


def test_csv_rows_carry_the_ai_disclosure(items, tmp_path):
    """Every row says its twin is AI-generated, whose likeness it is and its IPTC source type (a
    spreadsheet drops comment lines; a filtered or copied row must still say it)."""
    path = tmp_path / "x.csv"
    write_csv(str(path), items.values())
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    by = {r["pair"]: r for r in rows}
    assert by["look01"]["talent"] == "Ana Silva"
    assert by["look01"]["ai_disclosure"] == ("AI-generated digital twin of Ana Silva "
                                             "(IPTC digital source type trainedAlgorithmicMedia)")
    assert by["look03"]["talent"] == ""
    assert by["look03"]["ai_disclosure"] == ("AI-generated digital twin of the model "
                                             "(IPTC digital source type trainedAlgorithmicMedia)")
    for row in rows:
        assert row["twin_digital_source_type"] == "trainedAlgorithmicMedia"
        assert row["twin_digital_source_type_basis"] == "TwinProof's default for a digital twin"
    # the same words and type as the JSON (the twin's digital_source_type) and the sheet's footer
    doc_path = tmp_path / "x.json"
    write_json(str(doc_path), list(items.values()), "exporter")
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    assert {p["name"]: p["twin"]["digital_source_type"] for p in doc["pairs"]} == {
        n: r["twin_digital_source_type"] for n, r in by.items()}
    from twinproof.export.pdf_pair import disclosure

    assert by["look01"]["ai_disclosure"].startswith(disclosure("Ana Silva").removeprefix("Right: "))


@pytest.fixture
def fresh(tmp_path):
    return build_shoot(tmp_path / "fresh")


@needs_poppler
def test_cli_export_everything(fresh, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    code = main(["export", "--db", str(fresh.db), "--pdf", str(out / "s.pdf"), "--csv",
                 str(out / "s.csv"), "--json", str(out / "s.json"), "--audit-csv", str(out / "a.csv"),
                 "--xmp", "--xmp-naming", "both", "--no-maps", "--landscape", "--paper", "letter",
                 "--reviewer", "carol"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "wrote" in printed.out and "pages" in printed.out and "12 XMP sidecar(s)" in printed.out
    assert (fresh.folder / "twin" / "look02.xmp").is_file()
    assert (fresh.folder / "twin" / "look02.jpg.xmp").is_file()
    audit = list(csv.reader((out / "a.csv").read_text(encoding="utf-8").splitlines()))
    assert audit[0][:4] == ["id", "at", "reviewer", "event"]
    assert any(row[3] == "decision" for row in audit[1:])
    store = review.open_store(fresh.db)
    try:
        exports = [r for r in review.audit_rows(store) if r.event == "export"]
    finally:
        store.close()
    assert {r.detail["format"] for r in exports} == {"pdf", "csv", "json", "audit-csv", "xmp"}
    assert {r.reviewer for r in exports} == {"carol"}


@pytest.mark.parametrize("args,message", [
    (["--pdf", "{tmp}/x.pdf", "--pairs", "look99"], "no active pair(s) named 'look99'"),
    (["--pdf", "{tmp}/missing/x.pdf"], "does not exist"),
    ([], "nothing to export"),
    (["--pdf", "{tmp}/x.pdf", "--rating", "9"], None),
])
def test_cli_bad_input_one_line_exit_2(shoot, tmp_path, capsys, args, message):
    argv = ["export", "--db", str(shoot.db), *[a.format(tmp=tmp_path) for a in args]]
    if message is None:
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        return
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_cli_missing_image_costs_only_its_own_page(fresh, tmp_path, capsys):
    shutil.move(fresh.folder / "twin" / "look01.jpg", tmp_path / "gone.jpg")
    assert main(["export", "--db", str(fresh.db), "--pdf", str(tmp_path / "x.pdf"), "--no-maps"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "look01" in err[0] and "left off the sheet" in err[0]
    assert (tmp_path / "x.pdf").stat().st_size > 0  # the other pairs' sheet was written


def test_cli_hostile_sidecar_refused_exit_1(fresh, tmp_path, capsys):
    evil = fresh.folder / "twin" / "look02.xmp"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', encoding="utf-8")
    assert main(["export", "--db", str(fresh.db), "--xmp"]) == 1
    err = capsys.readouterr().err
    assert "look02: sidecar not written" in err and "refused" in err
    assert evil.read_text(encoding="utf-8").startswith('<?xml version="1.0"?><!DOCTYPE')
    assert (fresh.folder / "twin" / "look01.xmp").is_file()  # the others were written
