"""Landmarks found on a DCT-scaled decode, put back in the full-resolution frame.

A 24 MP JPEG is decoded at ½ (or less) for the working size; its face and body are large, so
the models see the same input (their crops are shrunk to 192/256 px either way) and the points
only need mapping back. When a crop would have been enlarged to reach the model's input size
at the reduced scale, the reduced decode is not fine enough and the caller measures on the full
decode instead (:func:`fine_enough`), so a small face is measured as before.

Coordinates follow ``LandmarkResult``: (0, 0) is the centre of the top-left pixel, so a point
at decoded index u is at file index (u + 0.5) / scale - 0.5 (a DCT-scaled pixel averages a
block of scale⁻¹ × scale⁻¹ file pixels).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from twinproof.core.landmarks.geometry import Crop
from twinproof.core.landmarks.types import BodyLandmarks, FaceLandmarks, LandmarkResult

#: The model input sizes (face mesh, iris, body) times two: a crop at least this large in the
#: reduced decode is shrunk to the model's input either way.
MIN_FACE_CROP, MIN_IRIS_CROP, MIN_BODY_CROP = 2 * 192, 2 * 64, 2 * 256


def fine_enough(found: LandmarkResult) -> bool:
    """Whether landmarks found on a reduced decode lose nothing against the full decode: a face
    was found and every model's crop is at least twice its input size."""
    face = found.face
    if face is None or face.crop.size < MIN_FACE_CROP:
        return False
    if face.iris is not None and min(face.iris.right_crop.size, face.iris.left_crop.size) < MIN_IRIS_CROP:
        return False
    return found.body is None or found.body.crop.size >= MIN_BODY_CROP


def _points(pts: np.ndarray, scale: float) -> np.ndarray:
    out = np.array(pts, dtype=np.float64, copy=True)
    out[:, :2] = (out[:, :2] + 0.5) / scale - 0.5
    if out.shape[1] > 2:
        out[:, 2] /= scale  # z is kept in image-pixel units, like x and y
    return out


def _crop(crop: Crop, scale: float) -> Crop:
    x, y = crop.center
    return Crop(((x + 0.5) / scale - 0.5, (y + 0.5) / scale - 0.5), crop.size / scale, crop.rotation)


def _face(face: FaceLandmarks, scale: float) -> FaceLandmarks:
    iris = face.iris
    if iris is not None:
        iris = dataclasses.replace(
            iris, right_iris=_points(iris.right_iris, scale), left_iris=_points(iris.left_iris, scale),
            right_contour=_points(iris.right_contour, scale), left_contour=_points(iris.left_contour, scale),
            right_crop=_crop(iris.right_crop, scale), left_crop=_crop(iris.left_crop, scale))
    return dataclasses.replace(face, points=_points(face.points, scale), crop=_crop(face.crop, scale), iris=iris)


def _body(body: BodyLandmarks, scale: float, full_size: tuple[int, int]) -> BodyLandmarks:
    mask = body.mask
    if mask is not None:  # mask px per decoded px × decoded px per file px
        mask = dataclasses.replace(mask, scale=mask.scale * scale, image_size=full_size)
    return dataclasses.replace(body, points=_points(body.points, scale), crop=_crop(body.crop, scale), mask=mask)


def to_full(found: LandmarkResult, scale: float, full_size: tuple[int, int]) -> LandmarkResult:
    """``found`` (measured on a decode at ``scale`` decoded px per file px) in file pixels."""
    return dataclasses.replace(
        found, image_size=full_size,
        face=_face(found.face, scale) if found.face is not None else None,
        body=_body(found.body, scale, full_size) if found.body is not None else None)


def face_on_decode(face: FaceLandmarks, scale: float) -> FaceLandmarks:
    """The inverse of :func:`to_full` for a face: file pixels → a decode at ``scale``."""
    return _face(face, 1.0 / scale)
