"""TwinProof's pixel limit: one number, one message, whichever reader meets a large picture.

Why a module of its own: the loader, the header gate (export, app thumbnails) and Pillow's own
bomb check all refuse large pictures, and they used to say it three ways - Pillow's "exceeds
limit of 178956970 pixels" for a GIF whose frame outgrew its canvas, TwinProof's 150 MP
elsewhere. Every refusal now names the limit the user can change.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from PIL import Image

from twinproof.core import errors, formats

#: Default pixel limit: medium-format frames reach 100-150 MP; anything above is refused
#: before decoding, so a "decompression bomb" (a tiny file declaring a huge picture) costs nothing.
DEFAULT_MAX_PIXELS = 150_000_000
#: Raises or lowers the limit for every command and the app (megapixels, > 0).
MAX_PIXELS_ENV = "TWINPROOF_MAX_MEGAPIXELS"

def default_max_pixels() -> int:
    """The pixel limit when a caller gives none: ``$TWINPROOF_MAX_MEGAPIXELS`` or 150 MP.

    An environment variable rather than a setting of one command, so the CLI, the app and the
    export all refuse the same files; a value that is not a positive number is ignored (the
    built-in limit still protects).
    """
    try:
        megapixels = float(os.environ.get(MAX_PIXELS_ENV, "") or "nan")
    except ValueError:
        return DEFAULT_MAX_PIXELS
    return int(megapixels * 1e6) if math.isfinite(megapixels) and megapixels > 0 else DEFAULT_MAX_PIXELS


def check_declared_size(path: Path, head: bytes, size: tuple[int, int], max_pixels: int) -> None:
    """The pixel limit, and a GIF canvas that grew far past its declared size while opened."""
    _check_size(path, size, max_pixels)
    grown = formats.gif_grown_canvas(head, size)
    if grown is not None:
        raise errors.ImageTooLargeError(path, grown)


def _check_size(path: Path, size: tuple[int, int], max_pixels: int) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise errors.NotAnImageError(path, f"it declares an empty picture ({w}x{h})")
    if w * h > max_pixels:
        raise errors.ImageTooLargeError(path, f"{w}x{h} = {_over(w * h, max_pixels)}")


def _over(pixels: int, limit: int) -> str:
    """``400 MP; the limit is 150 MP (...)``, with a decimal when whole numbers would read
    as equal (400.4 MP against a 400 MP limit)."""
    digits = 0 if round(pixels / 1e6) != round(limit / 1e6) else 1
    return (f"{pixels / 1e6:.{digits}f} MP; the limit is {limit / 1e6:.{digits}f} MP (if the file "
            f"is genuine, raise the limit with --max-megapixels or {MAX_PIXELS_ENV})")


def _bomb_reason(exc: Exception, max_pixels: int | None) -> str:
    """TwinProof's limit, in TwinProof's words, when Pillow refused first: a GIF whose frame
    reaches past its small canvas grows while Pillow opens it, and Pillow's check (at twice its
    ``MAX_IMAGE_PIXELS``) fires before the size is ever ours to see - its message named
    Pillow's 178956970-pixel limit, not the one the user can change."""
    limit = max_pixels if max_pixels and max_pixels > 0 else default_max_pixels()
    found = re.search(r"\((\d+) pixels\)", str(exc))
    return _over(int(found.group(1)) if found else limit + 1, limit)


def _raise_pillow_ceiling(max_pixels: int) -> None:
    """Pillow's own bomb check (in its TIFF, GIF and WebP readers) refuses above twice
    ``Image.MAX_IMAGE_PIXELS`` (179 MP by default). Our limit is checked first; only when a
    user raised it above Pillow's is Pillow's raised to match - never switched off (it used to
    be set to None for the whole process, disarming it for every other Pillow user)."""
    ceiling = Image.MAX_IMAGE_PIXELS
    if ceiling is not None and max_pixels > 2 * ceiling:
        Image.MAX_IMAGE_PIXELS = max_pixels // 2 + 1
