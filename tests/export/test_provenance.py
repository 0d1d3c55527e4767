"""C2PA Content Credentials, read offline: files signed here with a throwaway chain, and the
real signed, tampered and plain files from c2pa-rs's fixtures in ``../shared/c2pa``."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.export.pdftools import needs_poppler, page_text
from tests.export.shoot import build_shoot
from twinproof import review
from twinproof.export import ExportRequest, SheetOptions, read_credentials, run_export
from twinproof.export.provenance import DST, available, twin_source_type
from twinproof.export.xmp import read_sidecar, sidecar_paths
from twinproof.export.xmp_io import get

pytestmark = pytest.mark.skipif(not available(), reason="c2pa-python not installed")
#: CI has the team's shared folder at ../shared; TWINPROOF_SHARED points elsewhere (a worktree).
SHARED = Path(os.environ.get("TWINPROOF_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
              ) / "c2pa"
needs_shared = pytest.mark.skipif(not (SHARED / "C.jpg").is_file(),
                                  reason=f"the real C2PA files are not in {SHARED}")
UNTRUSTED_WORDS = "signature valid; signer not on a trust list"
COMPOSITE = DST + "compositeWithTrainedAlgorithmicMedia"


def test_signed_twin_credentials_read(tmp_path):
    from tests.export.c2pa_sign import sign_in_place
    from tests.export.shoot import write_images

    _real, twin = write_images(tmp_path)
    signed = twin / "look01.jpg"
    sign_in_place(signed)
    found = read_credentials(signed)
    assert found["status"] == "present"
    assert found["generator"].startswith("TwinGen 2.1")
    assert found["software_agents"] == "TwinGen 2.1"
    assert found["digital_source_type"] == "trainedAlgorithmicMedia"
    assert found["actions"] == "created"
    assert found["validation_state"] == "Valid"
    assert found["validation"] == UNTRUSTED_WORDS  # never just "Valid": nobody trusts our CA
    assert "Twin Generator Test Signer" in found["signer"]
    assert read_credentials(twin / "look02.jpg") == {"status": "absent"}
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(signed.read_bytes()[: 9000])
    assert read_credentials(broken)["status"] in ("error", "absent")


@needs_shared
@pytest.mark.parametrize("name,state,words,agent,declared", [
    ("C.jpg", "Valid", UNTRUSTED_WORDS, "Make Test Images 0.33.1", DST + "algorithmicMedia"),
    ("CA.jpg", "Valid", UNTRUSTED_WORDS, "", ""),
    ("CA_ct.jpg", "Valid", UNTRUSTED_WORDS, "", ""),
    ("E-sig-CA.jpg", "Invalid", "invalid: the signature does not match the manifest", "", ""),
    ("XCA.jpg", "Invalid", "invalid: the image changed after it was signed", "", ""),
])
def test_real_c2pa_files(name, state, words, agent, declared):
    found = read_credentials(SHARED / name)
    assert found["status"] == "present"
    assert found["validation_state"] == state
    assert found["validation"] == words
    assert found["software_agents"] == agent
    assert found["declared_source_type"] == declared
    assert found["generator"].startswith("make_test_images 0.33.1")
    uri, why = twin_source_type(found)
    if declared:  # C.jpg: a valid manifest declaring algorithmicMedia wins over the default
        assert uri == declared and why.startswith("declared by the twin's C2PA manifest")
    else:
        assert uri == DST + "trainedAlgorithmicMedia" and "default" in why


@needs_shared
@pytest.mark.parametrize("name", ["no_manifest.jpg", "sample1.png"])
def test_real_plain_files(name):
    assert read_credentials(SHARED / name) == {"status": "absent"}
    assert twin_source_type({"status": "absent"})[0].endswith("/trainedAlgorithmicMedia")


def test_remote_manifest_is_not_fetched(tmp_path):
    """c2pa-python's default reader looks up cai-manifests.adobe.com for this file (a DNS
    query seen with strace); TwinProof's offline context says so instead of going there."""
    from tests.export.c2pa_sign import sign_remote
    from tests.export.shoot import write_images

    _real, twin = write_images(tmp_path)
    sign_remote(twin / "look01.jpg")
    found = read_credentials(twin / "look01.jpg")
    assert found["status"] == "remote"
    assert found["url"] == "https://cai-manifests.adobe.com/manifests/urn-uuid-twinproof-test"
    assert "remote manifest, not fetched (offline)" in found["detail"]


def test_an_invalid_manifest_declaration_is_not_believed(tmp_path):
    from tests.export.c2pa_sign import sign_in_place, tamper
    from tests.export.shoot import write_images

    _real, twin = write_images(tmp_path)
    sign_in_place(twin / "look01.jpg", source=COMPOSITE)
    tamper(twin / "look01.jpg")
    found = read_credentials(twin / "look01.jpg")
    assert found["validation_state"] == "Invalid", found
    assert found["declared_source_type"] == COMPOSITE
    uri, why = twin_source_type(found)
    assert uri.endswith("/trainedAlgorithmicMedia")
    assert "compositeWithTrainedAlgorithmicMedia was not used" in why


