"""C2PA Content Credentials read offline from a twin signed here with a throwaway chain."""

from __future__ import annotations

import pytest

from tests.export.pdftools import needs_poppler, page_text
from tests.export.shoot import build_shoot
from twinproof import review
from twinproof.export import ExportRequest, SheetOptions, read_credentials, run_export
from twinproof.export.provenance import available

pytestmark = pytest.mark.skipif(not available(), reason="c2pa-python not installed")


def test_signed_twin_credentials_read(tmp_path):
    from tests.export.c2pa_sign import sign_in_place
    from tests.export.shoot import write_images

    _real, twin = write_images(tmp_path)
    signed = twin / "look01.jpg"
    sign_in_place(signed)
    found = read_credentials(signed)
    assert found["status"] == "present"
    assert found["generator"].startswith("TwinGen 2.1")
    assert found["digital_source_type"] == "trainedAlgorithmicMedia"
    assert found["actions"] == "created"
    assert found["validation_state"] in ("Valid", "Trusted")
    assert "Twin Generator Test Signer" in found["signer"]
    assert any("untrusted" in issue for issue in found["issues"])  # our CA is no one's anchor
    assert read_credentials(twin / "look02.jpg") == {"status": "absent"}
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(signed.read_bytes()[: 9000])
    assert read_credentials(broken)["status"] in ("error", "absent")


@needs_poppler
def test_credentials_shown_on_the_sheet_and_in_json(tmp_path):
    import json

    from tests.export.c2pa_sign import sign_in_place

    shoot = build_shoot(tmp_path / "s", before_import=lambda _r, t: sign_in_place(t / "look01.jpg"))
    store = review.open_store(shoot.db)
    try:
        run_export(store, ExportRequest(pdf=tmp_path / "c.pdf", json=tmp_path / "c.json",
                                        pairs=["look01", "look02"], sheet=SheetOptions(maps=False)))
    finally:
        store.close()
    text = page_text(tmp_path / "c.pdf").replace("\n", " ")
    assert "Validation: Valid" in text and "TwinGen 2.1" in text
    assert "trainedAlgorithmicMedia" in text
    assert "No Content Credentials in the twin file" in text  # look02: a normal case
    doc = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert doc["pairs"][0]["provenance"]["status"] == "present"
    assert doc["pairs"][1]["provenance"] == {"status": "absent"}
