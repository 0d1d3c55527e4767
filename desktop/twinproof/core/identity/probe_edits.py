"""The edits a brand must catch, applied to a talent's own reference portrait to learn what each
does to her identity descriptor (issue 23): the jaw slimmed, the face widened, the eyes enlarged.

The warps are local (a crop around the face, remapped) and sized from the face mesh, so a
portrait of any size costs the same. They are written here, not borrowed from the tests'
manipulations, so that a test twin edited by those is never read by the very warp that made it.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

#: Probe edits and their size in percent of the measurement they change.
PROBES: dict[str, float] = {"jaw_width": -10.0, "face_width": 10.0, "eye_width": 16.0}


def _crop_box(points: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x0, y0 = points[:, 0].min(), points[:, 1].min()
    x1, y1 = points[:, 0].max(), points[:, 1].max()
    pad = 0.6 * max(x1 - x0, y1 - y0)
    h, w = shape[:2]
    return (max(0, int(x0 - pad)), max(0, int(y0 - pad)), min(w, int(x1 + pad) + 1), min(h, int(y1 + pad) + 1))


def _in_crop(pixels: np.ndarray, points: np.ndarray,
             make_map: Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Remap only the crop around the face (``make_map(xx, yy, points)`` in crop coordinates)."""
    left, top, right, bottom = _crop_box(points, pixels.shape)
    crop = np.ascontiguousarray(pixels[top:bottom, left:right])
    yy, xx = np.mgrid[0:crop.shape[0], 0:crop.shape[1]].astype(np.float64)
    local = points[:, :2] - np.array([left, top], dtype=np.float64)
    map_x, map_y = make_map(xx, yy, local)
    out = pixels.copy()
    out[top:bottom, left:right] = cv2.remap(crop, map_x.astype(np.float32), map_y.astype(np.float32),
                                            cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
    return out


def _iod(p: np.ndarray) -> float:
    return float(np.linalg.norm(p[33, :2] - p[263, :2]))


def _enlarge_eyes(pct: float) -> Callable[[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    factor = 1 + pct / 100

    def make(xx: np.ndarray, yy: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        map_x, map_y = xx.copy(), yy.copy()
        for a, b in ((33, 133), (263, 362)):
            cx, cy = (p[a, :2] + p[b, :2]) / 2
            width = float(np.linalg.norm(p[a, :2] - p[b, :2]))
            r_in, r_out = 0.75 * width, 1.5 * width
            dx, dy = map_x - cx, map_y - cy
            r = np.hypot(dx, dy)
            t = np.clip((r - r_in) / (r_out - r_in), 0, 1)
            k = factor + (1 - factor) * (3 * t ** 2 - 2 * t ** 3)  # output radius = source radius × k
            samples = np.linspace(0, r_out * 1.5, 4000)
            ts = np.clip((samples - r_in) / (r_out - r_in), 0, 1)
            forward = samples * (factor + (1 - factor) * (3 * ts ** 2 - 2 * ts ** 3))
            source = np.interp(r, forward, samples, right=np.nan)
            source = np.where(np.isnan(source), r, source)
            ratio = np.where(r > 1e-9, source / np.maximum(r, 1e-9), 1 / k)
            map_x, map_y = cx + dx * ratio, cy + dy * ratio
        return map_x, map_y

    return make


def _squeeze(pct: float, whole_face: bool) -> Callable[[np.ndarray, np.ndarray, np.ndarray],
                                                         tuple[np.ndarray, np.ndarray]]:
    """Narrow (pct < 0) or widen the face horizontally towards the nose line: below the
    cheekbones (a jaw edit) or from brow to chin (a wider face)."""
    amount = -pct / 100

    def make(xx: np.ndarray, yy: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        iod = _iod(p)
        y_full = float(p[10, 1]) + 0.2 * iod if whole_face else float(p[132, 1]) - 0.15 * iod
        y_from = y_full - 0.3 * iod
        y_to = float(p[152, 1]) + 0.3 * iod
        half = float(np.linalg.norm(p[234, :2] - p[454, :2])) / 2 * 1.1
        x0 = float(p[1, 0])
        ramp = np.clip((yy - y_from) / max(y_full - y_from, 1), 0, 1)
        ramp = np.where(yy > y_to, np.clip(1 - (yy - y_to) / max(y_full - y_from, 1), 0, 1), ramp)
        s = 1 - amount * ramp
        d = xx - x0
        inner, outer = half * s, 1.6 * half
        tb = np.clip((np.abs(d) - inner) / np.maximum(outer - inner, 1e-6), 0, 1)
        outside = np.sign(d) * (half + tb * (outer - half))
        src = np.where(np.abs(d) <= inner, d / s, np.where(np.abs(d) >= outer, d, outside))
        return x0 + src, yy

    return make


def probe(pixels: np.ndarray, points: np.ndarray, name: str, pct: float | None = None) -> np.ndarray:
    """``pixels`` with the probe edit ``name`` (a key of :data:`PROBES`) applied to the face whose
    mesh is ``points`` (image pixels)."""
    size = PROBES[name] if pct is None else pct
    if name == "eye_width":
        return _in_crop(pixels, points, _enlarge_eyes(size))
    if name in ("jaw_width", "face_width"):
        return _in_crop(pixels, points, _squeeze(size, whole_face=name == "face_width"))
    raise KeyError(name)
