"""Pixels for the screen: reduced-resolution pyramids, heat-map images and thumbnails.

Why a pyramid: painting a 24-60 MP image scaled down to a 1500 px pane makes the raster engine
read every source pixel on every frame. Each level halves the previous one (area averaging),
and the view paints from the smallest level that still has at least one pixel per screen
pixel, so a fitted view touches ~2 MP whatever the file size, and 100 %+ zoom paints only the
visible part of the full-resolution level.

Everything here runs on worker threads (QImage is safe to build off the GUI thread); nothing
measures anything: the heat maps come from ``PairAnalysis.maps`` and are only coloured here.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageIOHandler, QImageReader

from twinproof.core.errors import ImageLoadError
from twinproof.core.heat_scale import SCALES
from twinproof.core.image_header import ImageHeader, read_header
from twinproof.core.imageio import LoadedImage, load_image
from twinproof.core.native_output import captured

#: Stop halving when the long side is at or below this.
SMALLEST_LEVEL = 1024


def to_qimage(rgb: np.ndarray) -> QImage:
    """An 8-bit RGB array as a QImage in the raster engine's fastest format (RGB32)."""
    if rgb.dtype == np.uint16:
        rgb = (rgb >> 8).astype(np.uint8)
    elif rgb.dtype != np.uint8:
        rgb = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8)
    bgra = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2BGRA)
    h, w = bgra.shape[:2]
    image = QImage(bgra.data, w, h, 4 * w, QImage.Format.Format_RGB32)
    return image.copy()  # own the pixels: the numpy buffer goes away with this frame


@dataclass
class Pyramid:
    """Levels of one image, full size first; ``scales[i]`` = level pixels per image pixel."""

    levels: list[QImage]
    scales: list[float]
    width: int
    height: int

    def level_for(self, screen_per_image: float) -> int:
        """The smallest level that still gives at least one source pixel per screen pixel."""
        best = 0
        for i, s in enumerate(self.scales):
            if s >= screen_per_image:
                best = i
        return best

    @property
    def nbytes(self) -> int:
        return sum(level.sizeInBytes() for level in self.levels)


