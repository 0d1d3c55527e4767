"""Same frame or new shot, decided from what the registration really found, on real photographs
with known answers: retouched copies stay one frame, another camera position or another shot
is compared person to person — and then no pixel comparison is made or flagged."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.result import Category, Mode, Unmeasured
from twinproof.paths import resource_path

SAMPLE = resource_path("sample")
FACES = Path(os.environ.get("TWINPROOF_FACES", Path(__file__).resolve().parents[3].parent / "shared" / "faces"))
needs_faces = pytest.mark.skipif(not (FACES / "master.csv").is_file(),
                                 reason=f"labelled faces not found at {FACES} (../shared/faces; set TWINPROOF_FACES)")
BURST = FACES.parent / "faces-more" / "ramiz" / "s1"
needs_burst = pytest.mark.skipif(not (BURST / "4.jpg").is_file(),
                                 reason=f"the burst photographs were not found at {BURST} (../shared/faces-more)")
PIXELS = {Category.STRUCTURE, Category.COLOUR, Category.ALIGNMENT}


@pytest.mark.parametrize("look", [f"look0{n}" for n in range(1, 7)])
def test_the_sample_twins_are_one_frame(look):
    result = analyze_pair(SAMPLE / f"{look}_real.jpg", SAMPLE / f"{look}_twin.jpg").result
    assert result.mode is Mode.SAME_FRAME, result.analysis.mode_reason
    assert result.registration is not None and "registered" in result.analysis.mode_reason


def _keystone(arr: np.ndarray, k: float) -> np.ndarray:
    h, w = arr.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * k, 0], [w * (1 - k), 0], [w, h], [0, h]])
    return cv2.warpPerspective(arr, cv2.getPerspectiveTransform(src, dst), (w, h), borderMode=cv2.BORDER_REFLECT)


@pytest.mark.parametrize("k", [0.02, 0.04, 0.06])
def test_a_keystone_of_an_unchanged_photo_never_fails_on_colour(tmp_path, k):
    """The camera moved: a similarity cannot lay one over the other, so the pair is compared
    person to person (it used to fail on a regional ΔE00 of 5.5 and a cast of 9.1)."""
    arr = PHOTOS["astronaut"]()
    result = analyze_pair(save(arr, tmp_path / "r.png"), save(_keystone(arr, k), tmp_path / "t.png")).result
    assert result.mode is Mode.NEW_SHOT and "perspective" in result.analysis.mode_reason
    assert not [f for f in result.flags if f.category in PIXELS]
    for name in ("ssim", "ms_ssim", "colour"):
        m = getattr(result.metrics, name)
        assert isinstance(m, Unmeasured) and m.not_applicable
    assert result.registration is None and result.metrics.identity.same_person


@pytest.mark.parametrize("rows", [460, 440])
def test_a_cropped_twin_reads_only_what_it_shows(tmp_path, rows):
    """The astronaut cropped above her hips: one frame (SSIM 1), and the body ratios that need
    the hips are not measured, where they used to fail as 'shoulders 15 % narrower'."""
    arr = PHOTOS["astronaut"]()
    result = analyze_pair(save(arr, tmp_path / "r.png"), save(arr[:rows], tmp_path / "t.png")).result
    assert result.mode is Mode.SAME_FRAME
    assert not [f for f in result.flags if f.category is Category.BODY_SHAPE], result.flags
    ratio = result.value("body.proportions.shoulder_to_hip")
    assert isinstance(ratio, Unmeasured) and "outside what the twin shows" in ratio.reason


def test_a_mirrored_portrait_is_a_new_shot_of_the_same_person(tmp_path):
    """No registration can lay a mirror image over the photograph: person to person, the same
    person, with nothing to flag (a face is nearly symmetric)."""
    arr = PHOTOS["hopper"]()
    result = analyze_pair(save(arr, tmp_path / "r.png"), save(np.ascontiguousarray(arr[:, ::-1]),
                                                               tmp_path / "t.png")).result
    assert result.mode is Mode.NEW_SHOT
    assert result.metrics.identity.same_person
    assert result.flags == [], result.flags
    assert result.verdict == "pass"
    assert abs(result.value("skin.ita_change")) < 2
    for name in ("eye_width", "nose_width", "jaw_width", "face_width"):
        assert abs(result.value(f"face.proportions.{name}.percent")) < 4, name


@needs_faces
def test_two_shots_of_one_person_are_compared_person_to_person():
    rows = [r for r in csv.DictReader((FACES / "master.csv").read_text().splitlines()) if r["Decision"] == "Yes"]
    row = rows[0]
    result = analyze_pair(FACES / row["file_x"], FACES / row["file_y"]).result
    assert result.mode is Mode.NEW_SHOT
    assert "another shot" in result.analysis.mode_reason
    assert not [f for f in result.flags if f.category in PIXELS]
    assert result.metrics.identity.same_person and "ssim" not in result.missing_required


@needs_burst
@pytest.mark.parametrize(("a", "b"), [("2", "4"), ("2", "5"), ("4", "5")])
def test_two_frames_of_a_burst_from_one_spot_are_two_shots(a, b):
    """Two photographs of one man taken from one spot, seconds apart (the people behind him
    moved, his head turned): the registration matches the still man over up to 30 % of the
    frame, but only 28-30 % of its matches agree, and the pictures laid over each other differ.
    2/4 used to be called one frame and measured pixel for pixel."""
    result = analyze_pair(BURST / f"{a}.jpg", BURST / f"{b}.jpg").result
    assert result.mode is Mode.NEW_SHOT, result.analysis.mode_reason
    assert "another shot" in result.analysis.mode_reason
    assert not [f for f in result.flags if f.category in PIXELS]


@needs_burst
def test_a_burst_frame_against_its_reencode_is_still_one_frame(tmp_path):
    """The agreement check only asks for the pixel check: a re-encoded frame still coincides."""
    from PIL import Image

    Image.open(BURST / "4.jpg").save(tmp_path / "4.jpg", quality=80)
    result = analyze_pair(BURST / "4.jpg", tmp_path / "4.jpg").result
    assert result.mode is Mode.SAME_FRAME, result.analysis.mode_reason


def test_eyes_enlarged_in_a_mirrored_portrait_are_caught(tmp_path, monkeypatch):
    """A new shot with a controlled edit: the mirrored portrait with both eyes enlarged 16 %.
    Each image's own meshes barely see it; the eyes followed by optical flow into the twin's
    face, laid on the real's by the two meshes, do (the unedited mirror: within 4 %)."""
    from tests.core.fidelity import cases

    arr = PHOTOS["hopper"]()
    mirror = np.ascontiguousarray(arr[:, ::-1])
    monkeypatch.setitem(PHOTOS, "hopper_mirrored", lambda: mirror)  # never left behind for other tests
    twin = cases.eyes("hopper_mirrored", mirror.copy(), 16)
    result = analyze_pair(save(arr, tmp_path / "r.png"), save(twin, tmp_path / "t.png")).result
    assert result.mode is Mode.NEW_SHOT
    change = result.value("face.proportions.eye_width.percent")
    assert 10 < change < 22, change
    assert "optical flow" in result.metrics.face.method
    flag = next(f for f in result.flags if f.metric == "face.proportions.eye_width.percent")
    assert "wider" in flag.message