def _signed_shoot(tmp_path):
    """look01's twin signed as compositeWithTrainedAlgorithmicMedia by its generator; look02's
    twin is a plain file; look03's manifest is remote."""
    from tests.export.c2pa_sign import sign_in_place, sign_remote

    def prepare(_real, twin):
        sign_in_place(twin / "look01.jpg", generator="Firefly", version="5", source=COMPOSITE)
        sign_remote(twin / "look03.jpg")

    return build_shoot(tmp_path / "s", before_import=prepare)


@needs_poppler
def test_sheet_json_and_xmp_follow_the_valid_manifest(tmp_path):
    shoot = _signed_shoot(tmp_path)
    store = review.open_store(shoot.db)
    try:
        result = run_export(store, ExportRequest(pdf=tmp_path / "c.pdf", json=tmp_path / "c.json",
                                                 csv=tmp_path / "c.csv", xmp=True,
                                                 sheet=SheetOptions(maps=False)))
    finally:
        store.close()
    assert not result.problems, result.problems
    text = " ".join(page_text(tmp_path / "c.pdf").split())
    assert f"Validation: {UNTRUSTED_WORDS}" in text and "Validation: Valid" not in text
    assert "Software agent: Firefly 5" in text
    assert ("Exports label the twin compositeWithTrainedAlgorithmicMedia (IPTC digital source type): "
            "declared by the twin's C2PA manifest") in text
    assert "No Content Credentials in the twin file" in text  # look02: a normal case
    assert "Remote manifest, not fetched (offline)" in text  # look03
    assert "could not fetch" not in text
    doc = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    by_name = {p["name"]: p for p in doc["pairs"]}
    assert by_name["look01"]["twin"]["digital_source_type"] == "compositeWithTrainedAlgorithmicMedia"
    assert by_name["look01"]["twin"]["digital_source_type_basis"].startswith("declared by")
    assert by_name["look02"]["twin"]["digital_source_type"] == "trainedAlgorithmicMedia"
    assert by_name["look02"]["provenance"]["status"] == "absent"
    assert by_name["look02"]["provenance"]["xmp"]["found"] == "none"
    assert by_name["look03"]["provenance"]["status"] == "remote"
    twin01 = read_sidecar(sidecar_paths(shoot.folder / "twin" / "look01.jpg")[0])
    assert get(twin01, "Iptc4xmpExt", "DigitalSourceType") == COMPOSITE
    assert get(twin01, "twinproof", "DigitalSourceTypeBasis").startswith("declared by")
    twin02 = read_sidecar(sidecar_paths(shoot.folder / "twin" / "look02.jpg")[0])
    assert str(get(twin02, "Iptc4xmpExt", "DigitalSourceType")).endswith("/trainedAlgorithmicMedia")
    # the CSV states, row by row, the type the JSON and the XMP state for the same twin
    table = {r["pair"]: r for r in csv.DictReader((tmp_path / "c.csv").read_text(encoding="utf-8-sig")
                                                  .splitlines())}
    assert table.keys() == by_name.keys()
    for name, row in table.items():
        twin = by_name[name]["twin"]
        assert row["twin_digital_source_type"] == twin["digital_source_type"], name
        assert row["twin_digital_source_type_basis"] == twin["digital_source_type_basis"], name
        assert row["ai_disclosure"].startswith("AI-generated digital twin of "), name
        assert row["ai_disclosure"].endswith(f"(IPTC digital source type {twin['digital_source_type']})")
    assert table["look01"]["ai_disclosure"] == ("AI-generated digital twin of Ana Silva (IPTC digital source "
                                                "type compositeWithTrainedAlgorithmicMedia)")


@needs_shared
def test_real_signed_file_as_a_twin_in_an_export(tmp_path):
    """C.jpg (c2pa-rs's own signed test image, declaring algorithmicMedia) delivered as a twin."""
    def prepare(_real, twin):
        shutil.copyfile(SHARED / "C.jpg", twin / "look02.jpg")
        shutil.copyfile(SHARED / "XCA.jpg", twin / "look03.jpg")

    shoot = build_shoot(tmp_path / "s", before_import=prepare)
    store = review.open_store(shoot.db)
    try:
        run_export(store, ExportRequest(json=tmp_path / "c.json", xmp=True))
    finally:
        store.close()
    doc = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    by_name = {p["name"]: p for p in doc["pairs"]}
    assert by_name["look02"]["twin"]["digital_source_type"] == "algorithmicMedia"
    assert by_name["look02"]["provenance"]["software_agents"] == "Make Test Images 0.33.1"
    assert by_name["look03"]["twin"]["digital_source_type"] == "trainedAlgorithmicMedia"
    assert by_name["look03"]["provenance"]["validation"].startswith("invalid")
    twin02 = read_sidecar(sidecar_paths(shoot.folder / "twin" / "look02.jpg")[0])
    assert get(twin02, "Iptc4xmpExt", "DigitalSourceType") == DST + "algorithmicMedia"


