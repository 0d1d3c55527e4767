"""Load images the way photographers' files really are.

The result is always an RGB array in the sRGB encoding, so every metric starts from the same
place: EXIF orientation applied, an embedded ICC profile converted to sRGB, alpha composited
over white (what a page or a viewer shows), grayscale and palette expanded, 16-bit kept whole.
Metrics then pick their own space: SSIM works on sRGB-encoded luma (as viewers see it),
ΔE2000 on CIELAB computed from linearised sRGB (see ``colour.py``).

Every failure is a typed :mod:`twinproof.core.errors` error, never a Pillow traceback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import logging
import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from twinproof.core import decode_budget, deep_images, errors, formats, heif_images, metadata_scan
from twinproof.core.caught_warnings import decoder_warnings
from twinproof.core.colour_profiles import apply_icc
from twinproof.core.loaded_image import LoadedImage as LoadedImage  # re-exported
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


def load_image(path: str | Path, *, max_pixels: int | None = None, long_side: int | None = None) -> LoadedImage:
    """Read ``path`` into a :class:`LoadedImage` or raise a typed ``ImageLoadError``.

    Only the formats of :mod:`formats` are opened, whatever the file is named; ``max_pixels``
    (None or not positive: :func:`default_max_pixels`) refuses larger pictures from their
    header, before any decoding; the rest of the budget (time, memory, metadata) is
    :mod:`decode_budget`'s. Every exception a decoder raises ends here as a typed error.
    ``long_side``: the long side the caller measures at; a JPEG at least twice as long is
    decoded at ½, ¼ or ⅛ scale by DCT scaling (never below ``long_side``), its bytes kept for
    a full decode should a measurement need one.
    """
    path = Path(path)
    if not max_pixels or max_pixels <= 0:
        max_pixels = default_max_pixels()
    size = _check_file(path)
    budget = decode_budget.Budget(path)
    with typed_errors(path, max_pixels):
        with open(path, "rb") as raw:
            data = None
            if long_side and formats.identify(raw.read(64)) == "JPEG":
                raw.seek(0)
                data = raw.read()  # 6-12 MB for 24 MP: a later full decode reads these same bytes
                digest = hashlib.sha256(data).hexdigest()
                key = (digest, long_side, max_pixels)
                known = _known_decode(path, key)
                if known is not None:
                    return known
                loaded = _load(path, io.BytesIO(data), size, max_pixels, budget, long_side=long_side)
            else:
                raw.seek(0)
                loaded = _load(path, raw, size, max_pixels, budget)
        budget.check()
        _check_size(path, (loaded.width, loaded.height), max_pixels)  # what was decoded
        if data is not None:
            loaded.content_hash = digest
            if loaded.scale < 1:
                loaded.redecode = _redecoder(path, data, size, max_pixels)
            _keep_decode(key, loaded)
        return loaded
    raise AssertionError("unreachable")  # typed_errors re-raises; this satisfies type checkers


#: The last few JPEG decodes made for a working size, by the SHA-256 of their bytes, the size
#: asked and the pixel limit: a real photograph paired with several twins is decoded once, and
#: so are the finer decodes its face crops ask for (``LoadedImage._decodes``, shared). Their
#: pixels are read-only, so no measurement can change what the next pair sees.
_DECODES: OrderedDict[tuple[str, int, int], LoadedImage] = OrderedDict()
_DECODES_LOCK = threading.Lock()
_DECODES_KEPT = 2


def _known_decode(path: Path, key: tuple[str, int, int]) -> LoadedImage | None:
    with _DECODES_LOCK:
        found = _DECODES.get(key)
        if found is None:
            return None
        _DECODES.move_to_end(key)
    # The same pixels (and decodes) under this call's name; its own list of what was done.
    return dataclasses.replace(found, path=path, handling=list(found.handling), _decodes=found._decodes)


def _keep_decode(key: tuple[str, int, int], loaded: LoadedImage) -> None:
    loaded.decoded.flags.writeable = False
    with _DECODES_LOCK:
        _DECODES[key] = dataclasses.replace(loaded, handling=list(loaded.handling), _decodes=loaded._decodes)
        while len(_DECODES) > _DECODES_KEPT:
            _DECODES.popitem(last=False)


def _redecoder(path: Path, data: bytes, size: int, max_pixels: int) -> Callable[[int], np.ndarray]:
    def redecode(denominator: int) -> np.ndarray:
        budget = decode_budget.Budget(path)
        with typed_errors(path, max_pixels):
            again = _load(path, io.BytesIO(data), size, max_pixels, budget, denominator=denominator)
            budget.check()
            return again.decoded
        raise AssertionError("unreachable")

    return redecode


def _draft(im: Image.Image, long_side: int | None, denominator: int | None) -> int:
    """Ask libjpeg for a DCT-scaled decode (before any pixel is decoded); the denominator got."""
    if im.format not in ("JPEG", "MPO") or im.mode not in ("RGB", "L"):
        return 1
    w, h = im.size
    want = denominator or next((d for d in (8, 4, 2) if long_side and max(w, h) / d >= long_side), 1)
    if want <= 1:
        return 1
    im.draft(im.mode, (max(1, w // want), max(1, h // want)))
    return max(1, round(w / im.size[0]))


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


def _load(path: Path, raw: BinaryIO, size: int, max_pixels: int, budget: decode_budget.Budget,
          long_side: int | None = None, denominator: int | None = None) -> LoadedImage:
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
    # (one decode at a time may catch them: core/caught_warnings.py says why)
    with decoder_warnings(ignore=(Image.DecompressionBombWarning,)) as caught:  # our limit applies
        if fmt == "HEIF":
            pixels, depth, mode, handling, frames = heif_images.decode_heif(
                path, raw, budget, lambda s: _check_size(path, s, max_pixels))
            loaded = LoadedImage(path, pixels, "HEIF", mode, depth, handling, frames)
        else:
            with _open_pillow(path, fmt, decode_budget.BudgetedFile(raw, budget)) as im:
                check_declared_size(path, head, im.size, max_pixels)
                full = im.size
                got = _draft(im, long_side, denominator)
                budget.allow(im.width * im.height * 8)
                loaded = _decode(path, im)
                if got > 1:
                    _scaled(loaded, got, full)
    for warning in caught:
        message = warning.message
        text = errors.one_line(message) if isinstance(message, Warning) else str(message)[:160]
        note = f"decoder warning: {text}"
        if note not in loaded.handling:
            loaded.handling.append(note)
    return loaded


def _open_pillow(path: Path, fmt: str, fp: decode_budget.BudgetedFile) -> Image.Image:
    """The Pillow plugin for ``fmt`` and nothing else (``Image.open`` would try them all).
    JPEG and PNG are among the few plugins ``preinit`` imports; the other ~40 (~25 ms at every
    start) only when the file is of another kind."""
    Image.preinit()
    if fmt not in Image.OPEN:
        Image.init()
    if fmt not in Image.OPEN:
        raise errors.UnsupportedEncodingError(path, f"this Pillow has no {fmt} decoder")
    factory, _accept = Image.OPEN[fmt]
    im = factory(fp, "")  # type: ignore[arg-type]  # a file-like object, as Image.open passes
    if im.format != fmt and not (fmt == "JPEG" and im.format == "MPO"):
        raise errors.NotAnImageError(path)
    return im


def _scaled(loaded: LoadedImage, denominator: int, full: tuple[int, int]) -> None:
    """Mark a DCT-scaled decode: its scale, and the full frame's size (after EXIF orientation)."""
    w, h = full
    turned = (loaded.decoded.shape[1], loaded.decoded.shape[0]) != (-(-w // denominator), -(-h // denominator))
    loaded.scale = 1.0 / denominator
    loaded.full_size = (h, w) if turned else (w, h)
    loaded.handling.append(f"decoded at 1/{denominator} scale (JPEG DCT scaling) for the working size; "
                           "full resolution only where a measurement needs it")


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
