"""The sheet as a document: Info dictionary and XMP say the same thing (pypdf, exiftool), the
XMP stays well-formed with hostile names, the structure is sound (qpdf), figures are tagged,
and labels are whole."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.dom.minidom
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.export.test_xmp import CONTROL
from twinproof import review
from twinproof.export import ExportRequest, SheetOptions, run_export

#: What a database can store (no NUL, no lone surrogate) of the characters XML cannot carry.
STORABLE = CONTROL.replace("\x00", "").replace("\ud800", "")
HOSTILE_CAMPAIGN = f"SS27 <b>&amp; \"Nord\"{STORABLE}, Milano"


@pytest.fixture(scope="module")
def hostile_sheet(shoot, tmp_path_factory):
    out = tmp_path_factory.mktemp("meta")
    db = out / "copy.twinproof"
    shutil.copyfile(shoot.db, db)
    store = review.open_store(db, reviewer=f"exporter{STORABLE}<&>")
    try:
        look03 = review.find_pair(store, "look03").id
        review.link_talent(store, [look03], "Ana Silva")
        # analysed again for her (an analysis made before she was linked is stale): the same result
        review.store_analysis(store, look03, review.latest_analysis(store, look03).recorded())
        review.decide(store, look03, "approved_with_changes", override="colour fixed in retouching")
        shoot_id = review.list_shoots(store)[0].id
        review.set_campaign(store, shoot_id, HOSTILE_CAMPAIGN)
        run_export(store, ExportRequest(pdf=out / "m.pdf", pairs=["look01", "look03"],
                                        sheet=SheetOptions(maps=False)))
    finally:
        store.close()
    return out / "m.pdf"


def _xmp_values(reader: PdfReader) -> dict[str, object]:
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    xml.dom.minidom.parseString(raw)  # strict, independent XML parser: well-formed
    xmp = reader.xmp_metadata
    assert xmp is not None
    return {"title": xmp.dc_title["x-default"], "subject": xmp.dc_description["x-default"],
            "author": xmp.dc_creator, "keywords": xmp.pdf_keywords, "words": xmp.dc_subject,
            "creator": xmp.xmp_creator_tool, "producer": xmp.pdf_producer,
            "created": xmp.xmp_create_date}


def test_info_and_xmp_agree(hostile_sheet):
    reader = PdfReader(hostile_sheet)
    info = reader.metadata
    xmp = _xmp_values(reader)
    assert info is not None
    assert info.title == xmp["title"] and info.title.startswith("TwinProof comparison sheets")
    assert "SS27 <b>&amp; \"Nord\", Milano" in info.title  # markup kept literally, controls gone
    assert info.subject == xmp["subject"]
    assert [info.author] == xmp["author"] == ["exporter<&>"]
    assert info["/Keywords"] == xmp["keywords"] == "; ".join(xmp["words"])
    assert {"AI-generated", "trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"} <= set(xmp["words"])
    assert info.creator == xmp["creator"] and info.creator.startswith("TwinProof")
    assert info.producer == xmp["producer"] and info.producer.startswith("fpdf2")
    created = xmp["created"]
    assert isinstance(created, datetime)
    assert info.creation_date.astimezone(UTC).replace(tzinfo=None) == created.replace(tzinfo=None)


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="apt-get install libimage-exiftool-perl")
def test_exiftool_reads_the_same_document(hostile_sheet):
    out = subprocess.run(["exiftool", "-j", "-G1", "-PDF:all", "-XMP:all", str(hostile_sheet)],
                         capture_output=True, text=True, check=True)
    tags = json.loads(out.stdout)[0]
    assert "Warning" not in " ".join(tags), tags
    assert tags["PDF:Title"] == tags["XMP-dc:Title"]
    words = tags["PDF:Keywords"]  # exiftool shows the Info string split at commas
    assert ", ".join(words if isinstance(words, list) else [words]) == tags["XMP-pdf:Keywords"]
    assert tags["PDF:Author"] == tags["XMP-dc:Creator"]
    assert tags["XMP-iptcExt:DigitalSourceType"].endswith("/compositeWithTrainedAlgorithmicMedia")


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="apt-get install qpdf")
def test_qpdf_finds_no_structural_error(hostile_sheet):
    proc = subprocess.run(["qpdf", "--check", str(hostile_sheet)], capture_output=True, text=True)
    assert proc.returncode == 0 and "No syntax or stream encoding errors" in proc.stdout, proc.stdout


def test_tagged_figures_language_and_outline(hostile_sheet):
    """What fpdf2 2.8 can tag: every placed photograph is a /Figure with alternative text,
    the document language is set, and the outline lists the cover and each pair. (It does not
    tag text: paragraphs and tables carry no structure elements.)"""
    reader = PdfReader(hostile_sheet)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/Lang"] == "en"
    figures: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict) and "/S" in node:
            if node["/S"] == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)

    walk(root["/StructTreeRoot"]["/K"])
    assert len(figures) >= 4 and all(figures)
    assert {"Real photograph", "AI-generated digital twin, aligned to the real photograph"} <= set(figures)
    assert [o.title for o in reader.outline] == ["Cover: decisions, policy, contact sheet", "look01: approved",
                                                  "look03: approved with changes"]


def test_labels_are_whole(hostile_sheet):
    from tests.export.pdftools import page_text

    cover = page_text(hostile_sheet, 1)
    assert "Approved with changes" in cover and "…" not in cover
    assert "approved with changes" in cover  # the contact sheet cell's state
    assert "FIDELITY MEASUREMENTS" in page_text(hostile_sheet)


def test_table_cells_wrap_instead_of_being_cut(tmp_path):
    """A status column too narrow for "not measured" (the sheet's used to print "not measu…"):
    the cell is set smaller, then wrapped; the row grows by what table_height predicts."""
    from twinproof.export.pdf_base import SheetPDF, table, table_height

    pdf = SheetPDF()
    pdf.add_page()
    rows = [["Measurement", "Status"], ["Face", "not measured"], ["Decision", "Approved with changes"],
            ["SSIM", "ok"]]
    widths = [30.0, 12.0]
    end = table(pdf, 20, 30, widths, rows, size=7)
    assert end - 30 == pytest.approx(table_height(pdf, widths, rows, size=7))
    assert end - 30 > len(rows) * (7 * 0.5 + 0.9) + 1  # some rows took two lines
    (tmp_path / "t.pdf").write_bytes(pdf.output())
    pdf.release()
    text = PdfReader(tmp_path / "t.pdf").pages[0].extract_text()
    assert "…" not in text
    assert all(word in text for word in ("not", "measured", "Approved", "with", "changes", "ok"))