@needs_poppler
@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_the_twin_files_own_xmp_on_the_sheet_and_in_the_json(tmp_path):
    """A twin tagged as a generator tags its output, another by the Photoshop that saved it: the
    sheet says what each file's XMP names (unsigned, the disclosure stays TwinProof's), the JSON
    keeps the reading."""
    import subprocess

    def prepare(_real, twin):
        for name, tags in (("look01.jpg", ["-XMP-xmp:CreatorTool=Adobe Firefly Image 3",
                                           f"-XMP-iptcExt:DigitalSourceType={COMPOSITE}"]),
                           ("look02.jpg", ["-XMP-xmp:CreatorTool=Adobe Photoshop 26.1"]),
                           ("look03.jpg", [f"-XMP-iptcExt:DigitalSourceType={DST}digitalCapture"])):
            subprocess.run(["exiftool", "-q", "-overwrite_original", *tags, str(twin / name)], check=True, timeout=60)

    shoot = build_shoot(tmp_path / "s", before_import=prepare)
    store = review.open_store(shoot.db)
    try:
        result = run_export(store, ExportRequest(pdf=tmp_path / "x.pdf", json=tmp_path / "x.json",
                                                 sheet=SheetOptions(maps=False)))
    finally:
        store.close()
    assert not result.problems, result.problems
    text = " ".join(page_text(tmp_path / "x.pdf").split())
    assert ("The twin file's XMP (unsigned) names the generator Adobe Firefly Image 3 and declares "
            "compositeWithTrainedAlgorithmicMedia.") in text
    assert "WHERE THE TWIN CAME FROM: CONTENT CREDENTIALS (C2PA), XMP" in text  # titles are set in capitals
    assert "names the tool Adobe Photoshop 26.1 (not a generator by itself)" in text
    # a twin whose own XMP claims a camera capture is worth a look
    assert "declares digitalCapture (a camera or scan), which a generated twin is not" in text
    doc = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    by_name = {p["name"]: p for p in doc["pairs"]}
    assert by_name["look01"]["provenance"]["xmp"]["creator_tool"] == "Adobe Firefly Image 3"
    # unsigned: the exported disclosure is still TwinProof's default, not the file's own claim
    assert by_name["look01"]["twin"]["digital_source_type"] == "trainedAlgorithmicMedia"


@pytest.mark.parametrize("suffix", [".jpg", ".png", ".webp", ".tif"])
def test_credentials_in_every_container_pass_the_byte_screen(tmp_path, suffix):
    """The byte screen lets through a manifest in each container c2pa-python signs (JPEG APP11,
    PNG caBX, WebP and TIFF chunks), so skipping the reader never hides credentials; the same
    file unsigned is screened out and read as absent."""
    from PIL import Image

    from tests.export.c2pa_sign import sign_in_place
    from twinproof.export.provenance import may_hold_credentials

    path = tmp_path / f"twin{suffix}"
    Image.open(Path(__file__).resolve().parents[2] / "resources" / "sample" / "look01_twin.jpg").save(path)
    assert not may_hold_credentials(path)
    assert read_credentials(path) == {"status": "absent"}
    sign_in_place(path)
    assert may_hold_credentials(path)
    assert read_credentials(path)["status"] == "present"


def test_remote_manifest_passes_the_byte_screen(tmp_path):
    from tests.export.c2pa_sign import sign_remote
    from tests.export.shoot import write_images
    from twinproof.export.provenance import may_hold_credentials

    _real, twin = write_images(tmp_path)
    assert not may_hold_credentials(twin / "look02.jpg")
    sign_remote(twin / "look02.jpg")
    assert may_hold_credentials(twin / "look02.jpg")


def test_a_plain_file_is_read_without_the_c2pa_library(tmp_path):
    """The common case costs no import of c2pa-python (~20 ms) and no read (~20 ms a file)."""
    import subprocess
    import sys

    sample = Path(__file__).resolve().parents[2] / "resources" / "sample"
    code = ("import sys; from twinproof.export.provenance import read_provenance; "
            f"print(read_provenance({str(sample / 'look01_twin.jpg')!r})['status'], 'c2pa' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["absent", "False"]


def test_an_empty_file_is_left_to_the_reader(tmp_path):
    from twinproof.export.provenance import may_hold_credentials

    (tmp_path / "empty.jpg").write_bytes(b"")
    assert may_hold_credentials(tmp_path / "empty.jpg")
    assert read_credentials(tmp_path / "empty.jpg")["status"] == "error"
