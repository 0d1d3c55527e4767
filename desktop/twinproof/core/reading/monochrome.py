"""Whether a photograph is monochrome: black and white, or toned (sepia, selenium, cyanotype).

A toned print has colour, but not the subject's: every pixel's tint is the toning's, set by
its lightness alone. Its "skin colour" is the toner's, and reading one would compare a brown
chemical with a real person's skin (a sepia portrait against a colour twin reads as "skin
darkened"). So a toned photograph counts as greyscale: texture yes, skin colour no.

The test: at each lightness, the tint of the whole image is one colour (a toned print), or
several (a colour photograph: skin, lips, a garment, a grey wall at the same lightness).
Per 1-L* band the image's tone is the mean (a*, b*); a pixel departs from it by its distance
across the tone's direction (a hue that is not the tone's, or the opposite one) and by how
far it falls short of half the tone's chroma (a neutral grey where the print would be tinted).
A colour photograph, even under warm light or on a white backdrop, has more than about
0.6 % of its pixels more than 5 units away; a toned one almost none (JPEG included). Pixels near
clipping are left out: a clipped channel bends a sepia's highlights towards yellow.

Measured on the 104 colour photographs of ``../shared/faces`` and ``faces-more`` at 512 px
(``tests/core/reading/test_monochrome.py``; at 1024 px: 0.12 % and 0.65 %): their classic sepia
(JPEG quality 75 and 92), half toned (quality 60) and black and white: at most 0.12 % of
pixels depart; the colour originals at least 1.1 %, and under a strong synthetic warm light
(linear gains 1.25/1/0.7 and 1.4/1/0.55) at least 0.58 % (a white-backdrop portrait in a
brown sweater, which that light makes nearly one colour). The line is drawn at 0.3 %.
"""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core import colour

#: The image is compared at this size (long side, px): detail finer than this is noise here.
SIDE = 96
#: A channel at or above this is clipped (its tint is not the toning's).
CLIPPED = 0.97
#: How far a pixel's (a*, b*) may depart from its lightness's tone before it counts.
DEPARTS = 5.0
#: Fraction of pixels that may depart in a toned photograph (JPEG, resampling).
AT_MOST = 0.003
#: Fewer pixels than this left to judge (a blown-out frame): not called monochrome by tint.
MIN_PIXELS = 200


def is_grey(work: np.ndarray) -> bool:
    """R, G and B agree everywhere (to a JPEG's rounding): a black-and-white photograph."""
    small = work[:: max(1, work.shape[0] // 128), :: max(1, work.shape[1] // 128)].astype(np.float32)
    spread = np.max(small, axis=-1) - np.min(small, axis=-1)
    return float(np.percentile(spread, 99)) < 0.03


def departing_fraction(work: np.ndarray) -> float | None:
    """The fraction of pixels whose tint departs from their lightness's tone (None: too few
    unclipped pixels to say). ``work``: float sRGB in [0, 1], height x width x 3."""
    step = max(1, max(work.shape[:2]) // (4 * SIDE))  # a 24 MP frame in milliseconds
    pixels = np.ascontiguousarray(work[::step, ::step], dtype=np.float32)
    h, w = pixels.shape[:2]
    scale = min(1.0, SIDE / max(h, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA).reshape(-1, 3)
    brightest = np.maximum(np.maximum(pixels[..., 0], pixels[..., 1]), pixels[..., 2])  # max(axis=-1) is slow
    clipped = cv2.resize((brightest >= CLIPPED).astype(np.float32), size,
                         interpolation=cv2.INTER_AREA).reshape(-1)
    kept = small[clipped == 0]
    if len(kept) < MIN_PIXELS:
        return None
    lab = colour.srgb_to_lab(kept).astype(np.float64)
    lightness, a, b = lab[:, 0], lab[:, 1], lab[:, 2]
    band = np.clip(lightness.astype(int), 0, 101)
    count = np.maximum(np.bincount(band, minlength=102), 1)
    sum_a, sum_b = np.bincount(band, a, 102), np.bincount(band, b, 102)
    length = np.hypot(sum_a, sum_b)
    tone_chroma = (length / count)[band]
    length[length == 0] = 1.0
    ta, tb = (sum_a / length)[band], (sum_b / length)[band]
    along = a * ta + b * tb
    across = np.where(along >= 0, np.abs(a * tb - b * ta), np.hypot(a, b))
    short = np.maximum(0.0, 0.5 * tone_chroma - along)
    return float(np.mean(np.hypot(across, short) > DEPARTS))


def is_monochrome(work: np.ndarray) -> bool:
    """Black and white, or one toning throughout (see the module's docstring)."""
    if is_grey(work):
        return True
    departing = departing_fraction(work)
    return departing is not None and departing < AT_MOST
