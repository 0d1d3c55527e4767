"""The comparison sheet read back with poppler: pages, disclosure, metrics, literal user
text, full-resolution original images, metadata, options, progress and cancel."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading

import pytest

from tests.export.pdftools import images, info, needs_poppler, page_text
from tests.export.shoot import HOSTILE
from twinproof import review
from twinproof.export import ExportCancelled, ExportError, ExportRequest, SheetOptions, run_export

pytestmark = needs_poppler


@pytest.fixture(scope="module")
def sheet(shoot, tmp_path_factory):
    """All pairs, A4 portrait, with CSV/JSON/audit too: one export shared by the checks."""
    out = tmp_path_factory.mktemp("sheet")
    store = review.open_store(shoot.db, reviewer="exporter")
    steps = []
    try:
        result = run_export(store, ExportRequest(pdf=out / "ss27.pdf", csv=out / "ss27.csv",
                                                 json=out / "ss27.json", audit_csv=out / "audit.csv"),
                            progress=lambda f, m: steps.append((f, m)))
        audit = review.audit_rows(store)
    finally:
        store.close()
    return out / "ss27.pdf", result, steps, audit


def test_pages_disclosure_on_every_page(sheet):
    pdf, result, _steps, _audit = sheet
    pages = int(info(pdf)["Pages"])
    assert pages == result.pages >= 4  # cover + one page per pair (+ continuations)
    names = {"look01": "Ana Silva", "look02": "Ana Silva", "look03": "the model"}
    for n in range(1, pages + 1):
        text = page_text(pdf, n)
        assert "AI-generated digital twin of" in text, f"page {n} has no disclosure"
        if n == 1:  # the cover names the people whose twins the sheet shows
            assert "Twins of: Ana Silva (2 pairs); not yet linked to a talent: 1 pair." in " ".join(
                text.split())
        for name, who in names.items():
            if text.lstrip().startswith("TWINPROOF · DIGITAL TWIN") and f"\n{name}" in text:
                assert f"Right: AI-generated digital twin of {who}" in text


def test_metrics_decision_consent_and_notes_present(sheet):
    pdf = sheet[0]
    text = page_text(pdf)
    for expected in ("Digital twin comparison sheets", "DECISIONS BY ANALYSIS VERDICT",
                     "TwinProof default", "face_landmark", "SSIM (structure)", "Colour cast",
                     "Rejected", "skin tone shifted", "garment hem redrawn", "C-2026-01",
                     "linked to no talent", "No Content Credentials", "Alignment confidence"):
        assert expected in text, expected
    # look02's stored SSIM (about 0.95: the sample's twin, re-analysed when the shoot is built)
    doc = json.loads((pdf.parent / "ss27.json").read_text(encoding="utf-8"))
    stored = next(p for p in doc["pairs"] if p["name"] == "look02")["analysis"]["result"]["metrics"]["ssim"]["value"]
    assert stored == pytest.approx(0.953, abs=0.01)
    assert f"{stored:.3f}" in text


def test_user_text_is_literal_and_huge_text_is_capped(sheet):
    text = page_text(sheet[0]).replace("\n", " ")
    assert "<b>not bold</b>" in text and "<script>alert(1)</script>" in text
    assert "{{ template }}" in text
    assert "more characters in the JSON export" in text
    assert HOSTILE[:10] in text


def test_original_images_embedded_at_full_resolution_once(sheet):
    found = images(sheet[0])
    sizes = {(int(i["width"]), int(i["height"])) for i in found if i["enc"] == "jpeg"}
    assert {(512, 512), (640, 640), (512, 600)} <= sizes
    # one image object per file, reused by the cover, the pair page and the crops
    objects = {(i["width"], i["height"], i["enc"]) for i in found if i["enc"] == "jpeg"}
    assert len(objects) <= 5


def test_metadata_says_what_the_document_is(sheet):
    meta = info(sheet[0])
    assert meta["Title"].startswith("TwinProof comparison sheets: SS27 studio")
    assert "AI-generated digital twins" in meta["Subject"]
    assert "trainedAlgorithmicMedia" in meta["Keywords"]
    assert meta["Creator"].startswith("TwinProof")
    assert "A4" in meta["Page size"] or "595" in meta["Page size"]


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_pdf_xmp_discloses_ai_generated_media_to_an_independent_reader(sheet):
    """Asset systems read a PDF's XMP, not its Info dictionary: exiftool must find the
    document's title and its IPTC digital source type there."""
    out = subprocess.run(["exiftool", "-j", "-XMP:all", str(sheet[0])], capture_output=True,
                         text=True, check=True)
    xmp = json.loads(out.stdout)[0]
    assert xmp["DigitalSourceType"].endswith("/compositeWithTrainedAlgorithmicMedia")
    assert str(xmp["Title"]).startswith("TwinProof comparison sheets")
    assert "AI-generated" in xmp["Subject"] and "AI-generated digital twins" in xmp["Description"]