def build_pyramid(image: LoadedImage | np.ndarray) -> Pyramid:
    pixels = image.pixels if isinstance(image, LoadedImage) else image
    if pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)
    h, w = pixels.shape[:2]
    levels, scales = [to_qimage(pixels)], [1.0]
    current = pixels
    while max(current.shape[:2]) > SMALLEST_LEVEL:
        ch, cw = current.shape[:2]
        current = cv2.resize(current, (max(1, cw // 2), max(1, ch // 2)), interpolation=cv2.INTER_AREA)
        levels.append(to_qimage(current))
        scales.append(current.shape[1] / w)
    return Pyramid(levels, scales, w, h)


def _lut(stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    xs = np.linspace(0, 1, 256)
    out = np.zeros((256, 3), np.float64)
    pos = [s[0] for s in stops]
    for c in range(3):
        out[:, c] = np.interp(xs, pos, [s[1][c] for s in stops])
    return out.astype(np.uint8)


#: A perceptually ordered dark-to-bright ramp (inferno-like): dark purple -> orange -> pale yellow.
HEAT_LUT = _lut([(0.0, (20, 11, 52)), (0.25, (101, 21, 110)), (0.5, (188, 55, 84)),
                 (0.75, (249, 140, 10)), (1.0, (252, 255, 164))])

#: How each map is read: value giving no colour, value giving full colour, label for the legend,
#: from the one scale the sheet uses too (``core.heat_scale``). Below the first value nothing
#: is drawn: local SSIM above 0.9 and ΔE00 under 2 (a match in retail colour QC) are not
#: differences a reviewer should be pointed at.
MAP_RANGES: dict[str, tuple[float, float, str]] = {
    kind: (scale.none, scale.full, scale.label) for kind, scale in SCALES.items()}


def heat_image(values: np.ndarray, name: str) -> QImage:
    """A map as ARGB: colour and opacity grow with the difference; NaN (no overlap) is clear."""
    lo, hi, _label = MAP_RANGES.get(name, (float(np.nanmin(values)), float(np.nanmax(values)), name))
    t = (values.astype(np.float32) - lo) / (hi - lo if hi != lo else 1.0)
    nan = ~np.isfinite(t)
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    idx = (t * 255).astype(np.uint8)
    rgb = HEAT_LUT[idx]
    alpha = np.clip(np.sqrt(t) * 255, 0, 255).astype(np.uint8)
    alpha[nan] = 0
    premul = (rgb.astype(np.uint16) * alpha[..., None].astype(np.uint16) // 255).astype(np.uint8)
    bgra = np.dstack([premul[..., 2], premul[..., 1], premul[..., 0], alpha])
    h, w = bgra.shape[:2]
    bgra = np.ascontiguousarray(bgra)
    return QImage(bgra.data, w, h, 4 * w, QImage.Format.Format_ARGB32_Premultiplied).copy()


def legend_image(name: str, width: int = 160, height: int = 10) -> QImage:
    ramp = HEAT_LUT[np.linspace(0, 255, width).astype(np.uint8)]
    bgra = np.dstack([ramp[:, 2], ramp[:, 1], ramp[:, 0], np.full(width, 255, np.uint8)])
    row = np.ascontiguousarray(np.repeat(bgra[None, :, :], height, axis=0))
    return QImage(row.data, width, height, 4 * width, QImage.Format.Format_ARGB32).copy()


#: Files above this many pixels get a quick preview while the full decode runs.
PREVIEW_ABOVE = 8_000_000


def read_preview(path: str, long_side: int = 2048) -> Pyramid | None:
    """A one-level pyramid decoded at reduced size by Qt (JPEG DCT scaling: ~0.1 s for 24 MP).

    Shown for the second or two while the core decodes the full image, then replaced. It is
    only a preview (no ICC conversion), which is why it never outlives the full decode.
    Returns None for small files (the full decode is as fast) or when Qt cannot read the file.
    """
    with captured([]):  # Qt's image plugins (libtiff) print their warnings to stderr
        return _read_preview(path, long_side)


def _read_preview(path: str, long_side: int) -> Pyramid | None:
    reader = _safe_reader(path)
    if reader is None:  # refused, or a format Qt does not decode (HEIF, AVIF): no preview
        return None
    size = reader.size()
    if not size.isValid() or size.width() * size.height() < PREVIEW_ABOVE:
        return None
    width, height = size.width(), size.height()
    if reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90:
        width, height = height, width
    f = long_side / max(size.width(), size.height())
    reader.setScaledSize(QSize(max(1, round(size.width() * f)), max(1, round(size.height() * f))))
    image = reader.read()
    if image.isNull():
        return None
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return Pyramid([image], [image.width() / width], width, height)


def read_thumbnail(path: str, size: int = 96) -> QImage:
    """A quick thumbnail: Qt's JPEG reader decodes at reduced size, so 60 MP files stay fast.

    This is for the pair list only; every pixel that is measured or compared goes through
    ``twinproof.core.imageio`` (ICC, orientation, 16-bit handled the same way as the metrics).
    """
    header = _header(path)
    if header is None:
        return QImage()
    if header.format not in _QT_FORMATS:  # HEIF, AVIF: Qt has no decoder; the core has
        try:
            loaded = load_image(path)
        except ImageLoadError:
            return QImage()
        f = size / max(loaded.width, loaded.height)
        small = cv2.resize(loaded.pixels, (max(1, round(loaded.width * f)), max(1, round(loaded.height * f))),
                           interpolation=cv2.INTER_AREA)
        return to_qimage(small)
    reader = _safe_reader(path, header)
    if reader is None:
        return QImage()
    with captured([]):  # Qt's image plugins (libtiff) print their warnings to stderr
        full = reader.size()
        if full.isValid() and full.width() > 0 and full.height() > 0:
            f = size / max(full.width(), full.height())
            reader.setScaledSize(QSize(max(1, round(full.width() * f)), max(1, round(full.height() * f))))
        image = reader.read()
    return image.convertToFormat(QImage.Format.Format_RGB32) if not image.isNull() else image


#: Formats Qt decodes itself, by the name its plugins use.
_QT_FORMATS = {"JPEG": b"jpeg", "PNG": b"png", "TIFF": b"tiff", "WEBP": b"webp", "GIF": b"gif"}


def _header(path: str) -> ImageHeader | None:
    """The core's gate (format by content, pixel limit, metadata caps); None when refused."""
    try:
        return read_header(path)
    except ImageLoadError:
        return None


def _safe_reader(path: str, header: ImageHeader | None = None) -> QImageReader | None:
    """A Qt reader for a file the core's gate let through, told its format (Qt would otherwise
    pick a plugin from the name or content: ICNS, TGA, SVG...); None when refused or when Qt
    has no decoder for the format."""
    header = header or _header(path)
    if header is None or header.format not in _QT_FORMATS:
        return None
    reader = QImageReader(path, _QT_FORMATS[header.format])
    reader.setDecideFormatFromContent(False)
    reader.setAutoTransform(True)
    return reader
