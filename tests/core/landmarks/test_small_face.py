"""A face small in a large frame (a full-length-style composition) is still found and measured.

The astronaut is pasted at 1:1 into a 2400x3200 plain canvas, so her face is ~5 % of the frame
width and ~12 px on the detectors' whole-frame input. Hand labels shift with the paste offset.
"""

from __future__ import annotations

import numpy as np
import pytest
from skimage import data

from tests.core.landmarks.refs import labels
from twinproof.core.landmarks import detect_landmarks

OFFSET = (900, 1400)  # x, y of the pasted photo's top-left pixel


@pytest.fixture(scope="module")
def canvas() -> np.ndarray:
    img = np.full((3200, 2400, 3), 235, np.uint8)
    x, y = OFFSET
    img[y:y + 512, x:x + 512] = data.astronaut()
    return img


def test_small_face_is_found_and_lands_on_the_labels(canvas: np.ndarray) -> None:
    result = detect_landmarks(canvas)
    assert result.face is not None, result.face_reason
    assert result.faces_found == 1
    ref = labels("astronaut")["face"]
    for key, p in ref["points"].items():
        expected = np.array(p["xy"]) + OFFSET
        error = float(np.hypot(*(result.face.points[p["mesh_index"], :2] - expected)))
        assert error <= ref["tolerance_px"] + 1.0, (key, error)


def test_float_input_gives_the_same_points(canvas: np.ndarray) -> None:
    a = detect_landmarks(canvas, body=False, iris=False)
    b = detect_landmarks(canvas.astype(np.float32) / 255, body=False, iris=False)
    assert a.face is not None and b.face is not None
    assert np.max(np.abs(a.face.points[:, :2] - b.face.points[:, :2])) < 0.5
