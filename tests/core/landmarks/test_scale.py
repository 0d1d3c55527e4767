"""Coordinates survive scale and offset: the full-resolution crop path maps points exactly.

A 24 MP frame goes through the working copy (detectors, body) and the integer-shrunk face
region (mesh, iris); both must map back to the same places as on the original photograph.
"""

from __future__ import annotations

import cv2
import numpy as np

from tests.core.landmarks.refs import hopper
from twinproof.core.landmarks import LandmarkResult, detect_landmarks


def test_upscaled_8x_gives_8x_points(hopper_result: LandmarkResult) -> None:
    small = hopper_result.face
    assert small is not None and small.iris is not None
    big_img = cv2.resize(hopper(), (512 * 8, 600 * 8), interpolation=cv2.INTER_CUBIC)
    big = detect_landmarks(big_img, body=False)
    assert big.face is not None and big.face.iris is not None
    # pixel-index coordinates: centre of pixel i at scale 8 is 8 i + 3.5
    expected = small.points[:, :2] * 8 + 3.5
    errors = np.hypot(*(big.face.points[:, :2] - expected).T) / 8  # in original pixels
    assert np.median(errors) < 0.6 and errors.max() < 3.0
    iris_err = np.hypot(*(big.face.iris.left_iris[0, :2] - (small.iris.left_iris[0, :2] * 8 + 3.5)))
    assert iris_err / 8 < 0.6


def test_offset_on_a_canvas_shifts_the_body(hopper_result: LandmarkResult) -> None:
    body = hopper_result.body
    assert body is not None and body.mask is not None
    canvas = np.zeros((1000, 900, 3), np.uint8)
    canvas[150:750, 200:712] = hopper()
    moved = detect_landmarks(canvas)
    assert moved.body is not None and moved.body.mask is not None
    # the same person, framed differently, gives a slightly different body crop; the model is
    # precise to a few of its input pixels, so compare in those units
    seen = (body.visibility > 0.9) & (moved.body.visibility > 0.9)
    assert seen[[0, 2, 5, 11, 12]].all()
    shift = moved.body.points[:, :2] - body.points[:, :2] - (200, 150)
    error = np.hypot(*shift[seen].T) / max(body.pixel_scale, moved.body.pixel_scale)
    assert error.max() < 3.0, error
    mask = moved.body.mask.to_image_size()
    assert mask[150 + 250, 200 + 256] > 0.9 and mask[50, 50] < 0.05
