"""Every export tells the states apart and never contradicts the record: approved, rejected,
suspended (consent revoked), never analysed; valid, invalid and remote credentials. Read back
with independent readers: the PDF's content stream (the colour each text is painted in),
poppler's text, the CSV and JSON as written, exiftool on the sidecars, ``shoot list``."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess

import pytest

from tests.export.pdftools import needs_poppler, page_text, text_colours
from tests.export.states import build_states
from twinproof.cli import main
from twinproof.export.pdf_base import HAIR, PANEL, STATE_COLOURS
from twinproof.export.provenance import available

pytestmark = [pytest.mark.slow, needs_poppler,
              pytest.mark.skipif(not available(), reason="c2pa-python not installed")]
GREEN, RED, ORANGE = STATE_COLOURS["pass"], STATE_COLOURS["fail"], STATE_COLOURS["review"]
WHITE = (255, 255, 255)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("states")
    shoot = build_states(folder / "shoot")
    out = folder / "out"
    (out / "copies").mkdir(parents=True)
    code = main(["export", "--db", str(shoot.db), "--pdf", str(out / "s.pdf"), "--csv", str(out / "s.csv"),
                 "--json", str(out / "s.json"), "--xmp", "--copies", str(out / "copies"), "--no-maps",
                 "--reviewer", "carol"])
    assert code == 0
    return shoot, out


def pages_of(pdf) -> dict[str, list[int]]:
    """Pair name -> its page numbers (the header's first word names the pair)."""
    count = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
                .stdout.split("Pages:")[1].split()[0])
    out: dict[str, list[int]] = {}
    for n in range(2, count + 1):
        name = re.search(r"\n\s*(look\d+)", page_text(pdf, n)).group(1)
        out.setdefault(name, []).append(n)
    return out


def test_suspended_in_the_csv_json_and_shoot_list(exported, capsys):
    shoot, out = exported
    rows = {r["pair"]: r for r in csv.DictReader((out / "s.csv").read_text(encoding="utf-8-sig").splitlines())}
    assert [rows[n]["decision"] for n in ("look01", "look02", "look03", "look04")] == [
        "approved", "rejected", "suspended", "unreviewed"]
    assert [rows[n]["cleared_for_use"] for n in ("look01", "look02", "look03", "look04")] == [
        "yes", "no", "no", "no"]
    assert rows["look03"]["clearance"].startswith(
        "not cleared for use: approval suspended - consent B-2026-07 of Bo Lin revoked on ")
    assert rows["look03"]["clearance"].endswith(": talent withdrew on 2026-12-01")
    doc = {p["name"]: p for p in json.loads((out / "s.json").read_text(encoding="utf-8"))["pairs"]}
    assert doc["look03"]["state"] == doc["look03"]["decision"]["state"] == "suspended"
    assert doc["look03"]["cleared_for_use"] is False and doc["look01"]["cleared_for_use"] is True
    assert [d["state"] for d in doc["look03"]["decision_history"]] == ["approved", "suspended"]
    assert main(["shoot", "list", "--db", str(shoot.db)]) == 0
    listed = capsys.readouterr().out
    assert "suspended: not cleared" in listed and listed.count("approved") == 1


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_xmp_says_suspended_and_not_cleared(exported):
    shoot, _out = exported
    twins = [shoot.folder / "twin" / f"look0{n}.xmp" for n in (1, 2, 3, 4)]
    read = subprocess.run(["exiftool", "-j", "-XMP:all", *map(str, twins)], capture_output=True, text=True,
                          check=True)
    approved, rejected, suspended, open_ = json.loads(read.stdout)
    assert suspended["Decision"] == "suspended" and suspended["Label"] == "Purple"
    assert "Rating" not in suspended and suspended["ClearedForUse"] is False
    assert suspended["Clearance"].startswith("not cleared for use: approval suspended - consent B-2026-07")
    assert "twinproof:not-cleared-for-use" in suspended["Subject"]
    assert approved["Rating"] == 5 and approved["Label"] == "Green" and approved["ClearedForUse"] is True
    assert "twinproof:not-cleared-for-use" not in approved["Subject"]
    # the reason's own words and the comment travel with the decision
    assert rejected["ReasonText"] == "garment hem redrawn" and rejected["DecisionComment"] == "see the jacket"
    assert rejected["Rating"] == -1 and rejected["ClearedForUse"] is False
    assert approved["DecisionComment"] == "faithful twin; keep the earrings"
    assert open_["Decision"] == "unreviewed" and "Label" not in open_


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_sidecars_and_copies_say_what_the_twins_credentials_are(exported):
    """Valid, invalid, remote and no manifest no longer all read "TwinProof's default"."""
    shoot, out = exported
    files = [shoot.folder / "twin" / f"look0{n}.xmp" for n in (1, 2, 3, 4)]
    files += [out / "copies" / f"look0{n}-twin.jpg" for n in (1, 2, 3, 4)]
    read = subprocess.run(["exiftool", "-j", "-XMP:all", *map(str, files)], capture_output=True, text=True,
                          check=True)
    found = json.loads(read.stdout)
    for sidecar, copy in zip(found[:4], found[4:], strict=True):
        for key in ("TwinContentCredentials", "Decision", "ClearedForUse", "DigitalSourceTypeBasis"):
            assert sidecar.get(key) == copy.get(key), key
    valid, invalid, remote, none = found[:4]
    assert valid["TwinContentCredentials"] == "valid"
    assert valid["TwinContentCredentialsValidation"] == "signature valid; signer not on a trust list"
    assert valid["TwinDeclaredSourceType"] == "trainedAlgorithmicMedia"
    assert "Twin Generator Test Signer" in valid["TwinCredentialsSigner"]
    assert invalid["TwinContentCredentials"] == "invalid"
    assert invalid["TwinContentCredentialsValidation"] == "invalid: the image changed after it was signed"
    assert "was not used" in invalid["DigitalSourceTypeBasis"]
    assert remote["TwinContentCredentials"] == "remote not fetched"
    assert remote["TwinCredentialsURL"].startswith("https://cai-manifests.adobe.com/")
    assert none["TwinContentCredentials"] == "none" and "TwinDeclaredSourceType" not in none
    assert found[5]["ReasonText"] == "garment hem redrawn" and found[5]["DecisionComment"] == "see the jacket"
    doc = {p["name"]: p for p in json.loads((out / "s.json").read_text(encoding="utf-8"))["pairs"]}
    assert [doc[f"look0{n}"]["content_credentials"]["state"] for n in (1, 2, 3, 4)] == [
        "valid", "invalid", "remote not fetched", "none"]


