"""Which yardstick each measurement was judged against (issue 23), read from real results:
one man's twin with the jaw slimmed 10 % judged against his own range across 4 photographs,
the same twin without portraits, a control frame (``tests/data/results/make_v3.py``), and a
same frame of the sample shoot stored by schema 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twinproof.core.analysis import CONTROL_REASON
from twinproof.core.result import AnalysisResult, Status, rows
from twinproof.core.result.yardstick import CONTROL_MARK, Kind, own_range, yardstick

STORED = Path(__file__).resolve().parents[2] / "data" / "results"


def stored(name: str) -> AnalysisResult:
    return AnalysisResult.from_json(json.loads((STORED / f"{name}.json").read_text(encoding="utf-8")))


def by_path(result: AnalysisResult) -> dict[str, object]:
    return {r.path: r for r in rows(result)}


def test_her_range_names_how_many_of_her_photographs_it_spans():
    result = stored("v3_range_jaw")
    jaw = yardstick(result, "face.identity_edits.jaw_width.percent")
    assert (jaw.kind, jaw.portraits, jaw.words) == (Kind.HER_PORTRAITS, 4, "against the talent's 4 portraits")
    # the mesh proportions were judged against her range too (the real photo and 3 references)
    assert own_range(result, "face.proportions.jaw_width.percent") == 4
    # skin has no portrait yardstick: other people's spread, without the face's "(no portraits)"
    skin = yardstick(result, "skin.delta_L")
    assert skin.kind is Kind.OTHER_PEOPLE and "portraits" not in skin.short
    # the garment is judged without an uncertainty: the real photo, another shot
    assert yardstick(result, "garment.delta_e00_median_colour").kind is Kind.ANOTHER_SHOT


def test_every_judged_row_carries_its_yardstick_and_informational_rows_none():
    found = by_path(stored("v3_range_jaw"))
    row = found["face.identity_edits.jaw_width.percent"]
    assert row.status is Status.FAIL and row.against is not None and row.against.portraits == 4
    assert all(r.against is None for r in found.values() if not r.limits)
    assert all(r.against is not None for r in found.values() if r.limits)


def test_without_portraits_the_face_says_so():
    result = stored("v3_newshot_jaw")
    jaw = yardstick(result, "face.proportions.jaw_width.percent")
    assert jaw.kind is Kind.OTHER_PEOPLE
    assert jaw.words == "against the spread of other people (no portraits)"
    assert "face.identity_edits.jaw_width.percent" not in by_path(result)


def test_a_control_frame_and_a_same_frame_are_told_apart():
    control = stored("v3_control")
    assert control.analysis.mode_reason == CONTROL_REASON and CONTROL_REASON.startswith(CONTROL_MARK)
    assert {r.against.kind for r in rows(control) if r.against} == {Kind.CONTROL}
    same = stored("v2_look03")
    kinds = {r.against.kind for r in rows(same) if r.against}
    assert kinds == {Kind.REAL_PHOTO}
    assert yardstick(same, "ssim.value").words == "against the real photo (same frame)"


@pytest.mark.parametrize("name", ["v1_look02", "v2_look01", "v2_look04"])
def test_results_stored_before_issue_23_read_as_what_they_were(name):
    result = stored(name)
    assert {r.against.kind for r in rows(result) if r.against} <= {Kind.REAL_PHOTO}
