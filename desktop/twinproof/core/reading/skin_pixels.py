"""Skin in one image's pixels: the mask a face mesh draws and the energy of fine detail in it.

Readers need them to read one image's skin (``reading/parts.py``) and the same-frame steps to
compare two (``fidelity/skin.py``); they live here, with the readers, so that readers never
import a pair comparison (that was the core's one import cycle: readers → skin step →
landmark step → readers).
"""

from __future__ import annotations

from typing import Protocol

import cv2
import numpy as np

from twinproof.core.landmarks import topology as topo


class Crop(Protocol):
    """A face crop: which of its pixels are real, how image points map into it, its scale."""

    @property
    def valid(self) -> np.ndarray: ...

    @property
    def scale(self) -> float: ...

    def to_crop(self, points: np.ndarray) -> np.ndarray: ...


def skin_mask(crop: Crop, mesh: np.ndarray, iod: float) -> np.ndarray:
    """Boolean skin mask in crop pixels from a face mesh (the real's for a registered pair, each
    image's own for a new shot)."""
    h, w = crop.valid.shape[:2]
    pts = crop.to_crop(mesh)
    m = np.zeros((h, w), np.uint8)
    cv2.fillPoly(m, [np.round(pts[list(topo.FACE_OVAL)]).astype(np.int32)], 1)
    holes = np.zeros_like(m)
    brows = [topo.RIGHT_EYEBROW[0] + topo.RIGHT_EYEBROW[1][::-1], topo.LEFT_EYEBROW[0] + topo.LEFT_EYEBROW[1][::-1]]
    for poly in (topo.RIGHT_EYE, topo.LEFT_EYE, topo.LIPS_OUTER, *brows):
        cv2.fillPoly(holes, [np.round(pts[list(poly)]).astype(np.int32)], 1)
    grow = max(1, round(0.06 * iod * crop.scale))
    grown = cv2.dilate(holes, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    shrink = max(1, round(0.05 * iod * crop.scale))
    inner = cv2.erode(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * shrink + 1, 2 * shrink + 1)))
    return np.asarray((inner > 0) & (grown == 0) & crop.valid)


def band_energy(rgb: np.ndarray, mask: np.ndarray, sigma: float) -> float:
    """Mean squared band-pass (difference of Gaussians at σ and 2σ) of the grey levels in the
    mask: the fine detail that retouching smooths away."""
    y = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    band = cv2.GaussianBlur(y, (0, 0), sigma) - cv2.GaussianBlur(y, (0, 0), 2 * sigma)
    return float(np.mean(band[mask].astype(np.float64) ** 2))