def test_every_text_is_painted_in_its_own_colour(exported):
    """The issue's cases: "✓ consent on record" was red on a rejected pair's page and near
    white on another; the valid-signature line was nearly invisible. Each is read back from
    the content stream, and no text at all is painted in the panel or rule greys."""
    _shoot, out = exported
    pdf = out / "s.pdf"
    pages = pages_of(pdf)
    seen = {"consent": 0, "valid": 0, "remote": 0, "invalid": 0}
    for name, numbers in pages.items():
        for n in numbers:
            texts = text_colours(pdf, n)
            assert texts, (name, n)
            for text, colour in texts:
                assert colour not in (PANEL, HAIR), (name, n, text, colour)
                if colour == WHITE:  # only the badges' letters are white (on their colour)
                    assert text.isupper() or text.isdigit(), (name, n, text)
                if "consent on record" in text:
                    seen["consent"] += 1
                    assert colour == GREEN, (name, text, colour)
                if "no recorded consent" in text:
                    assert colour == RED, (name, text, colour)
                if text.startswith("Validation: signature valid; signer not on a trust list"):
                    seen["valid"] += 1
                    assert colour == GREEN, (name, text, colour)
                if text.startswith("Validation: invalid"):
                    seen["invalid"] += 1
                    assert colour not in (GREEN, WHITE), (name, text, colour)
                if text.startswith("Remote manifest, not fetched"):
                    seen["remote"] += 1
                    assert colour == ORANGE, (name, text, colour)
                if text.startswith("Not cleared for use"):
                    assert colour == RED, (name, text, colour)
                if text == "Cleared for use":
                    assert colour == GREEN and name == "look01"
    assert seen == {"consent": 3, "valid": 1, "remote": 1, "invalid": 1}


def test_each_state_reads_as_itself_on_the_sheet(exported):
    _shoot, out = exported
    pdf = out / "s.pdf"
    pages = pages_of(pdf)
    # the drawn texts in drawing order (poppler's layout interleaves the two columns)
    text = {name: " ".join(t for n in numbers for t, _c in text_colours(pdf, n)) for name, numbers in pages.items()}
    assert "APPROVED" in text["look01"] and "Cleared for use" in text["look01"]
    assert "REJECTED" in text["look02"] and "Not cleared for use: rejected" in text["look02"]
    assert "invalid: the image changed after it was signed" in text["look02"]
    suspended = text["look03"]
    assert "SUSPENDED" in suspended and "Not cleared for use: approval suspended - consent B-2026-07" in suspended
    assert "Was approved by alice" in suspended and "not fetched (offline)" in suspended
    never = text["look04"]
    assert "NOT ANALYSED" in never and "Not analysed: nothing was measured" in never
    for wrong in ("aligned to the real frame", "files changed after this analysis", "No flags",
                  "Measurement", "map not computed"):
        assert wrong not in never, wrong
    cover = " ".join(page_text(pdf, 1).split())
    assert "Suspended" in cover and "Cleared for use (approved, consent valid): 1 of 4 twin(s)" in cover
