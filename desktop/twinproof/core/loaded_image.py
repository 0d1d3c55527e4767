"""The decoded image every measurement starts from (made by :func:`twinproof.core.imageio.load_image`).

Kept apart from the loader so the loader stays about files and decoders, and this about what a
measurement may ask of an image: its full-resolution frame, and a decode at the scale it needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

_REDECODING = threading.Lock()


@dataclass
class LoadedImage:
    """An image ready for measurement.

    ``pixels`` is HxWx3 uint8 or uint16 in the sRGB encoding (the native depth is kept, so a
    16-bit file loses nothing); ``rgb`` is the same as float32 in [0, 1], made on first use.
    ``handling`` lists, in words, what was done to the file's pixels to get here.

    A large JPEG loaded for a working size (``load_image(..., long_side=2048)``) is decoded by
    DCT scaling at ½, ¼ or ⅛ (``decoded``, ``scale`` decoded pixels per file pixel): what the
    working-size measurements need at a fraction of the cost. ``width``/``height`` and every
    coordinate stay in the file's full-resolution pixels; :meth:`at_scale` gives the cheapest
    decode with at least the resolution a measurement asks for, and ``pixels`` is the full
    decode, made from the same bytes on first use only.
    """

    path: Path
    decoded: np.ndarray
    format: str
    source_mode: str
    bit_depth: int
    handling: list[str] = field(default_factory=list)
    frames: int = 1
    #: Decoded pixels per file pixel (1: full resolution; ½, ¼, ⅛ after JPEG DCT scaling).
    scale: float = 1.0
    #: (width, height) of the full-resolution frame when ``decoded`` is smaller.
    full_size: tuple[int, int] | None = None
    #: Decodes the same bytes at 1/denominator scale (set when ``scale`` < 1).
    redecode: Callable[[int], np.ndarray] | None = field(default=None, repr=False, compare=False)
    _decodes: dict[int, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    #: SHA-256 of the bytes decoded, when they were read whole (the reading cache's key without
    #: reading the file again, and exactly the content measured).
    content_hash: str | None = field(default=None, compare=False)

    @property
    def pixels(self) -> np.ndarray:
        """The full-resolution pixels (decoded on first use after a scaled load)."""
        return self.decoded if self.scale >= 1.0 else self.at_scale(1.0)[0]

    def at_scale(self, min_scale: float) -> tuple[np.ndarray, float]:
        """The cheapest decode with at least ``min_scale`` decoded pixels per file pixel, and its
        scale (coordinates map as ``decoded = file * scale``, the convention of ``registration``)."""
        if self.scale >= min_scale or self.redecode is None:
            return self.decoded, self.scale
        denominator = next(d for d in (8, 4, 2, 1) if 1.0 / d >= min_scale - 1e-9)
        with _REDECODING:  # two steps on two threads (core/read_ahead.py) ask once between them
            if denominator not in self._decodes:
                again = self.redecode(denominator)
                again.flags.writeable = False  # shared by every load of these bytes (imageio)
                self._decodes[denominator] = again
        return self._decodes[denominator], 1.0 / denominator

    @property
    def height(self) -> int:
        return int(self.full_size[1] if self.full_size else self.decoded.shape[0])

    @property
    def width(self) -> int:
        return int(self.full_size[0] if self.full_size else self.decoded.shape[1])

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
