"""Controlled manipulations of real photographs with a known size, for the fidelity tests.

Each function changes one thing a twin might quietly "improve", by an amount the test then
expects the measurement to recover.
"""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core import colour


def _remap(img: np.ndarray, map_x: np.ndarray, map_y: np.ndarray) -> np.ndarray:
    return cv2.remap(img, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_CUBIC,
                     borderMode=cv2.BORDER_REFLECT)


def scale_region(img: np.ndarray, centre: tuple[float, float], factor: float, r_in: float,
                 r_out: float) -> np.ndarray:
    """Enlarge (factor > 1) everything within ``r_in`` of ``centre`` by exactly ``factor``,
    blending smoothly back to no change at ``r_out`` (an eye or lip "enlargement")."""
    h, w = img.shape[:2]
    # forward radial map f(r) = r * k(r); invert it with a lookup table.
    r = np.linspace(0, r_out * 1.5, 4000)
    t = np.clip((r - r_in) / (r_out - r_in), 0, 1)
    k = factor + (1 - factor) * (3 * t**2 - 2 * t**3)
    fr = r * k
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    dx, dy = xx - centre[0], yy - centre[1]
    rout = np.hypot(dx, dy)
    rsrc = np.interp(rout, fr, r, right=np.nan)
    rsrc = np.where(np.isnan(rsrc), rout, rsrc)
    ratio = np.where(rout > 1e-9, rsrc / np.maximum(rout, 1e-9), 1 / factor)
    return _remap(img, centre[0] + dx * ratio, centre[1] + dy * ratio)


def squeeze_horizontally(img: np.ndarray, x0: float, y_from: float, y_full: float, y_to: float,
                         amount: float, half_width: float) -> np.ndarray:
    """Narrow the band of rows ``y_full``..``y_to`` by ``amount`` (0.06 = 6% narrower) towards
    column ``x0``, ramping in from ``y_from``; columns beyond 1.6 × ``half_width`` are untouched
    (a slimmer jaw or waist)."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    ramp = np.clip((yy - y_from) / max(y_full - y_from, 1), 0, 1)
    ramp = np.where(yy > y_to, np.clip(1 - (yy - y_to) / max(y_full - y_from, 1), 0, 1), ramp)
    s = 1 - amount * ramp  # output = x0 + (x - x0) * s near the centre
    d = xx - x0
    # Inside the feature (|d| < half_width*s) the source is d / s; outside, blend back to d by
    # 1.6 x half_width so the map stays continuous and monotone.
    inner = half_width * s
    outer = 1.6 * half_width
    src_in = d / s
    tb = np.clip((np.abs(d) - inner) / (outer - inner), 0, 1)
    src_out = np.sign(d) * (half_width + tb * (outer - half_width))
    src = np.where(np.abs(d) <= inner, src_in, np.where(np.abs(d) >= outer, d, src_out))
    return _remap(img, x0 + src, yy)


def polygon_mask(shape: tuple[int, int], polys: list[np.ndarray], feather: float) -> np.ndarray:
    """A float mask in [0, 1]: filled polygons, feathered with a Gaussian of ``feather`` px."""
    m = np.zeros(shape, np.float32)
    for p in polys:
        cv2.fillPoly(m, [np.round(p[:, :2]).astype(np.int32)], 1.0)
    if feather > 0:
        m = cv2.GaussianBlur(m, (0, 0), feather)
    return np.clip(m, 0, 1)


def lighten_lab(img: np.ndarray, mask: np.ndarray, delta_L: float) -> np.ndarray:
    """Add ``delta_L`` to CIELAB L* where ``mask`` is 1 (skin lightening)."""
    from skimage.color import lab2rgb

    lab = colour.srgb_to_lab(img.astype(np.float32) / 255.0).astype(np.float64)
    lab[..., 0] = np.clip(lab[..., 0] + delta_L * mask, 0, 100)
    out = lab2rgb(lab)
    return (np.clip(out, 0, 1) * 255 + 0.5).astype(np.uint8)


def rotate_hue(img: np.ndarray, mask: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate the CIELAB hue angle by ``degrees`` where ``mask`` is 1 (a recoloured garment)."""
    from skimage.color import lab2rgb

    lab = colour.srgb_to_lab(img.astype(np.float32) / 255.0).astype(np.float64)
    a, b = lab[..., 1], lab[..., 2]
    th = np.deg2rad(degrees) * mask
    lab[..., 1] = a * np.cos(th) - b * np.sin(th)
    lab[..., 2] = a * np.sin(th) + b * np.cos(th)
    return (np.clip(lab2rgb(lab), 0, 1) * 255 + 0.5).astype(np.uint8)


def smooth_skin(img: np.ndarray, mask: np.ndarray, sigma: float) -> np.ndarray:
    """Airbrush: replace skin by a Gaussian-blurred copy (σ px), feathered by ``mask``."""
    blurred = cv2.GaussianBlur(img.astype(np.float32), (0, 0), sigma)
    m = mask[..., None]
    return np.clip(img * (1 - m) + blurred * m + 0.5, 0, 255).astype(np.uint8)
