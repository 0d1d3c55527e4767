"""The sheet, the CSV and the JSON say which yardstick each measurement used (issue 23): her
portraits, the real photo (same frame), a control frame, or the spread of other people. Real
results stored with real photographs (``tests/data/results/make_v3.py``: one man's twin with
the jaw slimmed 10 % against his 4 photographs, the same without portraits, a control frame;
the sample's look03 as a same frame), exported, and read back with poppler and Python's csv."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.export.pdftools import info, needs_poppler, page_text
from twinproof import review
from twinproof.export import ExportRequest, run_export
from twinproof.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "data" / "results"
S2 = ROOT.parent / "shared" / "faces-more" / "ramiz" / "s2"
JAW = "face.identity_edits.jaw_width.percent"

pytestmark = [needs_poppler, pytest.mark.skipif(not (S2 / "1.jpg").is_file(),
                                                reason="../shared/faces-more is absent")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from tests.data.results.make_v3 import slimmed_twin

    folder = tmp_path_factory.mktemp("yardsticks")
    twin = slimmed_twin(folder)
    control = folder / "elvis-2-control.jpg"
    Image.open(S2 / "2.jpg").convert("RGB").save(control, quality=92)
    sources = {"range": (S2 / "2.jpg", twin), "alone": (S2 / "2.jpg", twin), "control": (S2 / "2.jpg", control),
               "same": (resource_path("sample", "look03_real.jpg"), resource_path("sample", "look03_twin.jpg"))}
    files = {}
    for name, pair in sources.items():  # each pair its own files (a file is in one active pair)
        (folder / name).mkdir()
        files[name] = tuple(Path(shutil.copy(src, folder / name / f"{side}{src.suffix}"))
                            for side, src in zip(("real", "twin"), pair, strict=True))
    stored = {"range": "v3_range_jaw", "alone": "v3_newshot_jaw", "control": "v3_control", "same": "v2_look03"}
    store = review.open_store(str(folder / "s.twinproof"), reviewer="exporter")
    try:
        shoot = review.create_shoot(store, "SS27")
        for name, (r, t) in files.items():
            pair = review.make_pair(store, shoot.id, r, t, name)
            result = json.loads((RESULTS / f"{stored[name]}.json").read_text(encoding="utf-8"))
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(result))
            if name == "range":  # marked a control frame after it was analysed: stale, and said
                review.set_control(store, pair.id, True, pair.version)
        run_export(store, ExportRequest(pdf=folder / "s.pdf", csv=folder / "s.csv", json=folder / "s.json"))
    finally:
        store.close()
    return folder


def _page_of(pdf: Path, name: str) -> str:
    """The text of the pair's page(s), spaces closed up."""
    pages = [page_text(pdf, n) for n in range(2, int(info(pdf)["Pages"]) + 1)]
    return " ".join(" ".join(t.split()) for t in pages
                    if any(line.split()[:1] == [name] for line in t.strip().splitlines()[1:3] if line.strip()))


def test_each_row_of_the_sheet_names_its_yardstick(exported):
    pdf = exported / "s.pdf"
    every = " ".join(page_text(pdf).split())
    assert "Judged against" in every
    rng = _page_of(pdf, "range")
    assert "the talent's 4 portraits" in rng and "the real photo (another shot)" in rng
    assert "the spread of other people (no portraits)" in _page_of(pdf, "alone")
    # one yardstick for every row (a same frame, a control): said once, not on each row
    assert "Every judged value against the real photo (control frame)." in _page_of(pdf, "control")
    same = _page_of(pdf, "same")
    assert same.count("the real photo (same frame)") == 1 and "Judged against" not in same
    assert "the talent's 4 portraits" not in _page_of(pdf, "alone")
    assert "This analysis is stale (marked a control frame since it was analysed)" in rng
    assert "is stale" not in _page_of(pdf, "alone")


def test_the_csv_and_json_carry_the_yardstick_of_each_judged_value(exported):
    with open(exported / "s.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["pair"]: r for r in csv.DictReader(f)}
    assert rows["range"][f"{JAW}.yardstick"] == "the talent's 4 portraits"
    assert rows["range"]["analysis_stale"] == "marked a control frame since it was analysed"
    assert rows["alone"]["analysis_stale"] == ""
    assert rows["range"]["face.proportions.jaw_width.percent.yardstick"] == "the talent's 4 portraits"
    assert rows["alone"]["face.proportions.jaw_width.percent.yardstick"] == \
        "the spread of other people (no portraits)"
    assert rows["alone"][f"{JAW}.yardstick"] == ""  # not measured without portraits
    assert rows["control"]["ssim.value.yardstick"] == "the real photo (control frame)"
    assert rows["same"]["ssim.value.yardstick"] == "the real photo (same frame)"
    doc = json.loads((exported / "s.json").read_text(encoding="utf-8"))
    pairs = {p["name"]: p for p in doc["pairs"]}
    jaw = pairs["range"]["analysis"]["yardsticks"][JAW]
    assert jaw == {"kind": "her_portraits", "against": "the talent's 4 portraits", "portraits": 4}
    assert pairs["control"]["analysis"]["yardsticks"]["ssim.value"]["kind"] == "control"
    assert pairs["range"]["analysis_stale"] == "marked a control frame since it was analysed"
    assert pairs["alone"]["analysis_stale"] is None
