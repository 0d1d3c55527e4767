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


# --- schema 4: the yardstick is a field of the result, written where it is decided ---------

def _words_rule(data: dict, path: str) -> tuple[str, int | None]:
    """How schema 3's readers told the yardstick from the words (kept here as the reference the
    recorded fields must agree with): the mode reason, the ± reasons and the face's yardstick."""
    analysis = data["analysis"]
    if str(analysis.get("mode_reason") or "").startswith("marked a control frame"):
        return "control", None
    if analysis.get("mode", "same_frame") == "same_frame":
        return "real_photo", None
    unc = (data.get("uncertainty") or {}).get(path)
    if unc is None:
        return "another_shot", None
    import re

    found = re.search(r"own range across (\d+) (?:portraits|photographs)", " ".join(unc["why"]))
    if found:
        return "her_portraits", int(found.group(1))
    face_said = (data["metrics"].get("face") or {}).get("yardstick") or ""
    few = path.startswith("face.") and face_said.startswith("the real photograph alone")
    return ("other_people", -1 if few else None)


def _recorded(result: AnalysisResult, path: str) -> tuple[str, int | None]:
    stick = yardstick(result, path)
    if stick.kind is Kind.OTHER_PEOPLE:
        return str(stick.kind), -1 if "fewer than" in stick.short else None
    return str(stick.kind), stick.portraits


@pytest.mark.parametrize("name", sorted(p.stem for p in STORED.glob("v*.json")))
def test_stored_results_of_every_schema_read_the_yardstick_their_words_gave(name):
    """v1, v2 and v3 results are given schema 4's fields by the upgrade: every judged row names
    the yardstick schema 3's readers parsed from the words."""
    data = json.loads((STORED / f"{name}.json").read_text(encoding="utf-8"))
    result = AnalysisResult.from_json(data)
    assert result.schema == 4
    judged = [r.path for r in rows(result) if r.against is not None]
    assert judged
    for path in judged:
        assert _recorded(result, path) == _words_rule(data, path), path


def test_a_v3_result_gets_the_fields_and_writes_them_back():
    data = json.loads((STORED / "v3_range_jaw.json").read_text(encoding="utf-8"))
    result = AnalysisResult.from_json(data)
    jaw = result.uncertainty_of("face.identity_edits.jaw_width.percent")
    assert jaw is not None and (jaw.against, jaw.portraits) == (Kind.HER_PORTRAITS, 4)
    skin = result.uncertainty_of("skin.delta_L")
    assert skin is not None and (skin.against, skin.portraits) == (Kind.OTHER_PEOPLE, None)
    assert result.analysis.against is Kind.ANOTHER_SHOT and result.metrics.face.references == 3
    out = result.to_json()
    assert out["schema"] == 4 and out["analysis"]["against"] == "another_shot"
    assert out["uncertainty"]["face.identity_edits.jaw_width.percent"]["against"] == "her_portraits"
    assert AnalysisResult.from_json(out) == result
    # the recorded field is what is read now, not the words: a v4 result saying otherwise wins
    out["uncertainty"]["face.identity_edits.jaw_width.percent"]["portraits"] = 6
    assert own_range(AnalysisResult.from_json(out), "face.identity_edits.jaw_width.percent") == 6
    control = AnalysisResult.from_json(json.loads((STORED / "v3_control.json").read_text(encoding="utf-8")))
    assert control.analysis.against is Kind.CONTROL


def test_a_stored_v4_result_reads_its_recorded_yardsticks():
    """A real schema-4 analysis (``make_v4``: one reference portrait, too few for his range)."""
    result = stored("v4_one_portrait")
    assert result.schema == 4 and result.metrics.face.references == 1  # type: ignore[union-attr]
    jaw = yardstick(result, "face.proportions.jaw_width.percent")
    assert jaw.words == "against the spread of other people (fewer than 2 portraits)"
    assert yardstick(result, "skin.delta_L").words == "against the spread of other people"
