"""The two readings of a new shot, made once per pair (each image's landmarks are the ones the
pair already found, so nothing is detected twice)."""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core.context import AlignedPair
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.loaded_image import LoadedImage
from twinproof.core.policy import Policy
from twinproof.core.reading.crop import as_float
from twinproof.core.reading.read import ImageReading, read_image
from twinproof.core.registration import resize_long_side


def readings(pair: AlignedPair, policy: Policy) -> tuple[ImageReading, ImageReading]:
    if pair.shared.readings is None:
        lm = pair_landmarks(pair)
        min_px = policy.number("identity", "min_face_px")
        twin_small, twin_factor = _working(pair.twin, max(pair.working_size))
        real = read_image(pair.real, pair.real_work, pair.factor, min_px, lm.real)
        twin = read_image(pair.twin, as_float(np.ascontiguousarray(twin_small)), twin_factor, min_px, lm.twin)
        pair.shared.readings = (real, twin)
    return pair.shared.readings


def _working(image: LoadedImage, long_side: int) -> tuple[np.ndarray, float]:
    """The image at ``long_side`` (never enlarged), reduced from the cheapest decode that holds
    it (as ``analysis.align`` does the real's), and its factor from the file's pixels."""
    w, h = image.width, image.height
    f = min(1.0, long_side / max(w, h)) if long_side else 1.0
    pixels, s = image.at_scale(f)
    if s >= 1.0 or f >= 1.0:
        return resize_long_side(pixels, long_side)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA), f


def reference_readings(pair: AlignedPair, policy: Policy,
                       references: list[LoadedImage] | None = None) -> list[tuple[ImageReading, np.ndarray]]:
    """The real photograph's reading and each reference portrait's (``references``, else the
    pair's; read once each, cached), with their full pixels (the eye width is followed into the
    twin from each of them)."""
    real, _twin = readings(pair, policy)
    out = [(real, pair.real.pixels)]
    min_px = policy.number("identity", "min_face_px")
    for image in (pair.references or []) if references is None else references:
        small, factor = resize_long_side(image.pixels, max(pair.working_size))
        out.append((read_image(image, as_float(np.ascontiguousarray(small)), factor, min_px), image.pixels))
    return out
