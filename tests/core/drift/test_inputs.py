"""What the audit reads from a stored result: generators from real Content Credentials,
skin-tone groups, the measurements joined across modes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA
from twinproof.core.drift.inputs import generator_of, pair_facts, skin_tone_groups
from twinproof.core.result.upgrade import upgrade

C2PA = Path(__file__).resolve().parents[3].parent / "shared" / "c2pa"


@pytest.mark.skipif(not (C2PA / "C.jpg").is_file(), reason="../shared/c2pa is absent")
def test_the_generator_is_read_from_valid_credentials_only():
    from twinproof.export.provenance import available, read_credentials

    if not available():
        pytest.skip("c2pa-python is not installed")
    assert generator_of({"provenance": read_credentials(C2PA / "C.jpg")}) == "Make Test Images 0.33.1"
    assert generator_of({"provenance": read_credentials(C2PA / "CA.jpg")}) == "make_test_images 0.33.1"
    assert generator_of({"provenance": read_credentials(C2PA / "E-sig-CA.jpg")}) is None  # invalid signature
    assert generator_of({"provenance": read_credentials(C2PA / "XCA.jpg")}) is None  # changed after signing
    assert generator_of({"provenance": read_credentials(C2PA / "no_manifest.jpg")}) is None


def test_a_stored_same_frame_result_is_read_as_a_control():
    result = upgrade(json.loads((DATA / "results" / "v1_look03.json").read_text()))
    f = pair_facts(1, "look03", result, talent="Ana")
    assert f.control and f.mode == "same_frame"
    assert f.readings["face.proportions.jaw_width.percent"] == (0.28, None)  # face.changes.jaw
    assert f.readings["skin.delta_L"][0] == pytest.approx(result["metrics"]["skin"]["delta_L"])
    assert f.readings["texture.ratio"][0] == pytest.approx(100 * (result["metrics"]["texture"]["ratio"] - 1))
    assert "identity.distance" not in f.readings  # a same frame has no same-person yardstick
    assert f.skin_lightness == pytest.approx(result["metrics"]["skin"]["real_lab"][0])


def test_skin_tone_groups_are_thirds_of_the_cast_by_their_real_photos():
    def facts(talent, lightness):
        return pair_facts(0, "", {"metrics": {"skin": {"real_lab": [lightness, 10, 15]}}}, talent=talent)
    groups = skin_tone_groups([facts("A", 80), facts("B", 70), facts("C", 60), facts("D", 45), facts("D", 55),
                               facts("E", 40), facts("F", 75)])
    assert groups == {"A": "lighter third", "F": "lighter third", "B": "middle third", "C": "middle third",
                      "D": "darker third", "E": "darker third"}
    assert set(skin_tone_groups([facts("A", 80), facts("B", 50)]).values()) == {"lighter half", "darker half"}


def test_a_stored_uncertainty_is_read_from_the_result_as_a_sigma():
    """Where the typed result carries an uncertainty (schema 3, issue 22), the audit weighs by
    it: its ± at the stated confidence, as one standard deviation in the audit's unit."""
    result = upgrade(json.loads((DATA / "results" / "v1_look03.json").read_text()))
    result["analysis"] = {**result.get("analysis", {}), "mode": "new_shot"}
    result["metrics"]["face"] = {"proportions": {"jaw_width": {"percent": -3.0, "text": ""}}}
    result["uncertainty"] = {
        "face.proportions.jaw_width.percent": {"plus_minus": 2.576, "confidence": 0.99, "why": []},
        "skin.delta_L": {"plus_minus": 1.96, "confidence": 0.95, "why": []},
        "skin.hue_change": {"plus_minus": 5.152, "confidence": 0.99, "why": []},
        "texture.ratio": {"plus_minus": 0.0515, "confidence": 0.99, "why": []},
    }
    f = pair_facts(1, "p", result)
    assert not f.control
    assert f.readings["face.proportions.jaw_width.percent"] == (-3.0, pytest.approx(1.0, abs=1e-3))
    assert f.readings["skin.delta_L"][1] == pytest.approx(1.0, abs=1e-3)
    hue = f.readings.get("skin.delta_hue_deg")
    assert hue is None or hue[1] == pytest.approx(2.0, abs=1e-3)  # the hue read under its own name
    assert f.readings["texture.ratio"][1] == pytest.approx(2.0, abs=1e-2)  # 100·(ratio − 1) %
    del result["uncertainty"]
    assert pair_facts(1, "p", result).readings["skin.delta_L"][1] is None  # before schema 3: none


