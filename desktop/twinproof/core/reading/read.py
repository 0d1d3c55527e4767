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


def content_key(image: LoadedImage) -> tuple[str, ...] | None:
    """The file's content hash, the frame and scale decoded, and a fingerprint of the decoded
    pixels (a caller's own pixels under a file's name must never be taken for that file's
    reading). What depends on the pixels alone (the registration's features) is keyed by this."""
    digest = image.content_hash or cache.file_key(image.path)
    if digest is None:
        return None
    px = image.decoded  # as loaded (a DCT-scaled JPEG is not decoded in full for this)
    sample = np.ascontiguousarray(px[:: max(1, px.shape[0] // 64), :: max(1, px.shape[1] // 64)])
    fingerprint = hashlib.sha256(sample.tobytes()).hexdigest()[:16]
    return digest, f"{image.width}x{image.height}@{image.scale:g}", fingerprint


def image_key(image: LoadedImage) -> tuple[str, ...] | None:
    """:func:`content_key` with the models' versions: the key of what the models read."""
    key = content_key(image)
    if key is None:
        return None
    digest, frame, fingerprint = key
    return digest, cache.models_key(), frame, fingerprint


def landmarks_of(image: LoadedImage) -> LandmarkResult:
    """``detect_landmarks`` of an image, once per file content and model versions."""
    key = image_key(image)
    return cache.cached(None if key is None else ("landmarks", *key), lambda: _detect(image))


def _detect(image: LoadedImage) -> LandmarkResult:
    """On the decode as loaded when it is fine enough for every model, else in full."""
    from twinproof.core.landmarks import detect_landmarks
    from twinproof.core.landmarks.rescale import fine_enough, to_full

    if image.scale < 1:
        found = detect_landmarks(image.decoded)
        if fine_enough(found):
            return to_full(found, image.scale, (image.width, image.height))
    return detect_landmarks(image.pixels)


def identity_of(image: LoadedImage, face: FaceLandmarks | None, min_face_px: float) -> FaceIdentity | NoIdentity:
    """The face's identity descriptor, once per file content, models and the size limit (the
    identity step and a new shot's reading share it: two descriptors per pair, not four)."""
    key = image_key(image) if face is not None else None
    return cache.cached(None if key is None else ("identity", *key, f"{min_face_px:g}"),
                        lambda: _identity(image, face, min_face_px))


def _identity(image: LoadedImage, face: FaceLandmarks | None, min_face_px: float) -> FaceIdentity | NoIdentity:
    """The chip cut from the cheapest decode that still gives the chip's halving pyramid two
    pixels per chip pixel (a 24 MP close-up: ½ or ¼), its geometry put back in file pixels."""
    if face is None or image.scale >= 1:
        return read_identity(image.pixels, face, min_face_px=min_face_px)
    import dataclasses

    from twinproof.core.identity.chip import chip_to_image, face_size
    from twinproof.core.identity.mesh import five_points
    from twinproof.core.landmarks.rescale import face_on_decode

    points = five_points(face.points)
    transform = chip_to_image(points)
    per_chip_px = float(np.hypot(*transform[:, 0]))  # file pixels per chip pixel
    pixels, scale = image.at_scale(min(1.0, 2.0 / per_chip_px))
    if scale >= 1:
        return read_identity(pixels, face, min_face_px=min_face_px)
    found = read_identity(pixels, face_on_decode(face, scale), min_face_px=min_face_px)
    if not isinstance(found, FaceIdentity):
        return read_identity(image.pixels, face, min_face_px=min_face_px)
    chip = dataclasses.replace(found.chip, chip_to_image=transform, points=points, face_size_px=face_size(transform))
    return dataclasses.replace(found, chip=chip)


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
    skin = skin_sample(image, face, gains, is_greyscale(work))  # its face from the decode it needs
    if isinstance(skin, SkinSample) and skin.white_balance_rejected:
        how = f"not applied: its own neutral pixels turned the skin grey or blue ({how})"
        gains = np.ones(3, np.float32)
    cond = conditions(face, work, (image.width, image.height), yaw, gains,
                      not how.startswith(("none", "not applied")), scene_lightness(work, person), image.path)
    garment = garment_sample(work, factor, face, lm.body, skin.lab_as_shot if isinstance(skin, SkinSample)
                             else None, gains)
    return ImageReading(lm, identity, gains, how, face_shape(face, yaw), skin, garment,
                        body_ratios(lm.body, (image.width, image.height)), cond)
