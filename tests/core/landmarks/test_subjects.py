"""Several people, and heads far from upright: the right subject is measured."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from tests.core.landmarks.refs import hopper
from twinproof.core.landmarks import LandmarkResult, detect_landmarks


def test_two_people_measure_the_larger_central_one() -> None:
    img = np.full((600, 1000, 3), 210, np.uint8)
    img[50:562, 300:812] = data.astronaut()
    img[250:550, 20:276] = cv2.resize(hopper(), (256, 300), interpolation=cv2.INTER_AREA)
    result = detect_landmarks(img)
    assert result.faces_found == 2 and result.people_found == 2
    assert result.face is not None and result.body is not None
    nose = result.face.points[1, :2]
    assert 480 < nose[0] < 560 and 150 < nose[1] < 200  # the astronaut, pasted at x+300, y+50
    assert np.hypot(*(result.body.point("nose")[:2] - nose)) < 15


@pytest.mark.parametrize("degrees", [30, 90, 180])
def test_rotated_head(degrees: int, hopper_result: LandmarkResult) -> None:
    assert hopper_result.face is not None
    m = cv2.getRotationMatrix2D((255.5, 299.5), degrees, 1.0)
    m[:, 2] += (200, 200)
    img = cv2.warpAffine(hopper(), m, (912, 1000), borderValue=(200, 200, 200))
    result = detect_landmarks(img)
    assert result.face is not None, result.face_reason
    expected = np.c_[hopper_result.face.points[:, :2], np.ones(468)] @ m.T
    errors = np.hypot(*(result.face.points[:, :2] - expected).T)
    assert np.median(errors) < 3.0
    for idx in (1, 33, 263, 61, 291):  # nose tip, eye corners, mouth corners
        assert errors[idx] < 6.0, (idx, errors[idx])
