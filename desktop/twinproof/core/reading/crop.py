"""One image's face region, resampled so the eyes are a fixed distance apart.

A new shot's two faces come at any size and position: cutting each from its own image at the
same eye distance (``IOD_PX``) puts skin colour and texture on one face-relative scale."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from twinproof.core.loaded_image import LoadedImage

IOD_PX = 160.0
MAX_UPSCALE = 3.0


@dataclass(frozen=True)
class FaceCrop:
    pixels: np.ndarray  # float32 RGB in [0, 1]
    valid: np.ndarray  # bool: inside the image
    origin: tuple[float, float]
    scale: float  # crop px per image px

    def to_crop(self, pts: np.ndarray) -> np.ndarray:
        out = np.array(pts[:, :2], dtype=np.float64, copy=True)
        out[:, 0] = (out[:, 0] - self.origin[0]) * self.scale
        out[:, 1] = (out[:, 1] - self.origin[1]) * self.scale
        return out


def as_float(img: np.ndarray) -> np.ndarray:
    scale = 65535.0 if img.dtype == np.uint16 else 255.0
    return img.astype(np.float32) / np.float32(scale)


def face_crop(pixels: np.ndarray | LoadedImage, mesh: np.ndarray, iod: float) -> FaceCrop:
    """The mesh's box plus 25 % each way, scaled so the outer eye corners are ``IOD_PX`` apart.

    Given the loaded image, the crop is cut from its cheapest decode with at least twice the
    crop's resolution (a 24 MP close-up's face needs a fraction of its pixels: no full decode),
    its geometry (``origin``, ``scale``) still in the file's pixels."""
    if isinstance(pixels, LoadedImage):
        return _face_crop_scaled(pixels, mesh, iod)
    x0, y0 = mesh[:, :2].min(axis=0)
    x1, y1 = mesh[:, :2].max(axis=0)
    mx, my = 0.25 * (x1 - x0), 0.25 * (y1 - y0)
    x0, y0, x1, y1 = x0 - mx, y0 - my, x1 + mx, y1 + my
    scale = min(MAX_UPSCALE, IOD_PX / iod)
    w, h = max(8, round((x1 - x0) * scale)), max(8, round((y1 - y0) * scale))
    src = pixels
    if scale < 0.7:  # shrink the region first (area averaging) so the warp does not alias
        ix0, iy0 = max(0, int(x0)), max(0, int(y0))
        ix1, iy1 = min(pixels.shape[1], int(np.ceil(x1)) + 1), min(pixels.shape[0], int(np.ceil(y1)) + 1)
        sub = pixels[iy0:iy1, ix0:ix1]
        src = cv2.resize(sub, (max(1, round(sub.shape[1] * scale)), max(1, round(sub.shape[0] * scale))),
                         interpolation=cv2.INTER_AREA)
        # src px -> image px: ix0 + s / f (f: the resize's own factor); image px -> crop px below
        fx, fy = src.shape[1] / max(1, sub.shape[1]), src.shape[0] / max(1, sub.shape[0])
        m = np.array([[scale / fx, 0, (ix0 - x0) * scale], [0, scale / fy, (iy0 - y0) * scale]])
    else:
        m = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], dtype=np.float64)
    out = as_float(cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT))
    # inside the image: crop pixel -> image pixel is origin + p / scale (no mask of the full image)
    xs = x0 + np.arange(w) / scale
    ys = y0 + np.arange(h) / scale
    rows = (ys >= -0.5) & (ys <= pixels.shape[0] - 0.5)
    cols = (xs >= -0.5) & (xs <= pixels.shape[1] - 0.5)
    valid = rows[:, None] & cols[None, :]
    return FaceCrop(out, valid, (float(x0), float(y0)), float(scale))


def _face_crop_scaled(image: LoadedImage, mesh: np.ndarray, iod: float) -> FaceCrop:
    """:func:`face_crop` on a decode at ``s`` decoded px per file px (a decoded pixel's centre
    u is file pixel (u + 0.5) / s - 0.5, as ``landmarks/rescale.py`` maps the models' points)."""
    pixels, s = image.at_scale(min(1.0, 2.0 * min(MAX_UPSCALE, IOD_PX / iod)))
    if s >= 1.0:
        return face_crop(pixels, mesh, iod)
    on_decode = np.array(mesh[:, :2], dtype=np.float64, copy=True)
    on_decode = (on_decode + 0.5) * s - 0.5
    crop = face_crop(pixels, on_decode, iod * s)
    origin = ((crop.origin[0] + 0.5) / s - 0.5, (crop.origin[1] + 0.5) / s - 0.5)
    return FaceCrop(crop.pixels, crop.valid, origin, crop.scale * s)
