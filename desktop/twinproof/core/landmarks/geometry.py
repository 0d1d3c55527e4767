"""Rotated square crops in and out of an image, and the image at two resolutions.

Coordinates: every point TwinProof reports is in *pixel-index* coordinates of the full image:
(0, 0) is the centre of the top-left pixel, x to the right, y down (what numpy indexing,
OpenCV drawing and an image viewer's pixel read-out use). Models speak in *continuous* input
coordinates (0 is the left edge of the input, ``n`` the right edge), the convention they were
trained with; :meth:`Crop.to_image` converts.

A crop is a square of side ``size`` image pixels centred at ``center`` whose x-axis points along
``rotation`` radians, measured clockwise on screen (y is down): an upright face has rotation 0,
a head tilted towards its right shoulder (clockwise on screen) a positive one.

Why two resolutions: detectors and the body model need only a few hundred pixels, so a 24 MP
frame is shrunk once with INTER_AREA (``Pyramid.work``); the face mesh and iris, whose
accuracy is the point, are cut from the full-resolution pixels, shrinking only the face's own
region with INTER_AREA first so a 2000-pixel face is not aliased down to 192 pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

#: Long side of the working copy used for detection and the body model.
WORK_LONG_SIDE = 1024


@dataclass(frozen=True)
class Crop:
    """The square region of the image a model was run on."""

    center: tuple[float, float]
    size: float
    rotation: float = 0.0

    def scale(self, n: int) -> float:
        """Image pixels per model-input pixel."""
        return self.size / n

    def to_image(self, points: np.ndarray, n: int, *, flipped: bool = False) -> np.ndarray:
        """Map model outputs (k, >=2; x, y[, z] in continuous input pixels) to image pixels.

        z, where given, is scaled like x and y so it stays in image-pixel units.
        """
        pts = np.array(points, dtype=np.float64, copy=True)
        if flipped:
            pts[:, 0] = n - pts[:, 0]
        s = self.size / n
        c, si = math.cos(self.rotation), math.sin(self.rotation)
        u, v = (pts[:, 0] - n / 2) * s, (pts[:, 1] - n / 2) * s
        pts[:, 0] = self.center[0] + c * u - si * v
        pts[:, 1] = self.center[1] + si * u + c * v
        if pts.shape[1] > 2:
            pts[:, 2] *= s
        return pts

    def image_to_input(self, n: int) -> np.ndarray:
        """2x3 affine: image pixel-index coords -> input pixel-index coords (for warpAffine)."""
        k = n / self.size
        c, si = math.cos(self.rotation) * k, math.sin(self.rotation) * k
        cx, cy = self.center
        off = n / 2 - 0.5
        return np.array(
            [[c, si, off - c * cx - si * cy], [-si, c, off + si * cx - c * cy]], dtype=np.float64
        )

    def to_dict(self) -> dict[str, float | list[float]]:
        return {
            "center": [round(self.center[0], 3), round(self.center[1], 3)],
            "size": round(self.size, 3),
            "rotation_deg": round(math.degrees(self.rotation), 3),
        }


def angle_of(start: np.ndarray, end: np.ndarray, target: float = 0.0) -> float:
    """Crop rotation that makes the vector start->end point at ``target`` radians in the crop
    (0 = to the right, pi/2 = up), normalised to (-pi, pi]; MediaPipe's rule."""
    dx, dy = float(end[0] - start[0]), float(end[1] - start[1])
    angle = target - math.atan2(-dy, dx)
    return angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Accept uint8, uint16 or float [0, 1] images, gray, RGB or RGBA; return uint8 or float32
    HxWx3 without copying when the input is already one of those."""
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3) or image.size == 0:
        raise ValueError("expected an HxW or HxWxC image array")
    if image.ndim == 2:
        image = image[:, :, None]
    channels = image.shape[2]
    if channels not in (1, 3, 4):
        raise ValueError(f"expected 1, 3 or 4 channels, got {channels}")
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype.kind == "f":
        image = image.astype(np.float32, copy=False)
    elif image.dtype != np.uint8:
        raise ValueError(f"expected uint8, uint16 or float pixels, got {image.dtype}")
    if channels == 1:
        image = np.repeat(image, 3, axis=2)
    elif channels == 4:
        image = image[:, :, :3]
    return np.ascontiguousarray(image)


class Pyramid:
    """The full-resolution image and one INTER_AREA working copy, with crop extraction."""

    def __init__(self, image: np.ndarray, work_long_side: int = WORK_LONG_SIDE) -> None:
        self.full = as_rgb(image)
        self.height, self.width = self.full.shape[:2]
        # An integer shrink factor takes OpenCV's fast INTER_AREA path (about 2x faster on
        # 24 MP); the at most k-1 rows/columns it leaves off only matter to the detectors,
        # which see them as border.
        # Never shrink the short side below one pixel (a 20000x2 strip would become 0 rows).
        k = min(math.ceil(max(self.width, self.height) / work_long_side), self.width, self.height)
        if k > 1:
            h, w = (self.height // k) * k, (self.width // k) * k
            self.work = cv2.resize(self.full[:h, :w], (w // k, h // k), interpolation=cv2.INTER_AREA)
        else:
            self.work = self.full
        self.work_fx = self.work_fy = 1.0 / k

    def whole_frame(self) -> Crop:
        """The letterbox square around the whole image."""
        return Crop(((self.width - 1) / 2, (self.height - 1) / 2), float(max(self.width, self.height)))

    def extract(self, crop: Crop, n: int, *, full: bool = False, flip: bool = False) -> np.ndarray:
        """The crop as an n x n x 3 float32 array in [0, 1], zero outside the image.

        ``full`` cuts from the full-resolution pixels (face mesh, iris); otherwise from the
        working copy, unless that has too few pixels for this crop.
        """
        density = n / crop.size  # input pixels per image pixel
        use_work = not full and min(self.work_fx, self.work_fy) >= 1.5 * density
        if use_work:
            src, fx, fy, x0, y0 = self.work, self.work_fx, self.work_fy, 0, 0
        else:
            src, fx, fy, x0, y0 = self._region(crop, density)
        # source index r -> image index p = (r + 0.5) / f - 0.5 + origin
        to_image = np.array(
            [[1 / fx, 0, 0.5 / fx - 0.5 + x0], [0, 1 / fy, 0.5 / fy - 0.5 + y0], [0, 0, 1]]
        )
        m = crop.image_to_input(n) @ to_image
        out = cv2.warpAffine(src, m, (n, n), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
        if out.dtype == np.uint8:
            out = out.astype(np.float32) * np.float32(1 / 255)
        else:
            np.clip(out, 0.0, 1.0, out=out)
        return out[:, ::-1] if flip else out

    def _region(self, crop: Crop, density: float) -> tuple[np.ndarray, float, float, int, int]:
        """The full-resolution pixels under the crop, shrunk with INTER_AREA by the integer
        factor that leaves at least 1.5x the crop's sampling density (bilinear warping alone
        would alias a large shrink; integer factors take OpenCV's fast path)."""
        half = crop.size / 2 * (abs(math.cos(crop.rotation)) + abs(math.sin(crop.rotation))) + 2
        k = max(1, math.floor(1.0 / (1.5 * density)))
        x0, x1 = _aligned(crop.center[0] - half, crop.center[0] + half, k, self.width)
        y0, y1 = _aligned(crop.center[1] - half, crop.center[1] + half, k, self.height)
        if x1 <= x0 or y1 <= y0:  # entirely outside: any source gives zeros
            return self.full[:1, :1], 1.0, 1.0, 0, 0
        region = self.full[y0:y1, x0:x1]
        if k == 1:
            return region, 1.0, 1.0, x0, y0
        size = ((x1 - x0) // k, (y1 - y0) // k)
        return cv2.resize(region, size, interpolation=cv2.INTER_AREA), 1.0 / k, 1.0 / k, x0, y0


def _aligned(lo: float, hi: float, k: int, limit: int) -> tuple[int, int]:
    """Integer bounds within [0, limit) covering [lo, hi] as far as possible, length a
    multiple of k (empty when [lo, hi] misses the image)."""
    start, stop = max(0, math.floor(lo)), min(limit, math.ceil(hi) + 1)
    if stop <= start:
        return 0, 0
    n = math.ceil((stop - start) / k)
    if start + n * k <= limit:
        return start, start + n * k
    n = min(n, limit // k)
    return limit - n * k, limit
