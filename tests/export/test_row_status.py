"""One status rule for every row: over the sample shoot and real new-shot pairs, no row the
sheet or the CSV prints shows a value past its own printed limit as ok.

The check reads the printed text back (the value as printed, the limits as printed) and
applies the limits itself, independently of ``core.result.judge``: what a reader of the sheet
would conclude is what the status must say. Before the fix, look05 printed "Garment hue shift
+31.1°, warn ±6 · fail ±12, ok" (the garment step keeps only its worst flag, ΔE00's).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from twinproof.core.analysis import analyze_pair
from twinproof.core.result import AnalysisResult, Status, rows
from twinproof.export.data import MEASURE_COLUMNS, STATUS_COLUMNS, _measures
from twinproof.export.evidence import metric_rows

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
FACES = ROOT.parent / "shared" / "faces"
#: Same person, different shots (master.csv "Yes"): compared as new shots.
NEW_SHOTS = (("img1.jpg", "img2.jpg"), ("img4.jpg", "img5.jpg"), ("img6.jpg", "img7.jpg"))
LIMIT = re.compile(r"(warn|fail) ([<>±])(-?[\d.]+)")
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?")


def broken(value_text: str, limits_text: str) -> str | None:
    """The worst limit the printed value breaks ("fail", "warn") by the printed limits."""
    found = NUMBER.search(value_text)
    if found is None or not limits_text:
        return None
    value = float(found.group().replace("−", "-"))
    worst = None
    for severity, sign, threshold in LIMIT.findall(limits_text):
        t = float(threshold)
        past = value > t if sign == ">" else value < t if sign == "<" else abs(value) > t
        if past and (worst is None or severity == "fail"):
            worst = severity
    return worst


def _results() -> list[tuple[str, AnalysisResult]]:
    out = []
    for n in range(1, 7):
        real, twin = SAMPLE / f"look0{n}_real.jpg", SAMPLE / f"look0{n}_twin.jpg"
        out.append((f"look0{n}", AnalysisResult.from_json(analyze_pair(real, twin).to_dict())))
    if (FACES / "img1.jpg").is_file():
        for a, b in NEW_SHOTS:
            out.append((f"{a}/{b}", AnalysisResult.from_json(analyze_pair(FACES / a, FACES / b).to_dict())))
    return out


def _statuses(result: AnalysisResult) -> list[str]:
    """The CSV's status cells (after the values, before the new shots' uncertainty columns)."""
    cells = _measures(result)
    return cells[len(MEASURE_COLUMNS):len(MEASURE_COLUMNS) + len(STATUS_COLUMNS)]


@pytest.fixture(scope="module")
def results():
    return _results()


@pytest.mark.slow
def test_no_printed_row_shows_a_value_past_its_limit_as_ok(results):
    checked = past = 0
    for name, result in results:
        for row in [*metric_rows(result)]:  # the sheet's table, as printed
            want = broken(row.value, row.limits)
            if row.limits:
                checked += 1
            if want is not None:
                past += 1
                # warn or fail; or, for a new shot's value inside its own ± (what two photographs
                # of one person differ by), "cannot judge" with the ± printed: never "ok"
                assert row.status in ("warn", "fail") or (row.status == "cannot judge" and "±" in row.value), \
                    (name, row)
                assert not (want == "fail" and row.status == "warn" and "±" not in row.value), (name, row)
            if not row.limits and row.status not in ("not measured", "n/a"):
                assert row.status == "not judged", (name, row)  # no limits: it says so
        for row in rows(result):  # every row the app and the CSV read
            if row.limits and broken(row.text, row.limits) is not None:
                assert row.status in (Status.WARN, Status.FAIL) or (
                    row.status is Status.CANNOT_JUDGE and row.plus_minus is not None and row.reason
                ), (name, row.label, row.text, row.limits)
    assert checked > 60 and past >= 8  # the sample's manipulations and the new shots do break limits


@pytest.mark.slow
def test_look05_hue_and_the_csv_say_the_same(results, tmp_path):
    by = dict(results)
    hue = next(r for r in metric_rows(by["look05"]) if r.label == "Garment hue shift")
    assert broken(hue.value, hue.limits) == "fail" and hue.status == "fail"
    cells = dict(zip(STATUS_COLUMNS, _statuses(by["look05"]), strict=True))
    assert cells["garment.hue_shift_deg.status"] == "fail"
    path = tmp_path / "rows.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([[n, *_statuses(r)] for n, r in results])
    for line in csv.reader(path.read_text(encoding="utf-8").splitlines()):
        assert "info" not in line  # a value with no limits reads "not judged", never a bare code
