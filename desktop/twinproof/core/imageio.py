"""Load images the way photographers' files really are.

The result is always an RGB array in the sRGB encoding, so every metric starts from the same
place: EXIF orientation applied, an embedded ICC profile converted to sRGB, alpha composited
over white (what a page or a viewer shows), grayscale and palette expanded, 16-bit kept whole.
Metrics then pick their own space: SSIM works on sRGB-encoded luma (as viewers see it),
ΔE2000 on CIELAB computed from linearised sRGB (see ``colour.py``).

Every failure is a typed :mod:`twinproof.core.errors` error, never a Pillow traceback.
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from twinproof.core import decode_budget, deep_images, errors, formats, heif_images, metadata_scan
from twinproof.core.colour_profiles import apply_icc
from twinproof.core.native_output import captured
from twinproof.core.pixel_limit import DEFAULT_MAX_PIXELS as DEFAULT_MAX_PIXELS  # re-exported
from twinproof.core.pixel_limit import MAX_PIXELS_ENV as MAX_PIXELS_ENV
from twinproof.core.pixel_limit import (
    _bomb_reason,
    _check_size,
    _raise_pillow_ceiling,
    check_declared_size,
)
from twinproof.core.pixel_limit import default_max_pixels as default_max_pixels

LOG = logging.getLogger("twinproof.imageio")
_TIFF_BITS_PER_SAMPLE = 258


@dataclass
class LoadedImage:
    """An image ready for measurement.

    ``pixels`` is HxWx3 uint8 or uint16 in the sRGB encoding (the native depth is kept, so a
    16-bit file loses nothing); ``rgb`` is the same as float32 in [0, 1], made on first use.
    ``handling`` lists, in words, what was done to the file's pixels to get here.
    """

    path: Path
    pixels: np.ndarray
    format: str
    source_mode: str
    bit_depth: int
    handling: list[str] = field(default_factory=list)
    frames: int = 1

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def megapixels(self) -> float:
        return self.width * self.height / 1e6

    @cached_property
    def rgb(self) -> np.ndarray:
        """float32 HxWx3 sRGB-encoded values in [0, 1]."""
        scale = 65535.0 if self.pixels.dtype == np.uint16 else 255.0
        return self.pixels.astype(np.float32) / np.float32(scale)

    def describe(self) -> dict[str, object]:
        """The JSON form the CLI prints (no pixels)."""
        return {
            "path": str(self.path),
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "mode": self.source_mode,
            "bit_depth": self.bit_depth,
            "frames": self.frames,
            "colour_handling": list(self.handling),
        }


def load_image(path: str | Path, *, max_pixels: int | None = None) -> LoadedImage:
    """Read ``path`` into a :class:`LoadedImage` or raise a typed ``ImageLoadError``.

    Only the formats of :mod:`formats` are opened, whatever the file is named; ``max_pixels``
    (None or not positive: :func:`default_max_pixels`) refuses larger pictures from their
    header, before any decoding; the rest of the budget (time, memory, metadata) is
    :mod:`decode_budget`'s. Every exception a decoder raises ends here as a typed error.
    """
    path = Path(path)
    if not max_pixels or max_pixels <= 0:
        max_pixels = default_max_pixels()
    size = _check_file(path)
    budget = decode_budget.Budget(path)
    with typed_errors(path, max_pixels):
        with open(path, "rb") as raw:
            loaded = _load(path, raw, size, max_pixels, budget)
        budget.check()
        _check_size(path, (loaded.width, loaded.height), max_pixels)  # what was decoded
        return loaded
    raise AssertionError("unreachable")  # typed_errors re-raises; this satisfies type checkers


@contextmanager
def typed_errors(path: Path, max_pixels: int | None = None) -> Iterator[None]:
    """The loading boundary: whatever a decoder raises leaves as an ``ImageLoadError``.
    ``max_pixels`` is the limit to name when Pillow's own bomb check fires first."""
    try:
        yield
    except errors.ImageLoadError:
        raise
    except decode_budget.DecodeStopped as exc:
        raise exc.error from None
    except UnidentifiedImageError as exc:
        raise errors.NotAnImageError(path) from exc
    except Image.DecompressionBombError as exc:
        raise errors.ImageTooLargeError(path, _bomb_reason(exc, max_pixels)) from exc
    except MemoryError as exc:
        raise errors.ImageTooLargeError(path, "not enough memory to decode it") from exc
    except PermissionError as exc:
        raise errors.ImageUnreadableError(path, "permission denied") from exc
    except NotImplementedError as exc:  # e.g. a TIFF whose compression Pillow cannot decode
        raise errors.UnsupportedEncodingError(path, errors.one_line(exc)) from exc
    except Exception as exc:  # the loading boundary: no decoder error escapes
        LOG.debug("decoder failure on %s", path, exc_info=True)
        raise errors.ImageTruncatedError(path, errors.one_line(exc)) from exc


