"""A photograph without a person gives no measurements, with reasons, and no exception."""

from __future__ import annotations

import numpy as np
from skimage import data

from twinproof.core.landmarks import detect_landmarks


def test_coffee_has_no_face_and_no_body() -> None:
    result = detect_landmarks(data.coffee())
    assert result.face is None and result.body is None
    assert result.faces_found == 0 and result.people_found == 0
    assert result.face_reason and "no face" in result.face_reason
    assert result.body_reason and "no person" in result.body_reason
    assert result.to_dict()["face"] is None


def test_blank_float_image() -> None:
    result = detect_landmarks(np.full((300, 200, 3), 0.5, np.float32))
    assert result.face is None and result.body is None
    assert result.image_size == (200, 300)
