"""Measure a file's metadata segments before any decoder parses them, and refuse giants.

Why before: Pillow reads metadata whole and some of its handlers are slow on large input
(60 MB of JPEG EXIF segments took 22 s, 120 MB 97 s; a PNG with a 200 MB iTXt chunk peaked
at 1.07 GB before Pillow refused it). Walking the segment headers costs a few seeks, so the
caps of ``decode_budget`` are applied from lengths alone, and a structure that does not add
up is left to the decoder, which reports it as corrupt.

Caps: ICC profiles ``MAX_ICC_BYTES``; everything else that is not picture data (EXIF, XMP,
IPTC, comments, text, application blocks) together ``MAX_METADATA_BYTES``; TIFF tag data
``MAX_TIFF_TAG_BYTES``; and no TIFF tile or strip larger than its picture.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from twinproof.core import errors
from twinproof.core.decode_budget import (
    MAX_ICC_BYTES,
    MAX_METADATA_BYTES,
    MAX_TIFF_TAG_BYTES,
    Budget,
)

#: Sizes of the TIFF field types (1 BYTE ... 18 IFD8).
_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8,
                    13: 4, 16: 8, 17: 8, 18: 8}
_TIFF_ICC, _TIFF_TILE_W, _TIFF_TILE_H, _TIFF_ROWS_PER_STRIP = 34675, 322, 323, 278
_TIFF_WIDTH, _TIFF_HEIGHT = 256, 257
#: IFDs walked at most (pages of a multi-page TIFF); a chain longer than this is hostile.
MAX_TIFF_IFDS = 4096


class _Tally:
    def __init__(self, path: Path, budget: Budget) -> None:
        self.path, self.budget = path, budget
        self.icc = self.meta = 0
        self.steps = 0

    def add(self, kind: str, size: int, what: str) -> None:
        if kind == "icc":
            self.icc += size
        else:
            self.meta += size
        if self.icc > MAX_ICC_BYTES:
            raise errors.ImageTooLargeError(
                self.path, f"its ICC profile is {self.icc / 2**20:.0f} MB; TwinProof reads "
                           f"profiles up to {MAX_ICC_BYTES >> 20} MB")
        if self.meta > MAX_METADATA_BYTES:
            raise errors.ImageTooLargeError(
                self.path, f"it carries more than {MAX_METADATA_BYTES >> 20} MB of metadata "
                           f"({what}); TwinProof reads up to {MAX_METADATA_BYTES >> 20} MB")

    def step(self) -> None:
        self.steps += 1
        if self.steps % 1024 == 0:
            self.budget.check()


def _label(kind: bytes) -> str:
    """A chunk or box type for a message: its letters, or escaped bytes when it is garbage."""
    text = kind.decode("latin-1").strip()
    return text if text.isascii() and text.isprintable() and text else repr(kind)


def scan(fmt: str, f: BinaryIO, size: int, path: Path, budget: Budget) -> None:
    """Apply the caps to ``f`` (a ``fmt`` file of ``size`` bytes); leaves ``f`` at 0."""
    tally = _Tally(path, budget)
    f.seek(0)
    try:
        if fmt == "JPEG":
            _jpeg(f, size, tally)
        elif fmt == "PNG":
            _png(f, size, tally)
        elif fmt == "TIFF":
            _tiff(f, size, tally)
        elif fmt == "WEBP":
            _webp(f, size, tally)
        elif fmt == "GIF":
            _gif(f, size, tally)
        elif fmt in ("HEIF", "AVIF"):
            _isobmff(f, size, tally)
    except (struct.error, ValueError, EOFError):
        pass  # a structure that does not add up: the decoder will say it is corrupt
    finally:
        f.seek(0)


def _jpeg(f: BinaryIO, size: int, tally: _Tally) -> None:
    pos = 2
    while pos + 4 <= size:
        f.seek(pos)
        head = f.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return
        marker = head[1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: metadata is behind us
            return
        length = struct.unpack(">H", head[2:4])[0]
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            kind = "meta"
            if marker == 0xE2 and f.read(12) == b"ICC_PROFILE\x00":
                kind = "icc"
            tally.add(kind, length, f"APP{marker - 0xE0} segments" if marker != 0xFE else "comments")
        pos += 2 + length
        tally.step()


def _png(f: BinaryIO, size: int, tally: _Tally) -> None:
    pos = 8
    while pos + 8 <= size:
        f.seek(pos)
        length, kind = struct.unpack(">I4s", f.read(8))
        if kind == b"IEND":
            return
        if kind == b"iCCP":
            tally.add("icc", length, "iCCP")
        elif kind not in (b"IDAT", b"fdAT", b"IHDR", b"PLTE", b"tRNS", b"acTL", b"fcTL"):
            tally.add("meta", length, f"{_label(kind)} chunks")
        pos += 12 + length
        tally.step()


def _webp(f: BinaryIO, size: int, tally: _Tally) -> None:
    pos = 12
    while pos + 8 <= size:
        f.seek(pos)
        kind, length = struct.unpack("<4sI", f.read(8))
        if kind == b"ICCP":
            tally.add("icc", length, "ICCP")
        elif kind in (b"EXIF", b"XMP ") or kind not in (b"VP8 ", b"VP8L", b"VP8X", b"ALPH",
                                                         b"ANIM", b"ANMF"):
            tally.add("meta", length, f"{_label(kind)} chunks")
        pos += 8 + length + (length & 1)
        tally.step()


def _gif(f: BinaryIO, size: int, tally: _Tally) -> None:
    f.seek(10)
    flags = f.read(3)[0]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while pos < size:
        f.seek(pos)
        intro = f.read(1)
        if intro == b"!":  # extension: label, then sub-blocks
            label = f.read(1)[0]
            pos = _gif_blocks(f, pos + 2, size, tally, "meta" if label != 0xF9 else None)
        elif intro == b",":  # image descriptor (and local colour table), LZW size, data
            f.seek(pos + 9)
            packed = f.read(1)[0]
            pos += 10 + (3 << ((packed & 7) + 1) if packed & 0x80 else 0) + 1
            pos = _gif_blocks(f, pos, size, tally, None)
        else:
            return


def _gif_blocks(f: BinaryIO, pos: int, size: int, tally: _Tally, kind: str | None) -> int:
    while pos < size:
        f.seek(pos)
        block = f.read(1)
        if not block or block[0] == 0:
            return pos + 1
        if kind:
            tally.add(kind, block[0], "comment or application blocks")
        pos += 1 + block[0]
        tally.step()
    return pos


def _isobmff(f: BinaryIO, size: int, tally: _Tally) -> None:
    """HEIF/AVIF top-level boxes: each must end inside the file (libheif decodes a grid image
    whose tiles are cut off without a word, as grey), and ``meta`` is capped as metadata."""
    pos = 0
    while pos + 8 <= size:
        f.seek(pos)
        length, kind = struct.unpack(">I4s", f.read(8))
        if length == 1:
            length = struct.unpack(">Q", f.read(8))[0]
        elif length == 0:  # "to the end of the file"
            length = size - pos
        if length < 8:
            return
        name = _label(kind)
        if pos + length > size:
            raise errors.ImageTruncatedError(
                tally.path, f"the file ends {pos + length - size} bytes before its '{name}' box does")
        if kind == b"meta":
            tally.add("meta", length, "the 'meta' box")
            f.seek(pos + 8)
            _check_item_types(tally.path, f.read(length - 8))
        pos += length
        tally.step()


def _children(data: bytes, start: int) -> list[tuple[bytes, bytes]]:
    """The boxes in ``data`` from ``start``: (type, payload)."""
    out, pos = [], start
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos: pos + 8])
        if length < 8 or pos + length > len(data):
            break
        out.append((kind, data[pos + 8: pos + length]))
        pos += length
    return out


def _check_item_types(path: Path, meta: bytes) -> None:
    """Refuse item types and MIME types that are not text. pi-heif 1.4.0 builds Python strings
    from them with ``PyUnicode_FromString`` and crashes the process (a segmentation fault) on
    bytes that are not UTF-8 (pillow-heif 1.8.1 reads them as Latin-1; pi-heif has no release
    with that fix yet)."""
    for kind, payload in _children(meta, 4):  # 'meta' is a full box: version and flags first
        if kind != b"iinf" or len(payload) < 6:
            continue
        start = 6 if payload[0] == 0 else 8
        for entry_kind, entry in _children(payload, start):
            if entry_kind != b"infe" or len(entry) < 12 or entry[0] < 2:
                continue
            at = 4 + (2 if entry[0] == 2 else 4) + 2
            item_type = entry[at: at + 4]
            strings = entry[at + 4:].split(b"\0")
            texts = [item_type] + (strings[1:2] if item_type == b"mime" else [])
            for text in texts:
                try:
                    text.decode("utf-8")
                except UnicodeDecodeError:
                    raise errors.ImageTruncatedError(
                        path, f"its HEIF item table names a type that is not text ({text!r})") from None


def _tiff(f: BinaryIO, size: int, tally: _Tally) -> None:
    head = f.read(16)
    order = "<" if head[:2] == b"II" else ">"
    big = struct.unpack(order + "H", head[2:4])[0] == 43
    count_fmt, entry_size, offset_fmt = ("Q", 20, "Q") if big else ("H", 12, "I")
    inline = 8 if big else 4
    offset = struct.unpack(order + offset_fmt, head[8:16] if big else head[4:8])[0]
    seen: set[int] = set()
    tags_total = 0
    while offset and offset not in seen and offset + 2 <= size and len(seen) < MAX_TIFF_IFDS:
        seen.add(offset)
        f.seek(offset)
        n = struct.unpack(order + count_fmt, f.read(8 if big else 2))[0]
        entries = f.read(min(n, 65535) * entry_size)
        values: dict[int, int] = {}
        for i in range(len(entries) // entry_size):
            e = entries[i * entry_size: (i + 1) * entry_size]
            tag, typ = struct.unpack(order + "HH", e[:4])
            count = struct.unpack(order + ("Q" if big else "I"), e[4:12] if big else e[4:8])[0]
            nbytes = count * _TIFF_TYPE_SIZES.get(typ, 1)
            raw = e[12:] if big else e[8:]
            if nbytes > inline:
                where = struct.unpack(order + offset_fmt, raw)[0]
                if where + nbytes > size:  # data past the end: Pillow skips it, reads nothing
                    continue
                tags_total += nbytes
            if tag == _TIFF_ICC:
                tally.add("icc", nbytes, "ICC tag")
            elif typ in (3, 4, 16) and count == 1:
                fmt = {3: "H", 4: "I", 16: "Q"}[typ]
                values[tag] = struct.unpack(order + fmt, raw[: struct.calcsize(fmt)])[0]
        if tags_total > MAX_TIFF_TAG_BYTES:
            raise errors.ImageTooLargeError(
                tally.path, f"its TIFF tags hold more than {MAX_TIFF_TAG_BYTES >> 20} MB "
                            "(layers or other data): save a flattened copy")
        _check_tiles(tally.path, values)
        f.seek(offset + (8 if big else 2) + n * entry_size)
        nxt = f.read(8 if big else 4)
        offset = struct.unpack(order + offset_fmt, nxt)[0] if len(nxt) == (8 if big else 4) else 0
        tally.step()
    if len(seen) >= MAX_TIFF_IFDS:
        raise errors.ImageTooLargeError(tally.path, f"it has more than {MAX_TIFF_IFDS} pages")


def _check_tiles(path: Path, values: dict[int, int]) -> None:
    """A tile or strip larger than its picture makes libtiff allocate for the tile, not the
    picture: refuse it (real tiles are 16-1024 px; a strip is at most the picture's height)."""
    w, h = values.get(_TIFF_WIDTH, 0), values.get(_TIFF_HEIGHT, 0)
    tw, th = values.get(_TIFF_TILE_W, 0), values.get(_TIFF_TILE_H, 0)
    if tw and th and w and h and tw * th > max(w * h, 1 << 20) and (tw > w + 1024 or th > h + 1024):
        raise errors.ImageTooLargeError(
            path, f"it declares {tw}x{th} tiles for a {w}x{h} picture")
