"""The shoot audit's skin-tone groups come from the talents' reference portraits where they
have them (the skin each portrait's reading keeps when it is added), else from the shoot's real
photos — and the audit says which. The portrait's skin reading is the core's own, checked on a
real portrait lightened by a known amount."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import DATA
from tests.core.fidelity import cases
from tests.core.photos import PHOTOS, save
from tests.review.test_cli import run
from twinproof import review
from twinproof.core.drift.inputs import pair_facts, skin_tone_groups, skin_tone_origins
from twinproof.core.portrait_skin import portrait_skin
from twinproof.review.drift_source import audit_shoot, reference_skin


def test_a_portraits_skin_reading_follows_a_known_lightening(tmp_path):
    """Grace Hopper's portrait, and the same with her face skin lightened by ΔL* +10 (the
    tests' own edit): the reading moves by most of it; a greyscale copy has no skin colour."""
    base = PHOTOS["hopper"]()
    plain = portrait_skin(save(base, tmp_path / "plain.png"))
    light = portrait_skin(save(np.ascontiguousarray(cases.lighten("hopper", base.copy(), 10.0)), tmp_path / "l.png"))
    assert 7.0 < light["skin_lab"][0] - plain["skin_lab"][0] < 11.0, (plain, light)
    grey = np.repeat(base.mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8)
    assert "skin_reason" in portrait_skin(save(grey, tmp_path / "grey.png"))
    assert "skin_reason" in portrait_skin(tmp_path / "missing.png")


def test_reference_portraits_decide_a_talents_group_over_the_shoots_light():
    """C's real photos in the shoot read light (L* 78) but her reference portraits dark (L* 42):
    her group is the darker third; A and B keep their shoot photos, and the origins say so."""
    def facts(talent, lightness):
        return pair_facts(0, "", {"metrics": {"skin": {"real_lab": [lightness, 10, 15]}}}, talent=talent)
    shoot = [facts("A", 70), facts("B", 60), facts("C", 78)]
    assert skin_tone_groups(shoot)["C"] == "lighter third"
    refs = {"C": (42.0, 3), "Z": (10.0, 2)}  # Z: not in this shoot
    assert skin_tone_groups(shoot, refs) == {"A": "lighter third", "B": "middle third", "C": "darker third"}
    assert skin_tone_origins(shoot, refs) == {"A": "the talent's real photos in this shoot (1)",
                                              "B": "the talent's real photos in this shoot (1)",
                                              "C": "the talent's reference portraits (3)"}


def test_the_cli_keeps_each_portraits_skin_and_the_audit_reads_it(capsys, store, db_url, tmp_path):
    """``talent reference add`` on real portraits keeps their skin reading; the audit of a shoot
    whose talent has them reads her tone from them and says so, the other talent's from the
    shoot's real photos."""
    portraits = [save(PHOTOS[n](), tmp_path / f"{n}.png") for n in ("hopper", "astronaut")]
    review.add_talent(store, "Grace")
    review.add_talent(store, "Eileen")
    code, out, _ = run(capsys, "talent", "reference", "add", "Grace", str(portraits[0]), "--db", db_url)
    assert code == 0, out
    (ref,) = review.list_references(store, "Grace")
    expected = portrait_skin(portraits[0])["skin_lab"]
    assert ref.quality["skin_lab"] == pytest.approx(expected)
    shoot = review.create_shoot(store, "SS27")
    result = review.RecordedAnalysis.from_json(json.loads((DATA / "results" / "v1_look02.json").read_text()))
    for i, talent in enumerate(("Grace", "Eileen")):
        real, twin = tmp_path / f"r{i}.jpg", tmp_path / f"t{i}.jpg"
        real.write_bytes(b"real %d" % i)
        twin.write_bytes(b"twin %d" % i)
        pair = review.make_pair(store, shoot.id, str(real), str(twin), f"look{i:02d}")
        review.link_talent(store, [pair.id], talent)
        review.store_analysis(store, pair.id, result)
    assert reference_skin(store, {"Grace", "Eileen"}) == {"Grace": (pytest.approx(expected[0]), 1)}
    _, audit = audit_shoot(store, "SS27", by="skin-tone")
    assert audit.origins["skin_tone"] == {"Eileen": "the talent's real photos in this shoot (1 photograph)",
                                          "Grace": "the talent's reference portraits (1)"}
    assert audit.skin_lightness["Grace"] == pytest.approx(expected[0])
