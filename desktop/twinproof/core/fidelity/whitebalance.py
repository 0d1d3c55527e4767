"""Take a global colour cast out before judging skin and garment colour.

A twin that is warmer overall has one fault, a colour cast, and the ``colour`` category
flags it. Skin and garment are judged on what changed *selectively*: the twin is first
corrected by per-channel gains in linear light (von Kries), estimated where the real image is
neutral (grey, white, black-ish; or, when it has too few neutral pixels, on the scene outside
the person). Both raw and corrected figures are reported.
"""

from __future__ import annotations

import numpy as np

from twinproof.core import colour, real_memo
from twinproof.core.context import AlignedPair


def gains(pair: AlignedPair) -> tuple[np.ndarray, str]:
    """Per-channel linear gains that map the twin's colours onto the real's, and how found
    (computed once per pair)."""
    if pair.shared.wb_gains is None:
        pair.shared.wb_gains = _estimate(pair)
    return pair.shared.wb_gains


def _estimate(pair: AlignedPair) -> tuple[np.ndarray, str]:
    from twinproof.core.fidelity.landmark_step import person_mask
    from twinproof.core.measure_image import real_lab

    person = person_mask(pair)
    scene = pair.overlap if person is None else pair.overlap & (person < 0.2)
    # the real's neutral pixels, as the colour step found them (kept for its next twin)
    neutral = scene & real_memo.derived(pair.real_work, "neutral", lambda: colour.neutral_pixels(real_lab(pair)))
    overlap = np.count_nonzero(pair.overlap)
    if np.count_nonzero(neutral) >= max(64, 0.01 * overlap):
        use, how = neutral, "neutral regions"
    elif person is not None and np.count_nonzero(scene) >= 0.05 * overlap:
        use, how = scene, "the scene outside the person"
    else:
        return np.ones(3, np.float32), "none (no neutral regions or scene to estimate a cast from)"
    real_lin = colour.srgb_to_linear(pair.real_work[use]).mean(axis=0)
    twin_lin = colour.srgb_to_linear(pair.twin_work[use]).mean(axis=0)
    g = np.where(twin_lin > 1e-4, real_lin / np.maximum(twin_lin, 1e-4), 1.0).astype(np.float32)
    return np.clip(g, 0.25, 4.0), how


def corrected(rgb: np.ndarray, g: np.ndarray) -> np.ndarray:
    """sRGB float image with linear-light gains applied (clipped), still sRGB-encoded."""
    lin = np.clip(colour.srgb_to_linear(rgb) * g, 0, 1)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * np.power(lin, 1 / 2.4) - 0.055).astype(np.float32)
