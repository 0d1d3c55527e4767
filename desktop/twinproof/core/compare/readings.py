"""The two readings of a new shot, made once per pair (each image's landmarks are the ones the
pair already found, so nothing is detected twice)."""

from __future__ import annotations

import numpy as np

from twinproof.core.context import AlignedPair
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.policy import Policy
from twinproof.core.reading.crop import as_float
from twinproof.core.reading.read import ImageReading, read_image
from twinproof.core.registration import resize_long_side


def readings(pair: AlignedPair, policy: Policy) -> tuple[ImageReading, ImageReading]:
    if pair.shared.readings is None:
        lm = pair_landmarks(pair)
        min_px = policy.number("identity", "min_face_px")
        long_side = max(pair.working_size)
        twin_small, twin_factor = resize_long_side(pair.twin.pixels, long_side)
        real = read_image(pair.real, pair.real_work, pair.factor, min_px, lm.real)
        twin = read_image(pair.twin, as_float(np.ascontiguousarray(twin_small)), twin_factor, min_px, lm.twin)
        pair.shared.readings = (real, twin)
    return pair.shared.readings


def reference_readings(pair: AlignedPair, policy: Policy) -> list[tuple[ImageReading, np.ndarray]]:
    """The real photograph's reading and each reference portrait's (read once each, cached),
    with their full pixels (the eye width is followed into the twin from each of them)."""
    real, _twin = readings(pair, policy)
    out = [(real, pair.real.pixels)]
    min_px = policy.number("identity", "min_face_px")
    for image in pair.references or []:
        small, factor = resize_long_side(image.pixels, max(pair.working_size))
        out.append((read_image(image, as_float(np.ascontiguousarray(small)), factor, min_px), image.pixels))
    return out
