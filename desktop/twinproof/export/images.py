"""Pictures for the sheet: original image bytes where possible, heat maps, regions to crop.

Why embed the original files: a sheet that goes to a brand must show the delivered twin,
not a re-encoded copy - fpdf2 puts a JPEG's own bytes in the PDF (DCTDecode) and reuses one
image object for every placement, so the full-resolution pair, the crops and the contact
sheet thumbnail cost the file once. Only files a PDF cannot show as they are (EXIF-rotated,
CMYK, 16-bit TIFF, WebP) go through the core's loader (orientation, ICC -> sRGB) and are
embedded as a quality-95 JPEG, and the sheet says so.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from twinproof.core.heat_scale import SCALES
from twinproof.core.image_header import read_header
from twinproof.core.imageio import default_max_pixels, load_image

#: Colour ramp for heat maps (0 = agrees, 1 = differs): dark blue -> teal -> yellow -> red.
RAMP = np.array([[20, 30, 80], [30, 110, 160], [60, 170, 140], [240, 220, 80], [230, 70, 40],
                 [150, 0, 30]], dtype=np.float32)
NO_DATA = (225, 225, 225)
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Embeddable:
    """What to hand ``FPDF.image``: a path (original bytes) or encoded bytes.

    ``width``/``height`` are the file's own pixel size (the registration's and the
    annotations' coordinates), whatever resolution ``source`` was encoded at.
    """

    source: str | io.BytesIO
    width: int
    height: int
    original: bool
    note: str = ""


def _jpeg(pixels: np.ndarray, quality: int) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality, subsampling=0)
    buffer.seek(0)
    return buffer


def embeddable(path: str | Path, long_side: int | None = None) -> Embeddable:
    """The file itself when a PDF can show it unchanged, else a faithful sRGB JPEG copy.

    ``long_side`` (pixels) shrinks larger images for a mail-sized sheet (area averaging,
    JPEG quality 92), said in the caption; None keeps full resolution.
    """
    p = Path(path)
    limit = max(400_000_000, default_max_pixels())
    head = read_header(p, max_pixels=limit)  # the loader's gate: only formats TwinProof reads
    plain = head.format in ("JPEG", "PNG") and head.mode in ("RGB", "L") and head.orientation in (0, 1)
    small = long_side is None or max(head.width, head.height) <= long_side
    if plain and small:  # an embedded ICC profile travels with it (ICCBased colour space)
        return Embeddable(str(p), head.width, head.height, True)
    fmt, mode = head.format, head.mode
    loaded = load_image(p, max_pixels=limit)
    pixels = loaded.pixels
    if pixels.dtype != np.uint8:
        pixels = (pixels >> 8).astype(np.uint8) if pixels.dtype == np.uint16 else (
            np.clip(pixels, 0, 1) * 255 + 0.5).astype(np.uint8)
    why = "; ".join(loaded.handling) or f"{fmt} {mode}"
    if long_side is not None and max(pixels.shape[:2]) > long_side:
        f = long_side / max(pixels.shape[:2])
        size = (max(1, round(pixels.shape[1] * f)), max(1, round(pixels.shape[0] * f)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
        return Embeddable(_jpeg(pixels, 92), loaded.width, loaded.height, False,
                          f"shown at {size[0]}×{size[1]} (reduced for a smaller sheet)")
    return Embeddable(_jpeg(pixels, 95), loaded.width, loaded.height, False,
                      f"shown as an sRGB JPEG copy ({why})")


def colourise(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Map values to the ramp (lo -> first colour, hi -> last); NaN -> light grey."""
    ok = np.isfinite(values)
    t = np.clip((np.where(ok, values, lo) - lo) / max(hi - lo, 1e-9), 0, 1)
    pos = t * (len(RAMP) - 1)
    i = np.minimum(pos.astype(np.int32), len(RAMP) - 2)
    frac = (pos - i)[..., None]
    rgb = RAMP[i] * (1 - frac) + RAMP[i + 1] * frac
    rgb[~ok] = NO_DATA
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def png_bytes(rgb: np.ndarray, long_side: int = 700) -> io.BytesIO:
    """A small lossless PNG of an RGB array (panels are small; the maps stay crisp)."""
    h, w = rgb.shape[:2]
    f = min(1.0, long_side / max(h, w))
    if f < 1.0:
        rgb = cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))),
                         interpolation=cv2.INTER_AREA)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer


def heat_png(kind: str, values: np.ndarray) -> io.BytesIO:
    """A map on the app's own scale (``core.heat_scale``): the same value, the same place on
    the ramp on paper as on screen."""
    return png_bytes(colourise(SCALES[kind].position(values), 0.0, 1.0))


def legend_png() -> io.BytesIO:
    ramp = np.linspace(0, 1, 256, dtype=np.float32)[None, :].repeat(8, axis=0)
    return png_bytes(colourise(ramp, 0, 1), 256)


def worst_box(values: np.ndarray, real_size: tuple[int, int], highest: bool,
              fraction: float = 0.18) -> Box | None:
    """The window (real-image pixels) where a map is worst: the crop for an image-wide flag."""
    h, w = values.shape
    if not np.isfinite(values).any():
        return None
    side = max(3, int(min(h, w) * fraction)) | 1
    valid = np.isfinite(values).astype(np.float32)
    filled = np.where(np.isfinite(values), values, 0).astype(np.float32)
    num = cv2.boxFilter(filled, -1, (side, side), normalize=False, borderType=cv2.BORDER_CONSTANT)
    den = cv2.boxFilter(valid, -1, (side, side), normalize=False, borderType=cv2.BORDER_CONSTANT)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(den > 0.6 * side * side, num / np.maximum(den, 1), np.nan)
    if not np.isfinite(mean).any():
        return None
    idx = np.nanargmax(mean) if highest else np.nanargmin(mean)
    cy, cx = divmod(int(idx), w)
    sx, sy = real_size[0] / w, real_size[1] / h
    half = side / 2
    return ((cx - half) * sx, (cy - half) * sy, (cx + half) * sx, (cy + half) * sy)


def padded(box: Box, size: tuple[int, int], pad: float = 0.25, minimum: float = 48) -> Box:
    """A crop around ``box`` with some context, square-ish, inside the image."""
    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, minimum), max(y1 - y0, minimum)
    side = max(w, h) * (1 + 2 * pad)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    side = min(side, size[0], size[1])
    nx0 = min(max(0.0, cx - side / 2), size[0] - side)
    ny0 = min(max(0.0, cy - side / 2), size[1] - side)
    return nx0, ny0, nx0 + side, ny0 + side


def apply_matrix(m: np.ndarray, x: float, y: float) -> tuple[float, float]:
    """A 2x3 affine applied to one point."""
    return (float(m[0, 0] * x + m[0, 1] * y + m[0, 2]),
            float(m[1, 0] * x + m[1, 1] * y + m[1, 2]))


def finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
