"""Typed landmark results: numpy arrays in full-image pixel coordinates, plus JSON forms.

All points are in the full image's pixel-index coordinates ((0, 0) = centre of the top-left
pixel, x right, y down; see ``geometry.py``). ``z`` is the models' relative depth, scaled to
image pixels like x and y (smaller = nearer the camera); it is useful for ordering points, not
as a measurement. "Left"/"right" are always the *subject's* (a subject facing the camera has
their right eye on the image's left), as in MediaPipe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from twinproof.core.landmarks.geometry import Crop
from twinproof.core.landmarks.topology import POSE_LANDMARK_NAMES


def _pts(a: np.ndarray, digits: int = 2) -> list[list[float]]:
    return np.round(a.astype(np.float64), digits).tolist()


@dataclass(frozen=True)
class IrisLandmarks:
    """Iris and eye-contour points of both eyes (iris model, 64 px eye crops).

    ``right_iris`` / ``left_iris`` (5, 3): centre, then four points on the iris rim.
    ``right_contour`` / ``left_contour`` (71, 3): eyelid contour, halos and brow points in the
    order of ``topology.EYE_CONTOUR_TO_MESH_*``.
    """

    right_iris: np.ndarray
    left_iris: np.ndarray
    right_contour: np.ndarray
    left_contour: np.ndarray
    right_crop: Crop
    left_crop: Crop

    def iris_diameter(self, side: str) -> float:
        """Mean rim-to-rim diameter (image pixels) of the ``"left"`` or ``"right"`` iris."""
        rim = (self.left_iris if side == "left" else self.right_iris)[1:, :2]
        return float((np.linalg.norm(rim[0] - rim[2]) + np.linalg.norm(rim[1] - rim[3])) / 2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "right_iris": _pts(self.right_iris),
            "left_iris": _pts(self.left_iris),
            "right_contour": _pts(self.right_contour),
            "left_contour": _pts(self.left_contour),
            "right_crop": self.right_crop.to_dict(),
            "left_crop": self.left_crop.to_dict(),
        }


@dataclass(frozen=True)
class FaceLandmarks:
    """The 468-point face mesh of the main face.

    ``points`` (468, 3) x, y, z. ``presence`` is the mesh model's face-presence probability on
    the final crop; ``detection_score`` the detector's score for this face (``detector`` says
    which found it: ``"short"``, ``"full"`` or ``"body"`` for the head region of the body).
    """

    points: np.ndarray
    presence: float
    detection_score: float
    detector: str
    crop: Crop
    iris: IrisLandmarks | None = None

    @property
    def pixel_scale(self) -> float:
        """Image pixels per face-model input pixel: the resolution the mesh was measured at."""
        return self.crop.size / 192

    def with_iris(self) -> np.ndarray:
        """(478, 3) in MediaPipe's "refined" layout: 468 mesh points, then the right iris
        (468-472) and the left iris (473-477), centre first. Needs ``iris``."""
        if self.iris is None:
            raise ValueError("no iris landmarks were measured for this face")
        return np.concatenate([self.points, self.iris.right_iris, self.iris.left_iris])

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": len(self.points),
            "points": _pts(self.points),
            "presence": round(self.presence, 4),
            "detection_score": round(self.detection_score, 4),
            "detector": self.detector,
            "crop": self.crop.to_dict(),
            "pixel_scale": round(self.pixel_scale, 3),
            "iris": self.iris.to_dict() if self.iris is not None else None,
        }


@dataclass(frozen=True)
class PersonMask:
    """The body model's person segmentation, mapped back onto the image at reduced size.

    ``mask`` (h, w) float32 probabilities in [0, 1], covering the whole image at ``scale``
    mask pixels per image pixel (``mask.shape`` = round(image size * scale)); mask pixel index
    r maps to image pixel index (r + 0.5) / scale - 0.5. Zero outside the body model's crop.
    """

    mask: np.ndarray
    scale: float
    image_size: tuple[int, int]

    def to_image_size(self) -> np.ndarray:
        """The mask resized (bilinear) to the full image, (height, width) float32."""
        return cv2.resize(self.mask, self.image_size, interpolation=cv2.INTER_LINEAR)

    def to_dict(self) -> dict[str, Any]:
        return {"shape": list(self.mask.shape), "scale": round(self.scale, 6),
                "coverage": round(float(self.mask.mean()), 4)}


@dataclass(frozen=True)
class BodyLandmarks:
    """The 33 BlazePose landmarks of the main person (names in ``topology.POSE_LANDMARK_NAMES``).

    ``points`` (33, 3); ``visibility`` (33,) probability the point is visible (not occluded);
    ``presence`` (33,) probability it is inside the frame; ``score`` the pose-presence
    probability on the final crop; ``world`` (33, 3) metres, hips-centred (model estimate).
    """

    points: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    score: float
    crop: Crop
    world: np.ndarray
    mask: PersonMask | None = None

    @property
    def pixel_scale(self) -> float:
        """Image pixels per body-model input pixel. The model is precise to 1-3 input pixels,
        so this is the points' natural resolution: small for a full-length figure, large
        (5-8 px on a 600-px portrait) when the body crop must extend far beyond the frame."""
        return self.crop.size / 256

    def point(self, name: str) -> np.ndarray:
        """One landmark by its MediaPipe name, e.g. ``"left_shoulder"``."""
        return self.points[POSE_LANDMARK_NAMES.index(name)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "count": len(self.points),
            "score": round(self.score, 4),
            "crop": self.crop.to_dict(),
            "pixel_scale": round(self.pixel_scale, 3),
            "landmarks": [
                {"name": name, "x": round(float(p[0]), 2), "y": round(float(p[1]), 2),
                 "z": round(float(p[2]), 2), "visibility": round(float(v), 4),
                 "presence": round(float(q), 4)}
                for name, p, v, q in zip(
                    POSE_LANDMARK_NAMES, self.points, self.visibility, self.presence, strict=True
                )
            ],
            "mask": self.mask.to_dict() if self.mask is not None else None,
        }


@dataclass(frozen=True)
class LandmarkResult:
    """Everything measured on one image. ``face``/``body`` are None with a reason when absent.

    ``faces_found``: faces the detectors found (the mesh is measured on the main one: largest,
    nearest the centre). ``people_found``: faces found, plus one if the body model found a
    person whose head matches no detected face (a subject turned away); the body model measures
    one person, so people without a visible face beyond that are not counted.
    """

    image_size: tuple[int, int]
    face: FaceLandmarks | None
    body: BodyLandmarks | None
    faces_found: int
    people_found: int
    face_reason: str | None = None
    body_reason: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "image_size": list(self.image_size),
            "coordinates": "full-image pixels, (0, 0) = centre of the top-left pixel",
            "faces_found": self.faces_found,
            "people_found": self.people_found,
            "face": self.face.to_dict() if self.face is not None else None,
            "face_reason": self.face_reason,
            "body": self.body.to_dict() if self.body is not None else None,
            "body_reason": self.body_reason,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
