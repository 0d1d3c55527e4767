"""One image, read on its own: landmarks, identity, white balance, face proportions, skin,
garment and body, and the conditions it was read under. What a new shot compares, person to
person.

Readings are kept per file content, model versions and the settings they depend on
(``cache.py``): a real photograph paired with several twins is read once, and its identity
descriptor is computed once whichever step asks for it first."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from twinproof.core.identity import FaceIdentity, read_identity
from twinproof.core.identity import Unmeasured as NoIdentity
from twinproof.core.identity.mesh import yaw_degrees
from twinproof.core.imageio import LoadedImage
from twinproof.core.landmarks import LandmarkResult
from twinproof.core.landmarks.types import FaceLandmarks
from twinproof.core.reading import cache
from twinproof.core.reading.conditions import Conditions, conditions, is_greyscale
from twinproof.core.reading.parts import (
    FaceShape,
    GarmentSample,
    SkinSample,
    body_ratios,
    face_shape,
    garment_sample,
    skin_sample,
)
from twinproof.core.reading.whitebalance import own_gains, scene_lightness

#: Raised whenever what a reading holds, or how it is made, changes (old entries are not reused).
READING_VERSION = "5"


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
    conditions: Conditions


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


def identity_of(image: LoadedImage, face: FaceLandmarks | None, min_face_px: float) -> FaceIdentity | NoIdentity:
    """The face's identity descriptor, once per file content, models and the size limit (the
    identity step and a new shot's reading share it: two descriptors per pair, not four)."""
    key = image_key(image) if face is not None else None
    return cache.cached(None if key is None else ("identity", *key, f"{min_face_px:g}"),
                        lambda: read_identity(image.pixels, face, min_face_px=min_face_px))


def read_image(image: LoadedImage, work: np.ndarray, factor: float, min_face_px: float,
               landmarks: LandmarkResult | None = None) -> ImageReading:
    """Everything a new-shot comparison needs from one image (``work``: the image at the working
    size as float sRGB, ``factor`` its scale from the full image), kept per file content, models
    and working size."""
    key = image_key(image)
    cache_key = None if key is None else ("reading", READING_VERSION, *key, f"{work.shape[1]}x{work.shape[0]}",
                                          f"{min_face_px:g}")
    return cache.cached(cache_key, lambda: _read(image, work, factor, min_face_px, landmarks))


def _read(image: LoadedImage, work: np.ndarray, factor: float, min_face_px: float,
          landmarks: LandmarkResult | None) -> ImageReading:
    lm = landmarks if landmarks is not None else landmarks_of(image)
    face = lm.face
    identity = identity_of(image, face, min_face_px)
    person = None
    if lm.body is not None and lm.body.mask is not None:
        import cv2

        person = cv2.resize(lm.body.mask.mask, (work.shape[1], work.shape[0]), interpolation=cv2.INTER_LINEAR)
    gains, how = own_gains(work, person)
    yaw = yaw_degrees(face.points) if face is not None else 0.0
    skin = skin_sample(image.pixels, face, gains, is_greyscale(work))
    if isinstance(skin, SkinSample) and skin.white_balance_rejected:
        how = f"not applied: its own neutral pixels turned the skin grey or blue ({how})"
        gains = np.ones(3, np.float32)
    cond = conditions(face, work, (image.width, image.height), yaw, gains,
                      not how.startswith(("none", "not applied")), scene_lightness(work, person), image.path)
    garment = garment_sample(work, factor, face, lm.body, skin.lab_as_shot if isinstance(skin, SkinSample)
                             else None, gains)
    return ImageReading(lm, identity, gains, how, face_shape(face, yaw), skin, garment,
                        body_ratios(lm.body, (image.width, image.height)), cond)
