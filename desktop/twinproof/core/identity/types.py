"""Typed results of the identity measurement: a descriptor with its chip, or why there is none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class FaceChip:
    """The 150x150 face chip the descriptor is computed from, and how it sits in the image.

    ``image``: 150x150x3 uint8 RGB (what the app and the sheet show side by side).
    ``chip_to_image``: 2x3 affine map from chip pixel indices to image pixel indices.
    ``points``: the five image points it was aligned on (dlib's order: subject's left eye outer
    and inner corner, right eye outer and inner corner, nose base), (5, 2) image pixels.
    ``face_size_px``: side, in image pixels, of the face box the chip's template spans (the
    chip shows it at 100 px, with 25 % padding each side); the resolution the face was seen at.
    ``yaw_deg``: head turn from the mesh's depth, 0 facing the camera, positive when the
    subject's left cheek (image right) is further from the camera than the right.
    """

    image: np.ndarray
    chip_to_image: np.ndarray
    points: np.ndarray
    face_size_px: float
    yaw_deg: float

    def quality(self) -> dict[str, float]:
        return {"face_size_px": round(self.face_size_px, 1), "yaw_deg": round(self.yaw_deg, 1)}


@dataclass(frozen=True)
class FaceIdentity:
    """A face's 128-d descriptor (dlib's ResNet, ONNX) with the chip it came from.

    ``model`` names the model and the first 12 hex digits of its file's sha256, so a stored
    descriptor can be told apart from one made by a different model.
    """

    descriptor: np.ndarray
    chip: FaceChip
    model: str

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, **self.chip.quality()}


@dataclass(frozen=True)
class Unmeasured:
    """No descriptor could be trusted for this face: ``reason`` says why in one line."""

    reason: str
    face_size_px: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": None, "reason": self.reason}
