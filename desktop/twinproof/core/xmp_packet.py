"""Where an image file keeps its XMP packet, found without decoding the image: JPEG's APP1
(``http://ns.adobe.com/xap/1.0/``), PNG's ``iTXt`` chunk ``XML:com.adobe.xmp`` (inflated, at most
``MAX_XMP_BYTES``: a zlib bomb stops there), WebP's ``XMP `` chunk, TIFF's tag 700 in its first
directory, and for other containers (HEIF, AVIF, GIF, a damaged TIFF) the first ``x:xmpmeta``
element in the bytes, as the XMP specification's packet scanning and exiftool do for formats
without a known place. Used by ``core.xmp_origin``.
"""

from __future__ import annotations

import mmap
import os
import stat
import struct
import zlib
from pathlib import Path
from typing import Any

#: The largest packet returned (JPEG's standard XMP is at most 64 KB; generators write a few KB).
MAX_XMP_BYTES = 2 << 20
_JPEG_XMP = b"http://ns.adobe.com/xap/1.0/\x00"
_PNG_KEY = b"XML:com.adobe.xmp"


def find_packet(p: Path) -> tuple[bytes | str | None, str]:
    """(the packet's bytes, or why it was refused, or None when there is none; where it was).
    "" for where with a refusal: the file itself is not one to read (a pipe, a device).
    Raises OSError when the file cannot be opened."""
    if not stat.S_ISREG(p.stat().st_mode):
        return "not a regular file", ""
    with p.open("rb") as f:
        head = f.read(16)
        f.seek(0)
        if head.startswith(b"\xff\xd8"):
            return _jpeg(f), "JPEG APP1"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return _png(f), "PNG iTXt"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _webp(f), "WebP XMP chunk"
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            walked = _tiff(f, head[:2] == b"II")
            if walked is not None:
                return walked[0], "TIFF tag 700"
        return _search(f), "XMP packet"


_TIFF_XMP = 700
#: A TIFF whose first directory could not be walked (damaged): searched for the packet instead.
_NOT_WALKED = None


def _tiff(f: Any, little: bool) -> tuple[bytes | str | None] | None:
    """The XMP tag (700) of the first image directory, where TIFF (and DNG, CR2, NEF) keeps it:
    exact, and a few reads where searching a 124 MB TIFF without XMP took 144 ms. ``(found,)``,
    or None when the directory could not be walked (the caller searches the bytes then)."""
    order = "<" if little else ">"
    size = os.fstat(f.fileno()).st_size
    f.seek(4)
    (ifd,) = struct.unpack(order + "I", f.read(4))
    if not 8 <= ifd < size - 2:
        return _NOT_WALKED
    f.seek(ifd)
    (count,) = struct.unpack(order + "H", f.read(2))
    entries = f.read(12 * count)
    if len(entries) < 12 * count:
        return _NOT_WALKED
    for n in range(count):
        tag, kind, length, value = struct.unpack(order + "HHI4s", entries[12 * n:12 * n + 12])
        if tag != _TIFF_XMP or kind not in (1, 2, 6, 7):  # one-byte types (BYTE, UNDEFINED per the specs)
            continue
        if length > MAX_XMP_BYTES:
            return (too_large(length),)
        if length <= 4:
            return (value[:length],)
        (offset,) = struct.unpack(order + "I", value)
        if offset + length > size:
            return _NOT_WALKED
        f.seek(offset)
        return (bytes(f.read(length)),)
    return (None,)


def too_large(size: int) -> str:
    return f"an XMP packet of {size} bytes; TwinProof reads up to {MAX_XMP_BYTES >> 20} MB"


def _jpeg(f: Any) -> bytes | str | None:
    f.seek(2)
    while True:
        marker = f.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        kind = marker[1]
        if kind == 0xFF:  # fill byte
            f.seek(-1, os.SEEK_CUR)
            continue
        if kind in (0xD9, 0xDA):  # end of image, start of scan: no metadata after
            return None
        if 0xD0 <= kind <= 0xD7 or kind == 0x01:
            continue
        size_bytes = f.read(2)
        if len(size_bytes) < 2:
            return None
        size = struct.unpack(">H", size_bytes)[0] - 2
        if size < 0:
            return None
        if kind == 0xE1 and size >= len(_JPEG_XMP):
            body = f.read(size)
            if body.startswith(_JPEG_XMP):
                return body[len(_JPEG_XMP):]
        else:
            f.seek(size, os.SEEK_CUR)


def _png(f: Any) -> bytes | str | None:
    f.seek(8)
    while True:
        header = f.read(8)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header)
        if kind == b"IEND":
            return None
        if kind == b"iTXt" and size >= len(_PNG_KEY) + 5:
            if size > MAX_XMP_BYTES + 64:
                key = f.read(len(_PNG_KEY) + 1)
                if key == _PNG_KEY + b"\x00":
                    return too_large(size)
                f.seek(size - len(key) + 4, os.SEEK_CUR)
                continue
            body = f.read(size)
            f.seek(4, os.SEEK_CUR)
            if body.startswith(_PNG_KEY + b"\x00"):
                return _itxt_text(body[len(_PNG_KEY) + 1:])
        else:
            f.seek(size + 4, os.SEEK_CUR)


def _itxt_text(rest: bytes) -> bytes | str | None:
    compressed, method = rest[0], rest[1]
    parts = rest[2:].split(b"\x00", 2)  # language tag, translated keyword, text
    if len(parts) < 3:
        return None
    text = parts[2]
    if not compressed:
        return text
    if method != 0:
        return "a compressed XMP chunk of an unknown method"
    inflate = zlib.decompressobj()
    try:
        out = inflate.decompress(text, MAX_XMP_BYTES + 1)
    except zlib.error:
        return "a compressed XMP chunk that does not inflate"
    return too_large(len(out)) if len(out) > MAX_XMP_BYTES else out


def _webp(f: Any) -> bytes | str | None:
    f.seek(12)
    while True:
        header = f.read(8)
        if len(header) < 8:
            return None
        kind, size = struct.unpack("<4sI", header)
        if kind == b"XMP ":
            return too_large(size) if size > MAX_XMP_BYTES else f.read(size)
        f.seek(size + (size & 1), os.SEEK_CUR)


def _search(f: Any) -> bytes | str | None:
    """TIFF, HEIF, AVIF, GIF...: the first ``x:xmpmeta`` element in the bytes (what exiftool and
    the XMP spec's packet scanning do for formats without a known place)."""
    if os.fstat(f.fileno()).st_size == 0:
        return None
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        start = data.find(b"<x:xmpmeta")
        if start < 0:
            return None
        end = data.find(b"</x:xmpmeta>", start, start + MAX_XMP_BYTES + 16)
        if end < 0:
            return too_large(MAX_XMP_BYTES + 1) if data.find(b"</x:xmpmeta>", start) >= 0 else None
        return bytes(data[start:end + len(b"</x:xmpmeta>")])


