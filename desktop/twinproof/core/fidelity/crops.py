"""Full-resolution crops of the real image and the aligned twin, at a chosen scale.

Face measurements need more detail than the 2048-px working images keep for a small face in a
full-length shot, and less than a 24 MP close-up offers. A crop is cut from each full image
(the twin resampled through the registration) so the feature has a fixed size in pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from twinproof.core import real_memo
from twinproof.core.context import AlignedPair


@dataclass(frozen=True)
class PairCrop:
    """Real and aligned-twin crops (float32 RGB in [0, 1]) and how real pixels map into them."""

    real: np.ndarray
    twin: np.ndarray
    valid: np.ndarray
    origin: tuple[float, float]
    scale: float

    def to_crop(self, pts: np.ndarray) -> np.ndarray:
        """Real-image pixel coordinates → crop pixel coordinates."""
        out = np.array(pts[:, :2], dtype=np.float64, copy=True)
        out[:, 0] = (out[:, 0] - self.origin[0]) * self.scale
        out[:, 1] = (out[:, 1] - self.origin[1]) * self.scale
        return out

    def to_real(self, pts: np.ndarray) -> np.ndarray:
        out = np.array(pts[:, :2], dtype=np.float64, copy=True)
        out[:, 0] = out[:, 0] / self.scale + self.origin[0]
        out[:, 1] = out[:, 1] / self.scale + self.origin[1]
        return out


def _as_float(img: np.ndarray) -> np.ndarray:
    scale = 65535.0 if img.dtype == np.uint16 else 255.0
    return img.astype(np.float32) / np.float32(scale)


def pair_crop(pair: AlignedPair, box: tuple[float, float, float, float], scale: float) -> PairCrop:
    """Crop real-image box (x0, y0, x1, y1) from both images, resampled by ``scale``.

    Each image is cut from the cheapest decode with at least twice the crop's resolution
    (``LoadedImage.at_scale``: a 24 MP close-up's face needs a fraction of its pixels), so the
    crop is always an area-averaged reduction or made from full resolution, as before."""
    x0, y0, x1, y1 = box
    w = max(8, round((x1 - x0) * scale))
    h = max(8, round((y1 - y0) * scale))
    # the real's crop depends on the real alone: kept for its next twin (core/real_memo.py)
    real = real_memo.derived(pair.real_work, f"crop {box} {scale}", lambda: _real_crop(pair, box, scale, (w, h)))
    twin, cover = _twin_crop(pair, box, scale, (w, h))
    return PairCrop(real, twin, cover, (x0, y0), scale)


def _real_crop(pair: AlignedPair, box: tuple[float, float, float, float], scale: float,
               size: tuple[int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    w, h = size
    real_src, rs = pair.real.at_scale(min(1.0, 2 * scale))
    dx0, dy0, dx1, dy1, dscale = x0 * rs, y0 * rs, x1 * rs, y1 * rs, scale / rs  # in the decode
    # real px -> crop px: (p - origin) * scale
    m_real = np.array([[dscale, 0, -dx0 * dscale], [0, dscale, -dy0 * dscale]], dtype=np.float64)
    interp = cv2.INTER_AREA if dscale < 1 else cv2.INTER_LINEAR
    if dscale < 1:
        # INTER_AREA only works through resize: cut the box first, then shrink.
        ix0, iy0 = max(0, int(np.floor(dx0))), max(0, int(np.floor(dy0)))
        ix1 = min(real_src.shape[1], int(np.ceil(dx1)) + 1)
        iy1 = min(real_src.shape[0], int(np.ceil(dy1)) + 1)
        sub = real_src[iy0:iy1, ix0:ix1]
        shrunk = cv2.resize(sub, (max(1, round(sub.shape[1] * dscale)), max(1, round(sub.shape[0] * dscale))),
                            interpolation=interp)
        m_sub = np.array([[1, 0, (ix0 - dx0) * dscale], [0, 1, (iy0 - dy0) * dscale]], dtype=np.float64)
        real = cv2.warpAffine(shrunk, m_sub, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    else:
        real = cv2.warpAffine(real_src, m_real, (w, h), flags=interp, borderMode=cv2.BORDER_REFLECT)
    return _as_float(real)


def _twin_crop(pair: AlignedPair, box: tuple[float, float, float, float], scale: float,
               size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    x0, y0 = box[:2]
    w, h = size
    # twin decode px -> twin px -> real px (registration) -> crop px
    twin_src, ts = pair.twin.at_scale(min(1.0, 2 * scale * pair.registration.scale))
    m = pair.registration.matrix
    m_file = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], dtype=np.float64)
    m_twin = m_file[:, :2] @ m[:, :2] / ts
    t_twin = m_file[:, :2] @ m[:, 2] + m_file[:, 2]
    full = np.hstack([m_twin, t_twin[:, None]])
    if pair.registration.scale * scale / ts < 0.7:
        # Shrink the twin first so the warp does not alias.
        f = pair.registration.scale * scale / ts
        decoded_w, decoded_h = twin_src.shape[1], twin_src.shape[0]
        twin_src = cv2.resize(twin_src, (max(1, round(decoded_w * f)), max(1, round(decoded_h * f))),
                              interpolation=cv2.INTER_AREA)
        fx = twin_src.shape[1] / decoded_w
        fy = twin_src.shape[0] / decoded_h
        full = full.copy()
        full[:, 0] /= fx
        full[:, 1] /= fy
    twin = cv2.warpAffine(twin_src, full, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    cover = cv2.warpAffine(np.full(twin_src.shape[:2], 255, np.uint8), full, (w, h),
                           flags=cv2.INTER_NEAREST, borderValue=0) > 0
    return _as_float(twin), cover