@pytest.mark.slow
@pytest.mark.skipif(not (C2PA.parent / "faces-more" / "ramiz" / "s1" / "7.jpg").is_file(),
                    reason="../shared/faces-more is absent")
def test_a_real_new_shot_is_weighed_by_its_own_uncertainty():
    """A distance shot against a selfie of one man: the analysis's own ± reaches the audit."""
    from twinproof.core.analysis import analyze_pair

    s1 = C2PA.parent / "faces-more" / "ramiz" / "s1"
    result = analyze_pair(s1 / "1.jpg", s1 / "7.jpg").to_dict()
    f = pair_facts(1, "p", upgrade(result))
    jaw = f.readings["face.proportions.jaw_width.percent"]
    stored = result["uncertainty"]["face.proportions.jaw_width.percent"]
    assert jaw[1] == pytest.approx(stored["plus_minus"] / 2.5758, rel=1e-3)


def test_a_new_shot_with_references_is_read_along_her_own_edit_directions():
    """A real new-shot result analysed with three reference portraits (faces img1 → img2, her
    img4–6 the references): the jaw and face width are the identity model's edit-equivalent
    readings with their own ±; eye width stays the mesh's. Without its ± the mesh is read."""
    from twinproof.core.drift.measures import uncertainty_at

    result = upgrade(json.loads((DATA / "results" / "v3_newshot_references.json").read_text()))
    f = pair_facts(1, "p", result)
    jaw = "face.proportions.jaw_width.percent"
    assert f.readings[jaw] == (0.76, uncertainty_at(result["uncertainty"], "face.identity_edits.jaw_width.percent"))
    assert f.readings[jaw][1] == pytest.approx(7.289 / 2.5758, abs=1e-3)
    assert f.sources == {jaw: "face.identity_edits.jaw_width.percent",
                         "face.proportions.face_width.percent": "face.identity_edits.face_width.percent"}
    stripped = json.loads(json.dumps(result))
    del stripped["uncertainty"]["face.identity_edits.jaw_width.percent"]
    g = pair_facts(1, "p", stripped)
    mesh = result["metrics"]["face"]["proportions"]["jaw_width"]["percent"]
    assert jaw not in g.sources and g.readings[jaw][0] == mesh


def test_pairs_from_two_measures_are_weighed_by_what_they_know_of_the_edit():
    """One measurement, two measures: identity readings (± 3 %, following 87 % of an edit)
    read −3.5 in 20 pairs; two mesh readings (± 1 %, following a quarter) read +0.5. Weighed by
    ± alone the two mesh pairs would count as 6 identity pairs; by response ÷ ± they count as
    what they know of the edit, and the words say which measure read how many pairs."""
    from twinproof.core.drift import AuditSettings, DriftInput, audit_drift
    from twinproof.core.drift.words import drift_sentence

    jaw, ident = "face.proportions.jaw_width.percent", "face.identity_edits.jaw_width.percent"
    rng = np.random.default_rng(3)
    inputs = [DriftInput(jaw, float(-3.5 + rng.normal(0, 3)), 3.0, i, f"p{i}", source=ident) for i in range(20)]
    inputs += [DriftInput(jaw, 0.5 + 0.1 * i, 1.0, 100 + i, f"m{i}") for i in range(2)]
    (d,) = [d for d in audit_drift(inputs, AuditSettings()).drifts if d.metric == jaw]
    assert d.sources == {jaw: 2, ident: 20}
    weights = 1.0 / d.spreads * d.series.responses(jaw)
    assert weights[-1] / weights[0] == pytest.approx((0.25 / 1.0) / (0.87 / 3.0))
    assert "identity model along the talent's own edit directions (reference portraits) in 20 of 22 pairs" \
        in drift_sentence(d)
    assert [p.source for p in d.points][-2:] == ["", ""]
