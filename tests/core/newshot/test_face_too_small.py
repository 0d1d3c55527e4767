"""A twin too small to hold a measurable face says so, with its size and what is needed, never "no
face found" (the detector finds nothing in a 24 px picture: the face is there, too small to see).

Known answers on a real photograph, the U.S. Navy portrait of Grace Hopper (512×600), scaled down:
to a 24 px long side the face cannot be measured (a face whose eyes are 24 px apart needs at least
29 px) nor identified (60 px); at 48 px the detector finds the face and says how small it is; a
photograph of a cup of coffee at full size has no face, and says so.
"""

from __future__ import annotations

import cv2
import numpy as np

from tests.core.photos import DATA, coffee, hopper, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.reading.face_size import SHAPE_FACE_PX
from twinproof.core.result import Unmeasured

REAL = DATA / "grace_hopper.jpg"


def _shrunk(long_side: int, path):
    arr = hopper()
    f = long_side / max(arr.shape[:2])
    size = (max(1, round(arr.shape[1] * f)), max(1, round(arr.shape[0] * f)))
    return save(np.ascontiguousarray(cv2.resize(arr, size, interpolation=cv2.INTER_AREA)), path)


def _reasons(result) -> dict[str, str]:
    m = result.metrics
    return {k: getattr(m, k).reason for k in ("face", "skin", "texture", "identity")
            if isinstance(getattr(m, k), Unmeasured)}


def test_a_24_px_twin_says_its_face_is_too_small(tmp_path):
    result = analyze_pair(REAL, _shrunk(24, tmp_path / "twin24.png")).result
    said = _reasons(result)
    assert SHAPE_FACE_PX == 29
    shape = "the face is too small to measure (the whole image is 20×24 px; at least 29 px needed) in the twin"
    assert said.get("face") == shape and said.get("skin") == shape and said.get("texture") == shape, said
    assert said.get("identity") == ("the face is too small to identify (the whole image is 20×24 px; at least 60 px "
                                    "needed) in the twin"), said
    assert not any("no face found" in r for r in said.values()), said
    assert result.verdict == "review" and {"face", "identity"} <= set(result.missing_required)


def test_a_face_the_detector_finds_says_its_own_size(tmp_path):
    said = _reasons(analyze_pair(REAL, _shrunk(48, tmp_path / "twin48.png")).result)
    assert said.get("face", "").startswith("face too small to measure (eyes "), said
    assert said.get("identity", "").startswith("face too small to identify: "), said


def test_a_picture_big_enough_with_no_face_still_says_no_face(tmp_path):
    said = _reasons(analyze_pair(REAL, save(coffee(), tmp_path / "coffee.png")).result)
    assert said.get("face", "").startswith("no face found") and said.get("identity", "").startswith("no face found"), \
        said


def test_a_24_px_control_frame_says_its_face_is_too_small_in_the_same_frame_steps(tmp_path):
    """The same frame's face and skin steps (a control frame is measured as a same frame) say it
    in the same words as a new shot's."""
    result = analyze_pair(REAL, _shrunk(24, tmp_path / "twin24.png"), control=True).result
    said = _reasons(result)
    shape = "the face is too small to measure (the whole image is 20×24 px; at least 29 px needed) in the twin"
    assert result.mode.value == "same_frame"
    assert said.get("face") == shape and said.get("skin") == shape, said
    assert said.get("identity", "").startswith("the face is too small to identify (the whole image is 20×24 px"), said
    assert not any("no face found" in r for r in said.values()), said