def _load(path: Path, raw: BinaryIO, size: int, max_pixels: int,
          budget: decode_budget.Budget) -> LoadedImage:
    head = raw.read(64)
    fmt = formats.identify(head)
    if fmt is None:
        other = formats.describe_other(head)
        raise errors.NotAnImageError(path, f"it is {other}" if other else None)
    decode_budget.check_file_size(path, size, fmt)
    metadata_scan.scan(fmt, raw, size, path, budget)
    _raise_pillow_ceiling(max_pixels)
    # Pillow warns (to stderr) about corrupt EXIF and other damage it works around: keep
    # those out of the terminal and say them in the result's handling instead.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our limit applies
        if fmt == "HEIF":
            pixels, depth, mode, handling, frames = heif_images.decode_heif(
                path, raw, budget, lambda s: _check_size(path, s, max_pixels))
            loaded = LoadedImage(path, pixels, "HEIF", mode, depth, handling, frames)
        else:
            with _open_pillow(path, fmt, decode_budget.BudgetedFile(raw, budget)) as im:
                check_declared_size(path, head, im.size, max_pixels)
                budget.allow(im.width * im.height * 8)
                loaded = _decode(path, im)
    for warning in caught:
        message = warning.message
        text = errors.one_line(message) if isinstance(message, Warning) else str(message)[:160]
        note = f"decoder warning: {text}"
        if note not in loaded.handling:
            loaded.handling.append(note)
    return loaded


def _open_pillow(path: Path, fmt: str, fp: decode_budget.BudgetedFile) -> Image.Image:
    """The Pillow plugin for ``fmt`` and nothing else (``Image.open`` would try them all)."""
    Image.init()
    if fmt not in Image.OPEN:
        raise errors.UnsupportedEncodingError(path, f"this Pillow has no {fmt} decoder")
    factory, _accept = Image.OPEN[fmt]
    im = factory(fp, "")  # type: ignore[arg-type]  # a file-like object, as Image.open passes
    if im.format != fmt and not (fmt == "JPEG" and im.format == "MPO"):
        raise errors.NotAnImageError(path)
    return im


def _check_file(path: Path) -> int:
    """Refuse what is not a readable regular file, from ``stat`` (never opened); its size."""
    try:
        st = path.stat()
    except FileNotFoundError as exc:
        if path.is_symlink():
            raise errors.ImageUnreadableError(path, "broken symbolic link") from exc
        raise errors.ImageNotFoundError(path) from exc
    except PermissionError as exc:
        raise errors.ImageUnreadableError(path, "permission denied") from exc
    except OSError as exc:  # e.g. a symlink loop (ELOOP) or a name too long
        raise errors.ImageUnreadableError(path, exc.strerror or errors.one_line(exc)) from exc
    if path.is_dir():
        raise errors.ImageUnreadableError(path, "it is a folder")
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block the reader forever, a device never end
        raise errors.ImageUnreadableError(path, "not a regular file (a pipe, device or socket)")
    if st.st_size == 0:
        raise errors.NotAnImageError(path, "the file is empty")
    if not os.access(path, os.R_OK):
        raise errors.ImageUnreadableError(path, "permission denied")
    return int(st.st_size)


