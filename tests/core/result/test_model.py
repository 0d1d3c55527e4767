"""The typed result: JSON out and back, results stored by the previous schema, the judging
rule, and the descriptors every reader is built from — on real analyses of the sample shoot."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from twinproof.core.analysis import analyze_pair
from twinproof.core.policy import load_default_policy
from twinproof.core.result import (
    DESCRIPTORS,
    AnalysisResult,
    Category,
    DecodeError,
    Direction,
    Severity,
    Unmeasured,
    descriptor,
    judge,
    limits_text,
    unjoined,
)
from twinproof.core.result.judge import judged
from twinproof.paths import resource_path

STORED = Path(__file__).resolve().parents[2] / "data" / "results"


@cache
def sample(name: str) -> AnalysisResult:
    folder = resource_path("sample")
    return analyze_pair(folder / f"{name}_real.jpg", folder / f"{name}_twin.jpg").result


def test_json_round_trip_of_a_real_result_is_exact():
    result = sample("look03")
    data = result.to_json()
    assert json.loads(json.dumps(data)) == data  # plain JSON, nothing numpy or NaN left
    assert AnalysisResult.from_json(data) == result
    assert AnalysisResult.from_json(json.loads(json.dumps(data))).to_json() == data


def test_every_flag_names_the_measurement_it_judges_and_carries_its_number():
    for name in ("look02", "look03", "look05", "look06"):
        result = sample(name)
        assert result.flags, name
        assert unjoined(result) == []
        for flag in result.flags:
            assert flag.value == pytest.approx(judged(descriptor(flag.metric), result.value(flag.metric)))
            assert flag.category is descriptor(flag.metric).category


def test_a_damaged_result_says_where():
    data = sample("look03").to_json()
    data["metrics"]["face"]["iod_px"] = "wide"
    with pytest.raises(DecodeError, match=r"\$\.metrics\.face\.iod_px: expected a number"):
        AnalysisResult.from_json(data)
    data = sample("look03").to_json()
    data["flags"][0]["category"] = "beauty"
    with pytest.raises(DecodeError, match=r"flags\[0\]\.category"):
        AnalysisResult.from_json(data)
    with pytest.raises(DecodeError, match="update TwinProof"):
        AnalysisResult.from_json({**data, "schema": 99})


#: What the previous version flagged on each stored pair (category/region, severity).
V1_FLAGS = {
    "look02": {("colour.cast.magnitude", "fail")},
    "look03": {("face.changes.eyes.percent", "fail"), ("face.changes.lips.percent", "warn"),
               ("face.changes.nose.percent", "warn"), ("face.changes.brows.percent", "warn")},
    "look05": {("garment.delta_e00_median_colour", "fail")},
}


@pytest.mark.parametrize("name", ["look02", "look03", "look05"])
def test_a_stored_v1_result_is_upgraded_and_reads_as_it_was_judged(name):
    """Results stored by the previous version (schema 1, kept in tests/data/results) read with
    each flag joined to the measurement it judged, and as a fresh analysis judges them (look03's
    irises, enlarged with the eyes, now also warn: their rims are tracked since)."""
    stored = json.loads((STORED / f"v1_{name}.json").read_text())
    assert stored["schema"] == 1 and "metric" not in stored["flags"][0]
    old = AnalysisResult.from_json(stored)
    assert unjoined(old) == []
    assert {(f.metric, str(f.severity)) for f in old.flags} == V1_FLAGS[name]
    fresh = {(f.metric, str(f.severity)) for f in sample(name).flags}
    assert V1_FLAGS[name] <= fresh
    assert fresh - V1_FLAGS[name] <= {("face.changes.irises.percent", "warn")}
    for flag in old.flags:  # the v1 values were already the judged numbers
        assert flag.value == pytest.approx(judged(descriptor(flag.metric), old.value(flag.metric)), abs=1e-3)
    face = stored["metrics"]["face"]
    assert old.value("face.nme_percent.overall") == pytest.approx(100 * face["nme"]["overall"])
    assert old.value("alignment.confidence") == stored["registration"]["confidence"]


def test_a_grey_garment_hue_from_v1_becomes_a_reason():
    stored = json.loads((STORED / "v1_look05.json").read_text())
    stored["metrics"]["garment"].update(hue_shift_deg=None, hue_shift_reason="grey")
    result = AnalysisResult.from_json(stored)
    assert result.value("garment.hue_shift_deg") == Unmeasured("grey")


def test_a_result_without_thresholds_is_read_against_the_default_policy():
    stored = json.loads((STORED / "v1_look03.json").read_text())
    stored["policy"] = {"name": "brand", "version": "1"}
    result = AnalysisResult.from_json(stored)
    assert result.policy.limit("face", "change_fail_percent") == 10.0
    assert "kept no thresholds" in result.policy.source


@pytest.mark.parametrize(("path", "value", "expected"), [
    ("ssim.value", 0.71, None), ("ssim.value", 0.70, None), ("ssim.value", 0.69, Severity.WARN),
    ("ssim.value", 0.49, Severity.FAIL),
    ("face.changes.eyes.percent", -5.0, None), ("face.changes.eyes.percent", -5.1, Severity.WARN),
    ("face.changes.eyes.percent", 10.2, Severity.FAIL),
    ("garment.delta_e00_median_colour", 3.0, None), ("garment.delta_e00_median_colour", 6.5, Severity.FAIL),
])
def test_judging_is_strict_and_follows_the_direction(path, value, expected):
    flag = judge(path, value, load_default_policy(), "x", "m")
    assert (flag.severity if flag else None) is expected
    if flag:
        assert flag.metric == path
        assert flag.value == (abs(value) if "percent" in path else value)


def test_descriptors_point_at_real_policy_keys_and_are_unique():
    policy = load_default_policy()
    assert len({d.path for d in DESCRIPTORS}) == len(DESCRIPTORS)
    assert len({d.label for d in DESCRIPTORS}) == len(DESCRIPTORS)
    judged_categories = set()
    for d in DESCRIPTORS:
        assert d.explanation.endswith((".", "!", "?")), d.path
        if d.limits is not None:
            judged_categories.add(d.category)
    for d in DESCRIPTORS:
        for lim in (d.limits, d.shot_limits):
            if lim is None:
                continue
            assert policy.limit(lim.section, lim.warn) is not None, d.path
            if lim.fail:
                assert policy.limit(lim.section, lim.fail) is not None, d.path
    assert judged_categories >= set(Category) - {Category.IDENTITY}


def test_limits_are_written_one_way():
    policy = load_default_policy()
    assert limits_text(descriptor("ssim.value"), policy) == "warn <0.7 · fail <0.5"
    assert limits_text(descriptor("skin.ita_change"), policy) == "warn ±3 · fail ±6"
    assert limits_text(descriptor("colour.cast.magnitude"), policy) == "warn >2.5 · fail >5"
    assert descriptor("texture.ratio").limits.direction is Direction.MIN


def test_the_judging_rule_with_an_uncertainty():
    """Flagged only past the limit AND outside the uncertainty; "cannot judge" raises nothing;
    a finding capped at a warning is one."""
    from twinproof.core.result.judge import too_uncertain
    from twinproof.core.result.measurements import Uncertainty
    from twinproof.core.result.types import Mode

    policy = load_default_policy()
    path = "face.proportions.jaw_width.percent"  # new shot: warn ±4 · fail ±7

    def flag(value: float, pm: float, cannot: str | None = None, cap: str | None = None):
        return judge(path, value, policy, "jaw", "jaw", mode=Mode.NEW_SHOT,
                     uncertainty=Uncertainty(pm, 0.99, [], cannot, cap))

    assert flag(-9.0, 3.0).severity is Severity.FAIL
    assert "±3.0 uncertainty" in flag(-9.0, 3.0).message
    assert flag(-9.0, 9.5) is None  # past the limit, inside its uncertainty
    assert flag(-5.0, 3.0).severity is Severity.WARN
    assert flag(-9.0, 3.0, cap="two lights").severity is Severity.WARN
    assert flag(-30.0, 3.0, cannot="cannot be judged from these photographs: face 50 px wide") is None
    assert too_uncertain(descriptor(path), 7.5, policy, Mode.NEW_SHOT)
    assert not too_uncertain(descriptor(path), 6.5, policy, Mode.NEW_SHOT)
    assert too_uncertain(descriptor("texture.ratio"), 0.65, policy, Mode.NEW_SHOT)  # 1 − 0.65 < 0.4


def test_a_schema_2_result_reads_and_a_newer_one_says_update():
    """Schema 3 added the uncertainty; a v2 result (a stored v1 brought to v2) reads unchanged
    with none, and a result from a newer TwinProof asks for an update."""
    from twinproof.core.result.upgrade import _v1_to_v2

    v1 = json.loads((STORED / "v1_look02.json").read_text())
    v2 = _v1_to_v2(json.loads(json.dumps(v1)))
    assert v2["schema"] == 2
    result = AnalysisResult.from_json(v2)
    assert result.schema == 4 and result.uncertainty is None
    assert AnalysisResult.from_json(result.to_json()) == result
    with pytest.raises(DecodeError, match="made by a newer TwinProof \\(schema 5\\): update TwinProof"):
        AnalysisResult.from_json({**result.to_json(), "schema": 5})
