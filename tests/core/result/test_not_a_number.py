"""A NaN in a measurement is "not measured", with which part and why, never a bare null that
makes the stored analysis unreadable - on real analyses of the sample shoot (tests/data/results).

JSON has no NaN. The result used to write one as null; the decoder then refused the whole
stored analysis ("expected a number, got None"), so a pair whose skin could not be read lost
every other measurement with it. Both directions are tested: what this release writes, and
what the previous release wrote (a null in place of the number) read back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from twinproof.core.result import AnalysisResult, DecodeError, Unmeasured, rows
from twinproof.core.result.codec import encode

STORED = Path(__file__).resolve().parents[2] / "data" / "results"
NAN = float("nan")


def stored(name: str = "v2_look03") -> AnalysisResult:
    return AnalysisResult.from_json(json.loads((STORED / f"{name}.json").read_text()))


def through_json(result: AnalysisResult) -> tuple[dict, AnalysisResult]:
    text = json.dumps(result.to_json(), allow_nan=False)  # strict JSON, as PostgreSQL's JSONB
    return json.loads(text), AnalysisResult.from_json(json.loads(text))


def test_a_nan_measurement_is_stored_as_not_measured_with_its_reason():
    result = stored()
    m = result.metrics
    nan_ssim = replace(result, metrics=replace(m, ssim=replace(m.ssim, value=NAN)))
    data, back = through_json(nan_ssim)
    assert data["metrics"]["ssim"] == {
        "value": None, "reason": "could not be measured: ssim.value came out as no number (NaN)"}
    assert back.metrics.ssim == Unmeasured("could not be measured: ssim.value came out as no number (NaN)")
    assert back.metrics.skin == m.skin and back.flags == result.flags  # the rest as it was
    row = next(r for r in rows(back) if r.path == "ssim.value")
    assert row.value is None and "no number" in row.reason  # every reader says why


def test_the_nearest_part_that_may_be_unmeasured_takes_the_nan():
    result = stored("v2_look04")
    skin = result.metrics.skin
    # a field that may itself be unmeasured: only it
    _, back = through_json(replace(result, metrics=replace(result.metrics, skin=replace(skin, ita_change=NAN))))
    assert back.metrics.skin.ita_change == Unmeasured(
        "could not be measured: ita_change came out as no number (NaN)")
    assert back.metrics.skin.ita_real == skin.ita_real
    # a number inside a list: the whole skin reading, naming the part
    lab = [skin.real_lab[0], float("inf"), skin.real_lab[2]]
    _, back = through_json(replace(result, metrics=replace(result.metrics, skin=replace(skin, real_lab=lab))))
    assert back.metrics.skin == Unmeasured("could not be measured: skin.real_lab[1] came out as no number (NaN)")
    # an optional number: absent, as None says (the field is left out)
    data, back = through_json(replace(result, metrics=replace(result.metrics, skin=replace(skin, hue_change=NAN))))
    assert "hue_change" not in data["metrics"]["skin"] and back.metrics.skin.hue_change is None


def test_a_null_written_by_the_previous_release_still_reads():
    """What the current release stored for a NaN SSIM, a NaN skin ITA and a NaN in the garment's
    Lab median (``encode`` wrote null): read as not measured, the rest intact."""
    data = json.loads((STORED / "v2_look03.json").read_text())
    data["metrics"]["ssim"]["value"] = None
    data["metrics"]["skin"]["ita_real"] = None
    data["metrics"]["garment"]["real_lab_median"][0] = None
    back = AnalysisResult.from_json(data)
    assert back.metrics.ssim == Unmeasured("could not be measured: ssim.value came out as no number (NaN)")
    assert back.metrics.skin == Unmeasured("could not be measured: skin.ita_real came out as no number (NaN)")
    assert back.metrics.garment == Unmeasured(
        "could not be measured: garment.real_lab_median[0] came out as no number (NaN)")
    assert back.metrics.texture == stored().metrics.texture
    assert AnalysisResult.from_json(json.loads(json.dumps(back.to_json()))) == back  # and round-trips


def test_a_null_where_nothing_may_be_unmeasured_is_still_refused_by_name():
    data = json.loads((STORED / "v2_look03.json").read_text())
    data["flags"][0]["value"] = None
    with pytest.raises(DecodeError, match=r"\$\.flags\[0\]\.value: expected a number"):
        AnalysisResult.from_json(data)


def test_a_nan_outside_any_measurement_is_written_as_null_and_strict_json():
    result = stored()
    flag = replace(result.flags[0], value=NAN)
    data = encode(replace(result, flags=[flag, *result.flags[1:]]))
    assert data["flags"][0]["value"] is None
    assert data["metrics"] == result.to_json()["metrics"]
    json.dumps(data, allow_nan=False)