def _decode(path: Path, im: Image.Image) -> LoadedImage:
    fmt = im.format or "unknown"
    frames = int(getattr(im, "n_frames", 1) or 1)
    handling: list[str] = []
    if frames > 1:
        handling.append(f"first of {frames} frames used")
    deep = None
    if fmt == "TIFF" and _tiff_is_16bit(im):
        deep = deep_images.decode_tiff16(path, im, handling)
    elif fmt == "PNG" and deep_images.png_is_16bit_colour(path):
        deep = deep_images.decode_png16(path, im, handling)
    if deep is not None:
        return LoadedImage(path, deep[0], fmt, im.mode, deep[1], handling, frames)
    source_mode = im.mode
    if fmt == "TIFF":
        with captured(handling):  # libtiff prints its warnings to stderr itself
            im.load()
    else:
        im.load()
    try:
        oriented = ImageOps.exif_transpose(im)
    except Exception as exc:  # noqa: BLE001 - any corrupt EXIF: keep the pixels, say so
        handling.append(f"EXIF unreadable, orientation not applied ({errors.one_line(exc)})")
        oriented = im
    else:
        orientation = im.getexif().get(0x0112, 1) if hasattr(im, "getexif") else 1
        if orientation in (2, 3, 4, 5, 6, 7, 8):
            handling.append(f"EXIF orientation {orientation} applied")
        elif orientation not in (None, 1):
            handling.append(f"EXIF orientation {orientation!r} is not valid (1-8): ignored")
    pixels, depth = _to_srgb_array(path, oriented, im.info.get("icc_profile"), handling)
    return LoadedImage(path, pixels, fmt, source_mode, depth, handling, frames)


def _to_srgb_array(
    path: Path, im: Image.Image, icc: bytes | None, handling: list[str]
) -> tuple[np.ndarray, int]:
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N") or (mode == "I" and _max_value(im) > 255):
        gray16 = np.asarray(im, dtype=np.uint32).clip(0, 65535).astype(np.uint16)
        handling.append("16-bit grayscale expanded to RGB")
        return np.repeat(gray16[:, :, None], 3, axis=2), 16
    if mode in ("F", "I"):
        handling.append(f"{mode} grayscale scaled to 8 bits")
        im = im.convert("L")
        mode = "L"
    if mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
        handling.append("palette expanded")
        mode = im.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = _composite_on_white(im)
        handling.append("alpha composited over white")
        mode = "RGB"
    if mode == "CMYK":
        if icc:
            im = apply_icc(im, icc, handling, "CMYK")
        else:
            handling.append("CMYK without a profile: naive conversion, colours approximate")
            im = im.convert("RGB")
        icc = None
        mode = "RGB"
    if mode in ("1", "L"):
        if icc and mode == "L":
            im = apply_icc(im, icc, handling, "L")
            icc = None
        else:
            im = im.convert("RGB")
            handling.append("grayscale expanded to RGB")
        mode = "RGB"
    if mode in ("YCbCr", "LAB", "HSV"):
        im = im.convert("RGB")
        handling.append(f"{mode} converted to RGB")
        mode = "RGB"
    if mode != "RGB":
        raise errors.UnsupportedImageModeError(path, f"mode {mode}")
    if icc:
        im = apply_icc(im, icc, handling, "RGB")
    elif not any("profile" in h or "CMYK" in h for h in handling):
        handling.append("no ICC profile: sRGB assumed")
    return np.asarray(im, dtype=np.uint8).copy(), 8


def _max_value(im: Image.Image) -> int:
    extrema = im.getextrema()
    if isinstance(extrema, tuple) and len(extrema) == 2 and isinstance(extrema[1], int | float):
        return int(extrema[1])
    return 0


def _composite_on_white(im: Image.Image) -> Image.Image:
    rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _tiff_is_16bit(im: Image.Image) -> bool:
    tags = getattr(im, "tag_v2", {})
    bits = tags.get(_TIFF_BITS_PER_SAMPLE)
    if bits is None:
        return False
    values = bits if isinstance(bits, tuple) else (bits,)
    return max(int(b) for b in values) > 8 and im.mode not in ("I;16", "I;16B", "I;16L")
