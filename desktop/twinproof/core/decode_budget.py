"""What one input file may cost: memory, time and metadata, checked while it is decoded.

Why: a picture's header is a promise the data need not keep. Hostile or broken files took
8 GB (an icon declaring 256x256), 97 s (120 MB of EXIF segments) or forever (PostScript) in
Pillow. The pixel limit (checked from the header, ``imageio``) is the first wall; this module
holds the others, so no input takes more than about 1.5 GB or a minute:

- a size cap on the file itself, lower for formats whose decoders read the whole file into
  memory (WebP, HEIF, AVIF);
- caps on metadata segments (``metadata_scan``), checked before Pillow parses them;
- a deadline, checked every time the decoder reads from the file (every 64 KB for JPEG, PNG,
  GIF; libtiff, libwebp and libheif decode in one call once the file is read, and are bounded
  by the pixel limit and the caps instead);
- a watch on this process's resident memory while the decoder reads: growing by more than
  the decoded picture can need (at least 1 GiB) stops it, whatever the header said. Memory the
  process freed earlier and keeps for reuse (``twinproof/heap.py``) is resident already, so a
  decoder may use it on top: the bound is on what the process holds, which is what runs a
  machine out of memory.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import BinaryIO

from twinproof.core import errors

#: Seconds one file may take to decode (``$TWINPROOF_DECODE_SECONDS`` overrides).
DEFAULT_DECODE_SECONDS = 30.0
DECODE_SECONDS_ENV = "TWINPROOF_DECODE_SECONDS"
#: No image file is larger (a 150 MP 16-bit RGBA TIFF, uncompressed, is 1.2 GB).
MAX_FILE_BYTES = 2 << 30
#: Formats whose decoders hold the whole file in memory: phone and generator files are
#: 1-30 MB; a 200 MP HEIC is 2.4 MB.
MAX_WHOLE_FILE_BYTES = 256 << 20
#: Embedded colour profiles: the largest real ones (CMYK lookup tables) are a few MB; a JPEG
#: cannot carry more than 16.7 MB.
MAX_ICC_BYTES = 16 << 20
#: EXIF, XMP (extended XMP too: depth maps), IPTC, comments and text chunks, all together.
MAX_METADATA_BYTES = 16 << 20
#: TIFF tag data (Photoshop layers in a master TIFF can be large; the whole file is bounded).
MAX_TIFF_TAG_BYTES = 512 << 20
#: Growth of resident memory during one decode that is always allowed (two images may be
#: decoded at once on the app's worker threads).
MIN_RSS_ALLOWANCE = 1 << 30

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def decode_seconds() -> float:
    """The per-file time limit: ``$TWINPROOF_DECODE_SECONDS`` when a positive number, else 30."""
    try:
        value = float(os.environ.get(DECODE_SECONDS_ENV, "") or "nan")
    except ValueError:
        return DEFAULT_DECODE_SECONDS
    return value if math.isfinite(value) and value > 0 else DEFAULT_DECODE_SECONDS


def resident_bytes() -> int | None:
    """This process's resident memory (Linux ``/proc/self/statm``; None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class DecodeStopped(Exception):
    """Raised from inside a decoder's read to stop it; never escapes ``load_image``.

    Not an ``OSError``: Pillow's decoders catch some of those and carry on.
    """

    def __init__(self, error: errors.ImageLoadError) -> None:
        super().__init__(str(error))
        self.error = error


class Budget:
    """The limits for one file; ``allow`` sets how much the decoded picture may need."""

    def __init__(self, path: Path, seconds: float | None = None) -> None:
        self.path = path
        self.seconds = seconds or decode_seconds()
        self.started = time.monotonic()
        self.rss_start = resident_bytes()
        self.rss_allowance = MIN_RSS_ALLOWANCE
        self.stopped: errors.ImageLoadError | None = None

    def allow(self, decoded_bytes: int) -> None:
        """The picture will take ``decoded_bytes``: the decoder may grow memory by three times
        that (its own buffers, a progressive JPEG's coefficients), at least 1 GiB."""
        self.rss_allowance = max(MIN_RSS_ALLOWANCE, 3 * decoded_bytes)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self) -> None:
        """Raise the typed error if the file has taken too long or too much memory."""
        if self.stopped is None and self.elapsed() > self.seconds:
            self.stopped = errors.ImageTimeoutError(
                self.path, f"stopped after {self.seconds:.0f} s; the limit is set by "
                           f"{DECODE_SECONDS_ENV}")
        if self.stopped is None and self.rss_start is not None:
            now = resident_bytes()
            if now is not None and now - self.rss_start > self.rss_allowance:
                self.stopped = errors.ImageTooLargeError(
                    self.path, f"decoding it needed more than {self.rss_allowance >> 20} MB, "
                               "more than its declared size can explain")
        if self.stopped is not None:
            raise DecodeStopped(self.stopped)


class BudgetedFile:
    """A read-only file whose every read checks the budget (time, memory).

    It has no ``name``, so Pillow never memory-maps it behind our back; ``fileno`` is kept so
    libtiff reads by descriptor instead of holding the whole file in memory.
    """

    def __init__(self, raw: BinaryIO, budget: Budget) -> None:
        self._raw = raw
        self._budget = budget
        self._reads = 0

    def read(self, size: int = -1) -> bytes:
        self._reads += 1
        if self._reads % 4 == 1:  # /proc costs ~10 µs: every fourth 64 KB block is plenty
            self._budget.check()
        return self._raw.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def fileno(self) -> int:
        return self._raw.fileno()

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._raw.closed

    def close(self) -> None:
        """Pillow closes what it was given after loading; the loader closes the real file."""

    def flush(self) -> None:
        """Nothing to flush: read-only."""


def check_file_size(path: Path, size: int, fmt: str) -> None:
    """Refuse files no real image is as large as, and whole-file formats above their cap."""
    whole = fmt in ("WEBP", "HEIF", "AVIF")
    cap = MAX_WHOLE_FILE_BYTES if whole else MAX_FILE_BYTES
    if size > cap:
        raise errors.ImageTooLargeError(
            path, f"the file is {size >> 20} MB; TwinProof reads {fmt} files up to {cap >> 20} MB")
