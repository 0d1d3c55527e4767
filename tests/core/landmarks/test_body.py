"""The body model finds shoulders and elbows, and its mask covers the person."""

from __future__ import annotations

import numpy as np

from tests.core.landmarks.refs import labels
from twinproof.core.landmarks import LandmarkResult
from twinproof.core.landmarks.topology import POSE_LANDMARK_NAMES


def test_astronaut_shoulders_and_elbows(astronaut_result: LandmarkResult) -> None:
    body = astronaut_result.body
    assert body is not None, astronaut_result.body_reason
    assert body.points.shape == (33, 3) and body.visibility.shape == (33,)
    assert body.score > 0.9
    for name, ref in labels("astronaut")["body"]["points"].items():
        if ref.get("hidden"):
            continue  # a hidden joint has no point to measure against: see its geometry below
        error = float(np.hypot(*(body.point(name)[:2] - np.array(ref["xy"]))))
        assert error <= ref["tolerance_px"], (name, error)
    for name in ("left_shoulder", "right_shoulder"):
        assert body.visibility[POSE_LANDMARK_NAMES.index(name)] > 0.9
    # The elbows are hidden by the suit and the helmet. Each must hang below its own shoulder
    # by a plausible upper-arm length (1-2 face heights) and stay on its own side of the body
    # (an arm hanging down, not a point on the chest).
    face_height = 100.0  # chin to hairline on this photo, about y 65-165
    right, left = body.point("right_shoulder")[:2], body.point("left_shoulder")[:2]
    quarter = 0.25 * float(np.hypot(*(left - right)))
    for side, shoulder in (("left", left), ("right", right)):
        elbow = body.point(f"{side}_elbow")[:2]
        drop = elbow[1] - shoulder[1]
        assert face_height <= drop <= 2 * face_height, (side, drop)
        outward = elbow[0] - shoulder[0] if side == "left" else shoulder[0] - elbow[0]
        assert outward >= -quarter, (side, outward)


def test_body_and_face_are_the_same_person(astronaut_result: LandmarkResult) -> None:
    body, face = astronaut_result.body, astronaut_result.face
    assert body is not None and face is not None
    nose_body, nose_face = body.point("nose")[:2], face.points[1, :2]
    assert np.hypot(*(nose_body - nose_face)) < 15
    # the subject's left shoulder is on the image's right
    assert body.point("left_shoulder")[0] > body.point("right_shoulder")[0]


def test_person_mask_covers_the_person_not_the_background(hopper_result: LandmarkResult) -> None:
    body = hopper_result.body
    assert body is not None and body.mask is not None
    mask = body.mask
    assert mask.image_size == (512, 600) and mask.mask.dtype == np.float32
    full = mask.to_image_size()
    assert full.shape == (600, 512)
    assert full[250, 256] > 0.9  # her face
    assert full[450, 256] > 0.9  # her uniform
    assert full[40, 40] < 0.1 and full[100, 480] < 0.1  # flag, sky