def test_exports_are_audited_and_progress_reported(sheet):
    _pdf, _result, steps, audit = sheet
    exports = [r for r in audit if r.event == "export"]
    assert {r.detail["format"] for r in exports} >= {"pdf", "csv", "json", "audit-csv"}
    assert all(sorted(r.detail["pair_ids"]) == [1, 2, 3] for r in exports)
    fractions = [f for f, _m in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("look02" in m for _f, m in steps)


def test_selection_decided_only_letter_landscape(shoot, store, tmp_path):
    out = tmp_path / "decided.pdf"
    result = run_export(store, ExportRequest(
        pdf=out, decided_only=True, sheet=SheetOptions(paper="letter", landscape=True, maps=False)))
    assert result.pairs == ["look01", "look02"]
    meta = info(out)
    assert meta["Page size"].startswith("792 x 612")
    text = page_text(out)
    assert "look03" not in text and "map not computed" in text
    one = run_export(store, ExportRequest(pdf=tmp_path / "one.pdf", pairs=["look01"],
                                          sheet=SheetOptions(maps=False)))
    assert one.pairs == ["look01"] and one.pages in (2, 3)
    assert all("look01" in page_text(tmp_path / "one.pdf", n) for n in range(2, one.pages + 1))


def test_cancel_leaves_no_partial_file(store, tmp_path):
    stop = threading.Event()
    out = tmp_path / "cancelled.pdf"

    def progress(fraction, message):
        if message.startswith("sheet: look02"):
            stop.set()

    with pytest.raises(ExportCancelled):
        run_export(store, ExportRequest(pdf=out), progress=progress, cancel=stop)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_bad_requests_are_clear(store, tmp_path):
    with pytest.raises(ExportError, match="nothing to export"):
        run_export(store, ExportRequest())
    with pytest.raises(ExportError, match="does not exist"):
        run_export(store, ExportRequest(pdf=tmp_path / "no" / "x.pdf"))
    with pytest.raises(ExportError, match="paper must be"):
        SheetOptions(paper="a3")
    with pytest.raises(review.NotFoundError):
        run_export(store, ExportRequest(pdf=tmp_path / "x.pdf", pairs=["look99"]))


def test_smaller_sheet_option_and_rotated_files(shoot, store, tmp_path):
    out = tmp_path / "small.pdf"
    run_export(store, ExportRequest(pdf=out, sheet=SheetOptions(maps=False, image_long_side=300)))
    sizes = {(int(i["width"]), int(i["height"])) for i in images(out) if i["enc"] == "jpeg"}
    assert (300, 300) in sizes and (256, 300) in sizes and (512, 512) not in sizes
    assert "reduced for a smaller sheet" in page_text(out)
    with pytest.raises(ExportError, match="at least 256"):
        SheetOptions(image_long_side=10)


def test_exif_rotated_file_is_shown_upright(tmp_path):
    import numpy as np
    from PIL import Image

    from twinproof.export.images import embeddable

    arr = np.zeros((40, 60, 3), np.uint8)
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6
    img.save(tmp_path / "r.jpg", exif=exif.tobytes())
    emb = embeddable(tmp_path / "r.jpg")
    assert not emb.original and (emb.width, emb.height) == (40, 60)
    assert "orientation" in emb.note.lower()
    assert embeddable(tmp_path / "r.jpg", None).source.getvalue()[:2] == b"\xff\xd8"


def test_face_flags_are_located_from_landmarks():
    """On a real analysis: a face flag frames its feature inside the face, a body flag the
    skeleton, a scene colour flag nothing (its map's worst window is used instead)."""
    from twinproof.core.analysis import analyze_pair
    from twinproof.export.evidence import landmark_box
    from twinproof.paths import resource_path

    sample = resource_path("sample")
    result = analyze_pair(sample / "look03_real.jpg", sample / "look03_twin.jpg").result
    whole = landmark_box(result, "face_shape", "face")
    eyes = landmark_box(result, "face_shape", "eyes")
    assert whole is not None and eyes is not None and eyes != whole
    assert whole[0] <= eyes[0] and whole[1] <= eyes[1] and eyes[2] <= whole[2] and eyes[3] <= whole[3]
    assert (eyes[3] - eyes[1]) < 0.5 * (whole[3] - whole[1])
    assert landmark_box(result, "body_shape", "waist") is not None
    assert landmark_box(result, "colour", "scene") is None
    assert landmark_box(None, "face_shape", "face") is None


def test_unanalysed_pair_is_said_so(shoot, tmp_path):
    import shutil

    from tests.export.shoot import build_shoot

    fresh = build_shoot(tmp_path / "s")
    extra = tmp_path / "extra"
    extra.mkdir()
    shutil.copy(fresh.folder / "real" / "look01.jpg", extra / "a_real.jpg")
    shutil.copy(fresh.folder / "twin" / "look02.jpg", extra / "a_twin.jpg")
    store = review.open_store(fresh.db)
    try:
        pair = review.make_pair(store, 1, extra / "a_real.jpg", extra / "a_twin.jpg", name="loose")
        run_export(store, ExportRequest(pdf=tmp_path / "u.pdf", json=tmp_path / "u.json",
                                        pairs=[pair.id]))
    finally:
        store.close()
    text = page_text(tmp_path / "u.pdf").replace("\n", " ")
    assert "Not analysed: nothing was measured" in text and "NOT REVIEWED" in text
    assert "AI-generated digital twin of the model" in text


def test_write_failure_is_one_clear_error(store, tmp_path, monkeypatch):
    import errno

    from twinproof.export import data

    def full(path, *_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(data, "atomic_write_bytes", full)
    with pytest.raises(ExportError, match=r"x\.csv: cannot be written \(No space left on device\)"):
        run_export(store, ExportRequest(csv=tmp_path / "x.csv"))




def test_blocks_close_up_rather_than_start_a_page_for_a_line():
    """First fit with the usual 2.5 mm gaps overflows a 168 mm column by 1.3 mm for look06's
    blocks (measured on the sample, landscape A4); tighter gaps keep them on one page."""
    from twinproof.export.pdf_pair import GAPS, fits_one_page

    heights = [11.9, 11.9, 91.5, 8.0, 34.0, 3.95]
    column = [(12.0, 28.0, 120.0, 196.0)]  # x, top, width, bottom (mm)
    assert not fits_one_page(heights, column, GAPS[0])
    assert fits_one_page(heights, column, GAPS[-1])
    assert not fits_one_page([*heights, 30.0], column, GAPS[-1])  # a real overflow still moves on
