"""Face mesh (468 points) and iris for one detected face, cut from full resolution.

Follows MediaPipe's face graphs: the first mesh crop comes from the detection (box centre, 1.5x
the longer box side, rotated so the eyes are level); a second pass re-crops from the first
mesh (its bounding box and the 33->263 eye line), which centres and levels the face the way the
model was trained, and its result is the one reported (repeated while the crop still turns
noticeably, which only happens for heads far from upright). Each eye is then cut out for the iris
model (2.3x the corner distance, corners level); the subject's left eye is mirrored because the
model was trained on right eyes.
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core.landmarks.facedetect import FaceDetection
from twinproof.core.landmarks.geometry import Crop, Pyramid, angle_of
from twinproof.core.landmarks.registry import ModelRegistry
from twinproof.core.landmarks.types import FaceLandmarks, IrisLandmarks

MESH_SIZE = 192
IRIS_SIZE = 64
MESH_SCALE = 1.5
IRIS_SCALE = 2.3
MIN_PRESENCE = 0.5
#: Re-crop from the mesh at most this often; again only while the crop still turns by more
#: than REFINE_AGAIN radians (a detector crop far from upright, e.g. a head upside down).
MAX_REFINEMENTS = 3
REFINE_AGAIN = math.radians(5)


def _nchw(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-80.0, min(80.0, x))))


def crop_from_detection(det: FaceDetection) -> Crop:
    """Mesh crop from a detection: box centre, 1.5x the longer side, eyes level."""
    rotation = angle_of(det.keypoints[0], det.keypoints[1])
    return Crop(det.center, MESH_SCALE * max(det.width, det.height), rotation)


def crop_from_mesh(points: np.ndarray) -> Crop:
    """Mesh crop from a previous mesh: its bounding box, the 33->263 line level."""
    lo, hi = points[:, :2].min(0), points[:, :2].max(0)
    centre = (float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2)
    return Crop(centre, MESH_SCALE * float(max(hi - lo)), angle_of(points[33], points[263]))


def run_mesh(pyr: Pyramid, crop: Crop, registry: ModelRegistry) -> tuple[np.ndarray, float]:
    """(468, 3) image points and the face-presence probability for one crop."""
    session = registry.session("face_landmark")
    x = pyr.extract(crop, MESH_SIZE, full=True)
    raw, flag = session.run(None, {session.get_inputs()[0].name: _nchw(x)})
    points = crop.to_image(raw.reshape(468, 3), MESH_SIZE)
    return points, _sigmoid(float(flag.ravel()[0]))


def eye_crop(points: np.ndarray, start: int, end: int) -> Crop:
    """Iris crop between two eye corners (MediaPipe's iris_landmark_landmarks_to_roi)."""
    a, b = points[start, :2], points[end, :2]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    centre = (float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2)
    return Crop(centre, IRIS_SCALE * float(max(hi - lo)), angle_of(a, b))


def run_iris(pyr: Pyramid, points: np.ndarray, registry: ModelRegistry) -> IrisLandmarks:
    """Iris and eye contours of both eyes from the face mesh."""
    session = registry.session("iris_landmark")
    name = session.get_inputs()[0].name
    found: dict[str, tuple[np.ndarray, np.ndarray, Crop]] = {}
    for side, (start, end, flip) in {"right": (33, 133, False), "left": (362, 263, True)}.items():
        crop = eye_crop(points, start, end)
        x = pyr.extract(crop, IRIS_SIZE, full=True, flip=flip)
        contour, iris = session.run(None, {name: _nchw(x)})
        found[side] = (
            crop.to_image(contour.reshape(71, 3), IRIS_SIZE, flipped=flip),
            crop.to_image(iris.reshape(5, 3), IRIS_SIZE, flipped=flip),
            crop,
        )
    return IrisLandmarks(
        right_iris=found["right"][1], left_iris=found["left"][1],
        right_contour=found["right"][0], left_contour=found["left"][0],
        right_crop=found["right"][2], left_crop=found["left"][2],
    )


FirstPass = tuple[Crop, np.ndarray, float]


def first_pass(pyr: Pyramid, det: FaceDetection, registry: ModelRegistry) -> FirstPass:
    """The mesh on the detection's crop: (crop, points, presence). Its presence also confirms
    or rejects the detection (detectors on small tiles do produce the odd false face)."""
    crop = crop_from_detection(det)
    points, presence = run_mesh(pyr, crop, registry)
    return crop, points, presence


def measure_face(
    pyr: Pyramid,
    det: FaceDetection,
    registry: ModelRegistry,
    *,
    iris: bool = True,
    first: FirstPass | None = None,
) -> tuple[FaceLandmarks | None, str | None]:
    """The mesh (and iris) of one detected face, or None and why."""
    crop, points, presence = first or first_pass(pyr, det, registry)
    for _ in range(MAX_REFINEMENTS):
        if presence < MIN_PRESENCE:
            break
        refined_crop = crop_from_mesh(points)
        refined, refined_presence = run_mesh(pyr, refined_crop, registry)
        if refined_presence < MIN_PRESENCE:
            break
        turned = abs(math.remainder(refined_crop.rotation - crop.rotation, 2 * math.pi))
        crop, points, presence = refined_crop, refined, refined_presence
        if turned < REFINE_AGAIN:
            break
    if presence < MIN_PRESENCE:
        return None, (
            f"a face was detected (score {det.score:.2f}) but the face mesh did not confirm it "
            f"(presence {presence:.2f} < {MIN_PRESENCE})"
        )
    eyes = run_iris(pyr, points, registry) if iris else None
    return FaceLandmarks(points, presence, det.score, det.detector, crop, eyes), None
