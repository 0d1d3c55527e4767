"""White balance from an image's own neutral pixels.

Two shots of one person are lit differently; comparing their skin or garment colours as shot
would blame the twin for the light. Each image is corrected on its own: per-channel gains in
linear light (von Kries) that make its near-neutral pixels (low chroma, neither black nor
clipped) grey, estimated on the scene outside the person when there is one. An image with too
few neutral pixels is left as it is, and says so.
"""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core import colour

#: Estimated on a copy this size (neutral statistics need no more), so 24 MP costs ~2 ms.
SAMPLE_LONG_SIDE = 512
NEUTRAL_MAX_CHROMA = 12.0
MIN_NEUTRAL_FRACTION = 0.01


def _scene(work: np.ndarray, person: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The image at the sample size in Lab, and where the scene around the person is."""
    h, w = work.shape[:2]
    f = min(1.0, SAMPLE_LONG_SIDE / max(h, w))
    small = cv2.resize(work, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
    scene = np.ones(small.shape[:2], bool)
    if person is not None:
        scene = cv2.resize(person.astype(np.float32), (small.shape[1], small.shape[0])) < 0.2
        if scene.mean() < 0.05:  # the person fills the frame: use all of it
            scene[:] = True
    return small, scene


def scene_lightness(work: np.ndarray, person: np.ndarray | None = None) -> float:
    """Median L* of the scene around the person: the exposure, which an edit of the skin leaves."""
    small, scene = _scene(work, person)
    return float(np.median(colour.srgb_to_lab(small[scene])[..., 0]))


#: A correction that leaves median skin with b* below this, or a hue outside skin's, is rejected.
SKIN_MIN_B = 3.0
SKIN_HUE_DEG = (5.0, 100.0)


def skin_plausible(lab: np.ndarray) -> bool:
    """Whether a median skin colour is one a human skin has (b* clearly positive, hue between
    red and yellow): a white balance that turns skin grey or blue is wrong about the light."""
    hue = float(np.degrees(np.arctan2(lab[2], lab[1])))
    return bool(lab[2] >= SKIN_MIN_B and SKIN_HUE_DEG[0] <= hue <= SKIN_HUE_DEG[1])


def own_gains(work: np.ndarray, person: np.ndarray | None = None) -> tuple[np.ndarray, str]:
    """Gains (3,) for the linear RGB of ``work`` (float sRGB in [0, 1]) and how they were found."""
    small, scene = _scene(work, person)
    lab = colour.srgb_to_lab(small)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    neutral = scene & (chroma < NEUTRAL_MAX_CHROMA) & (lab[..., 0] > 15) & (lab[..., 0] < 95)
    if neutral.mean() < MIN_NEUTRAL_FRACTION:
        return np.ones(3, np.float32), "none (too few neutral pixels in this image)"
    lin = colour.srgb_to_linear(small[neutral]).mean(axis=0)
    grey = float(lin.mean())
    gains = np.where(lin > 1e-4, grey / np.maximum(lin, 1e-4), 1.0).astype(np.float32)
    return np.clip(gains, 0.5, 2.0), f"its own neutral pixels ({neutral.mean():.0%} of the image)"


def corrected(rgb: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """sRGB float pixels with linear-light gains applied (clipped), still sRGB-encoded."""
    lin = np.clip(colour.srgb_to_linear(rgb) * gains, 0, 1)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * np.power(lin, 1 / 2.4) - 0.055).astype(np.float32)
