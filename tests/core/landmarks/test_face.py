"""The face mesh and irises land on the face: compared with points labelled by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.core.landmarks.refs import labels
from twinproof.core.landmarks import LandmarkResult
from twinproof.core.landmarks.topology import FACE_REGIONS


def _check_face(result: LandmarkResult, name: str) -> None:
    ref = labels(name)
    assert result.face is not None, result.face_reason
    points = result.face.points
    assert points.shape == (468, 3)
    tol = ref["face"]["tolerance_px"]
    errors = {
        key: float(np.hypot(*(points[p["mesh_index"], :2] - np.array(p["xy"]))))
        for key, p in ref["face"]["points"].items()
    }
    assert max(errors.values()) <= tol, errors


def _check_iris(result: LandmarkResult, name: str) -> None:
    ref = labels(name)["iris"]
    assert result.face is not None and result.face.iris is not None
    found = {"right_iris_center": result.face.iris.right_iris[0, :2],
             "left_iris_center": result.face.iris.left_iris[0, :2]}
    errors = {k: float(np.hypot(*(found[k] - np.array(p["xy"])))) for k, p in ref["points"].items()}
    assert max(errors.values()) <= ref["tolerance_px"], errors


def test_astronaut_mesh_matches_hand_labels(astronaut_result: LandmarkResult) -> None:
    _check_face(astronaut_result, "astronaut")


def test_hopper_mesh_matches_hand_labels(hopper_result: LandmarkResult) -> None:
    _check_face(hopper_result, "grace_hopper")


@pytest.mark.parametrize("name", ["astronaut", "grace_hopper"])
def test_iris_centres_match_hand_labels(
    name: str, astronaut_result: LandmarkResult, hopper_result: LandmarkResult
) -> None:
    _check_iris(astronaut_result if name == "astronaut" else hopper_result, name)


def test_face_result_is_complete_and_confident(hopper_result: LandmarkResult) -> None:
    face = hopper_result.face
    assert face is not None and face.iris is not None
    assert hopper_result.faces_found == 1 and hopper_result.people_found == 1
    assert face.presence > 0.9 and face.detection_score > 0.5
    assert face.iris.right_contour.shape == (71, 3) and face.iris.left_iris.shape == (5, 3)
    assert face.with_iris().shape == (478, 3)
    # the subject's right eye is on the image's left
    assert face.points[33, 0] < face.points[263, 0]
    assert 150 < face.crop.size < 450 and abs(face.crop.rotation) < 0.2
    # a plausible iris: ~11.7 mm across with the outer eye corners ~90 mm apart
    eye_span = float(np.linalg.norm(face.points[33, :2] - face.points[263, :2]))
    assert 0.09 < face.iris.iris_diameter("left") / eye_span < 0.25


def test_every_region_is_inside_the_face_oval(astronaut_result: LandmarkResult) -> None:
    face = astronaut_result.face
    assert face is not None
    oval = face.points[list(FACE_REGIONS["face_oval"]), :2]
    lo, hi = oval.min(0), oval.max(0)
    for region, idx in FACE_REGIONS.items():
        pts = face.points[list(idx), :2]
        assert np.all(pts >= lo - 1) and np.all(pts <= hi + 1), region


def test_to_dict_is_json(hopper_result: LandmarkResult) -> None:
    d = json.loads(json.dumps(hopper_result.to_dict()))
    assert d["face"]["count"] == 468 and len(d["face"]["points"]) == 468
    assert len(d["face"]["iris"]["left_iris"]) == 5
    assert len(d["body"]["landmarks"]) == 33
    assert {"faces_found", "people_found", "face_reason", "body_reason"} <= d.keys()
