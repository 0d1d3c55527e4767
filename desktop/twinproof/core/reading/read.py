"""One image, read on its own: landmarks, identity, white balance, face proportions, skin,
garment and body. What a new shot compares, person to person."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from twinproof.core.identity import FaceIdentity, read_identity
from twinproof.core.identity import Unmeasured as NoIdentity
from twinproof.core.identity.mesh import yaw_degrees
from twinproof.core.imageio import LoadedImage
from twinproof.core.landmarks import LandmarkResult
from twinproof.core.reading import cache
from twinproof.core.reading.parts import (
    FaceShape,
    GarmentSample,
    SkinSample,
    body_ratios,
    face_shape,
    garment_sample,
    skin_sample,
)
from twinproof.core.reading.whitebalance import own_gains


@dataclass(frozen=True)
class ImageReading:
    landmarks: LandmarkResult
    identity: FaceIdentity | NoIdentity
    gains: np.ndarray
    white_balance: str
    face: FaceShape | str
    skin: SkinSample | str
    garment: GarmentSample | str
    body: dict[str, float | str] | str


def image_key(image: LoadedImage) -> tuple[str, ...] | None:
    """The file's content hash, the models, and a fingerprint of the decoded pixels (a caller's
    own pixels under a file's name must never be taken for that file's reading)."""
    digest = cache.file_key(image.path)
    if digest is None:
        return None
    sample = np.ascontiguousarray(image.pixels[:: max(1, image.height // 64), :: max(1, image.width // 64)])
    fingerprint = hashlib.sha256(sample.tobytes()).hexdigest()[:16]
    return digest, cache.models_key(), f"{image.width}x{image.height}", fingerprint


def landmarks_of(image: LoadedImage) -> LandmarkResult:
    """``detect_landmarks`` of an image, once per file content and model versions."""
    from twinproof.core.landmarks import detect_landmarks

    key = image_key(image)
    return cache.cached(None if key is None else ("landmarks", *key), lambda: detect_landmarks(image.pixels))


def read_image(image: LoadedImage, work: np.ndarray, factor: float, min_face_px: float,
               landmarks: LandmarkResult | None = None) -> ImageReading:
    """Everything a new-shot comparison needs from one image (``work``: the image at the working
    size as float sRGB, ``factor`` its scale from the full image)."""
    lm = landmarks if landmarks is not None else landmarks_of(image)
    face = lm.face
    identity = read_identity(image.pixels, face, min_face_px=min_face_px)
    person = None
    if lm.body is not None and lm.body.mask is not None:
        import cv2

        person = cv2.resize(lm.body.mask.mask, (work.shape[1], work.shape[0]), interpolation=cv2.INTER_LINEAR)
    gains, how = own_gains(work, person)
    yaw = yaw_degrees(face.points) if face is not None else 0.0
    skin = skin_sample(image.pixels, face, gains)
    garment = garment_sample(work, factor, face, lm.body, skin.lab_as_shot if isinstance(skin, SkinSample)
                             else None, gains)
    return ImageReading(lm, identity, gains, how, face_shape(face, yaw), skin, garment,
                        body_ratios(lm.body, (image.width, image.height)))
