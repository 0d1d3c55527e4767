"""What the audit reads from a stored result: generators from real Content Credentials,
skin-tone groups, the measurements joined across modes."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_a_stored_uncertainty_is_read_beside_its_value():
    """Where the typed result carries an uncertainty (issue 22), the audit weighs by it."""
    result = upgrade(json.loads((DATA / "results" / "v1_look03.json").read_text()))
    result["analysis"] = {**result.get("analysis", {}), "mode": "new_shot"}
    result["metrics"]["face"] = {"proportions": {"jaw_width": {"percent": -3.0, "text": "", "uncertainty": 2.5}}}
    result["metrics"]["skin"]["delta_L_uncertainty"] = 1.5
    f = pair_facts(1, "p", result)
    assert not f.control
    assert f.readings["face.proportions.jaw_width.percent"] == (-3.0, 2.5)
    assert f.readings["skin.delta_L"][1] == 1.5
    assert f.readings["skin.delta_hue_deg"][1] is None
