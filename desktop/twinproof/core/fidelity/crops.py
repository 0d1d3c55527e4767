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
    (``LoadedImage.at_scale``: a 24 MP close-up's face needs a fraction of its pixels), and both
    are made by the same steps (:func:`_resampled`), so a twin that is the real photograph gives
    the real's crop to the bit."""
    x0, y0, x1, y1 = box
    w = max(8, round((x1 - x0) * scale))
    h = max(8, round((y1 - y0) * scale))
    # the real's crop depends on the real alone: kept for its next twin (core/real_memo.py)
    real = real_memo.derived(pair.real_work, f"crop {box} {scale}", lambda: _real_crop(pair, box, scale, (w, h)))
    twin, cover = _twin_crop(pair, box, scale, (w, h))
    return PairCrop(real, twin, cover, (x0, y0), scale)


def _to_crop(box: tuple[float, float, float, float], scale: float) -> np.ndarray:
    """File px of the real → crop px."""
    x0, y0 = box[:2]
    return np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], dtype=np.float64)


def _real_crop(pair: AlignedPair, box: tuple[float, float, float, float], scale: float,
               size: tuple[int, int]) -> np.ndarray:
    src, rs = pair.real.at_scale(min(1.0, 2 * scale))
    m = _to_crop(box, scale)
    m[:, :2] /= rs  # decode px -> file px -> crop px
    return _as_float(_resampled(src, m, size, scale / rs)[0])


def _twin_crop(pair: AlignedPair, box: tuple[float, float, float, float], scale: float,
               size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    # twin decode px -> twin px -> real px (registration) -> crop px
    src, ts = pair.twin.at_scale(min(1.0, 2 * scale * pair.registration.scale))
    reg, to_crop = pair.registration.matrix, _to_crop(box, scale)
    m = np.hstack([to_crop[:, :2] @ reg[:, :2] / ts, (to_crop[:, :2] @ reg[:, 2] + to_crop[:, 2])[:, None]])
    twin, m_sub, sub_shape = _resampled(src, m, size, pair.registration.scale * scale / ts)
    # where the crop shows the twin's frame at all (not its reflected border)
    cover = cv2.warpAffine(np.full(sub_shape, 255, np.uint8), m_sub, size, flags=cv2.INTER_NEAREST, borderValue=0) > 0
    return _as_float(twin), cover


def _resampled(src: np.ndarray, m: np.ndarray, size: tuple[int, int],
               f: float) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
    """``src`` through the affine ``m`` (src px -> output px, scaling by about ``f``) into an
    output of ``size``; and the part of ``src`` it was made from (its shape, and the affine
    from it to the output).

    Only the part of ``src`` the output shows is resampled: shrinking the whole decode of a
    24 MP twin for a face crop cost more than the crop. A reduction (``f`` < 1) averages areas
    first so the warp does not alias; the resize's own pixel grid (OpenCV's, centre on centre:
    u = (x + 0.5)·fx − 0.5, with fx the size it rounded to) is undone exactly in the warp."""
    w, h = size
    sub, (ix0, iy0) = _preimage(src, m, size, margin=2.0 / min(f, 1.0) + 2)
    m = m.copy()
    m[:, 2] += m[:, 0] * ix0 + m[:, 1] * iy0
    if f < 1.0 - 1e-6:
        sub_w, sub_h = sub.shape[1], sub.shape[0]
        sub = cv2.resize(sub, (max(1, round(sub_w * f)), max(1, round(sub_h * f))), interpolation=cv2.INTER_AREA)
        fx, fy = sub.shape[1] / sub_w, sub.shape[0] / sub_h
        # x = (u + 0.5) / fx - 0.5 in the box's px, for u in the shrunk box's
        m[:, 2] += m[:, 0] * (0.5 / fx - 0.5) + m[:, 1] * (0.5 / fy - 0.5)
        m[:, 0] /= fx
        m[:, 1] /= fy
    out = cv2.warpAffine(sub, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return out, m, (sub.shape[0], sub.shape[1])


def _preimage(src: np.ndarray, m: np.ndarray, size: tuple[int, int],
              margin: float) -> tuple[np.ndarray, tuple[int, int]]:
    """The part of ``src`` that the affine ``m`` (src px -> output px) maps into an output of
    ``size``, grown by ``margin`` src px for the resamplers' support and clipped to ``src``; and
    its top-left corner. Where it is clipped, it is clipped at ``src``'s own edges, so a warp's
    reflected border and its coverage are what they were for the whole of ``src``."""
    w, h = size
    inv = cv2.invertAffineTransform(m)
    corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], dtype=np.float64) @ inv.T
    lo = np.floor(corners.min(axis=0) - margin)
    hi = np.ceil(corners.max(axis=0) + margin)
    ix0, iy0 = int(np.clip(lo[0], 0, src.shape[1] - 1)), int(np.clip(lo[1], 0, src.shape[0] - 1))
    ix1, iy1 = int(np.clip(hi[0], ix0 + 1, src.shape[1])), int(np.clip(hi[1], iy0 + 1, src.shape[0]))
    return src[iy0:iy1, ix0:ix1], (ix0, iy0)
