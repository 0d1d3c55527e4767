"""Identity inside the pair analysis and the review record: ``metrics.identity`` and its flag on
real photographs with known answers, and likeness to a talent's reference portraits."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import cv2
import pytest

from tests.core.photos import PHOTOS, jpeg_roundtrip, save
from twinproof import review
from twinproof.core.analysis import analyze_pair
from twinproof.core.identity.likeness import TalentReferences
from twinproof.core.identity.portrait import read_portrait
from twinproof.core.result import Category, Severity, Unmeasured
from twinproof.paths import resource_path

SAMPLE = resource_path("sample")


@cache
def _files(tmp: str) -> dict[str, str]:
    from pathlib import Path

    out = {}
    for name in ("astronaut", "hopper"):
        out[name] = str(save(PHOTOS[name](), Path(tmp) / f"{name}.png"))
        out[f"{name}-q70"] = str(save(jpeg_roundtrip(PHOTOS[name](), 70), Path(tmp) / f"{name}-q70.png"))
    tiny = cv2.resize(PHOTOS["astronaut"](), (90, 90), interpolation=cv2.INTER_AREA)
    out["astronaut-tiny"] = str(save(tiny, Path(tmp) / "tiny.png"))
    return out


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return _files(str(tmp_path_factory.mktemp("identity")))


def test_the_same_person_re_encoded_is_the_same_person(files):
    result = analyze_pair(files["hopper"], files["hopper-q70"]).result
    identity = result.metrics.identity
    assert identity.same_person and identity.distance < identity.threshold and identity.call == "same person"
    assert not [f for f in result.flags if f.category is Category.IDENTITY]
    assert identity.real.face_size_px > 100 and abs(identity.twin.yaw_deg) < 20


def test_an_idealised_face_moves_identity_but_stays_the_person():
    result = analyze_pair(SAMPLE / "look03_real.jpg", SAMPLE / "look03_twin.jpg").result
    assert result.metrics.identity.same_person
    assert 0.1 < result.metrics.identity.distance < result.metrics.identity.threshold


def test_another_person_fails_on_identity(files):
    result = analyze_pair(files["astronaut"], files["hopper"]).result
    identity = result.metrics.identity
    assert not identity.same_person and identity.distance > identity.threshold
    flag = next(f for f in result.flags if f.metric == "identity.distance")
    assert flag.severity is Severity.FAIL and flag.category is Category.IDENTITY
    assert "not the same person" in flag.message and result.verdict == "fail"
    assert identity.call == "not the same person" and identity.distance > identity.different_threshold


def test_a_face_too_small_to_trust_is_not_measured_and_asks_for_review(files):
    result = analyze_pair(files["astronaut-tiny"], files["astronaut-tiny"]).result
    identity = result.metrics.identity
    assert isinstance(identity, Unmeasured)
    assert "at least 60 px" in identity.reason or "no face" in identity.reason
    assert "identity" in result.missing_required and result.verdict == "review"


def test_likeness_to_the_linked_talent_and_a_wrong_link(tmp_path, files):
    store = review.open_store(tmp_path / "t.shoot", reviewer="ann")
    try:
        review.add_talent(store, "Grace Hopper")
        review.add_talent(store, "Eileen Collins")
        for talent, path in (("Grace Hopper", files["hopper"]), ("Grace Hopper", files["hopper-q70"]),
                             ("Eileen Collins", files["astronaut"])):
            found = read_portrait(path)
            review.add_reference(store, talent, path, review.hash_file(path), found.descriptor.tolist(),
                                 found.model, found.chip.quality())
        hopper = review.talent_references(store, review.get_talent(store, "Grace Hopper").id)
        collins = review.talent_references(store, review.get_talent(store, "Eileen Collins").id)
    finally:
        store.close()
    assert isinstance(hopper, TalentReferences) and len(hopper.descriptors) == 2
    right = analyze_pair(SAMPLE / "look02_real.jpg", SAMPLE / "look02_twin.jpg", talent=hopper).result
    talent = right.metrics.identity.talent
    assert talent.same_person and talent.references == 2 and talent.name == "Grace Hopper"
    assert talent.own_spread is not None and talent.nearest < right.metrics.identity.threshold
    wrong = analyze_pair(SAMPLE / "look02_real.jpg", SAMPLE / "look02_twin.jpg", talent=collins).result
    flag = next(f for f in wrong.flags if f.metric == "identity.talent.nearest")
    assert flag.severity is Severity.FAIL and "not Eileen Collins" in flag.message
    assert wrong.metrics.identity.same_person  # the twin is still the person in its real photograph


def test_reference_portraits_from_the_command_line(tmp_path, files):
    db = tmp_path / "c.shoot"
    review.open_store(db).close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "twinproof", "talent", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=120)

    assert run("add", "Grace Hopper").returncode == 0
    added = run("reference", "add", "Grace Hopper", files["hopper"], files["astronaut"], str(tmp_path))
    assert added.returncode == 1  # the folder is not an image: said, the rest added
    lines = added.stdout.splitlines()
    assert "reference #1 of Grace Hopper" in lines[0]
    assert "warning" in added.stdout and "check it is the same person" in added.stdout
    assert "not added" in added.stdout
    listed = run("reference", "list", "Grace Hopper")
    assert listed.returncode == 0 and listed.stdout.count("face_identity_resnet") == 2
    assert run("reference", "remove", "2").returncode == 0
    assert run("reference", "list", "Grace Hopper").stdout.count("face_identity_resnet") == 1
