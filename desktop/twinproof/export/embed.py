"""XMP inside an image file's bytes: read it, and make a copy with a new packet embedded.

Why: Lightroom Classic and Bridge read XMP *sidecars* only for raw files; for JPEG, PNG and
TIFF they read the XMP embedded in the file. The delivered twin must never be modified (its
bytes are what the review and any C2PA signature vouch for), so TwinProof writes annotated
*copies* (:mod:`twinproof.export.copies`), built here.

JPEG, PNG and WebP, the formats generators deliver, are done in Python with no dependency
(the frozen app has no exiftool): the packet replaces any ``APP1`` XMP segment (JPEG),
``iTXt XML:com.adobe.xmp`` chunk (PNG) or ``XMP `` chunk (WebP, given a ``VP8X`` header if
it had none); image data is copied byte for byte. TIFF goes through exiftool when it is
installed (``exiftool -o``, which never touches its input; 12.57 cannot write WebP at all).

A copy's C2PA manifest is removed (JPEG ``APP11`` JUMBF, PNG ``caBX``, WebP ``C2PA``): its hash
covers the file's bytes, which embedding changes, so a verifier would call the copy tampered.
The copy's XMP says so and names the original's hash; the original keeps its credentials.
exiftool cannot remove a TIFF's manifest, so :mod:`copies` makes no copy of a signed TIFF.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

from twinproof.export import xmp_io as x

XMP_APP1 = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_APP1 = b"http://ns.adobe.com/xmp/extension/\x00"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_XMP_KEY = b"XML:com.adobe.xmp"
#: The largest packet one JPEG APP1 segment holds (65535 - length field - namespace header).
JPEG_XMP_LIMIT = 65535 - 2 - len(XMP_APP1)
PYTHON_FORMATS = (".jpg", ".jpeg", ".png", ".webp")
EXIFTOOL_FORMATS = (".tif", ".tiff")


class EmbedError(x.XmpError):
    """An image whose XMP cannot be read or written (damaged, unsupported, too large)."""


def packet_bytes(packet: x.Packet) -> bytes:
    """The packet as embedded XMP: ``<?xpacket?>`` wrapped, no XML declaration, padded so a
    tool can edit it in place later (the XMP specification's recommendation)."""
    body = x.serialise(packet).decode("utf-8").split("?>", 1)[1].strip()
    padding = (" " * 99 + "\n") * 20
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n{padding}'
            '<?xpacket end="w"?>').encode()


def _strip_wrapper(data: bytes) -> bytes:
    start, end = data.find(b"<x:xmpmeta"), data.rfind(b"</x:xmpmeta>")
    if start >= 0 and end > start:
        return data[start:end + len(b"</x:xmpmeta>")]
    return data


# -- JPEG --------------------------------------------------------------------------------
def _jpeg_segments(data: bytes, where: str) -> tuple[list[tuple[int, bytes]], bytes]:
    """(marker, payload) of every segment before the scan, and the rest (SOS onwards)."""
    if not data.startswith(b"\xff\xd8"):
        raise EmbedError(f"{where}: not a JPEG file")
    pos, out = 2, list[tuple[int, bytes]]()
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise EmbedError(f"{where}: damaged JPEG (no marker at byte {pos})")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data, copied as it is
            return out, data[pos:]
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2 or pos + 2 + length > len(data):
            raise EmbedError(f"{where}: damaged JPEG (segment length {length} at byte {pos})")
        out.append((marker, data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    raise EmbedError(f"{where}: damaged JPEG (no image data)")


def _is_c2pa_jumbf(marker: int, payload: bytes) -> bool:
    return marker == 0xEB and payload[:2] == b"JP" and b"c2pa" in payload[:64]


def jpeg_xmp(data: bytes, where: str = "JPEG") -> bytes | None:
    for marker, payload in _jpeg_segments(data, where)[0]:
        if marker == 0xE1 and payload.startswith(XMP_APP1):
            return payload[len(XMP_APP1):]
    return None


def jpeg_with_xmp(data: bytes, packet: bytes, where: str = "JPEG") -> tuple[bytes, bool]:
    """The JPEG with ``packet`` as its only XMP; returns (bytes, a C2PA manifest was removed)."""
    if len(packet) > JPEG_XMP_LIMIT:
        raise EmbedError(f"{where}: the XMP ({len(packet)} bytes) does not fit one JPEG segment")
    segments, rest = _jpeg_segments(data, where)
    # A manifest larger than one segment continues in more APP11 segments of the same box
    # instance ("JP", then its 2-byte number), which do not repeat the "c2pa" label: leaving
    # them made a copy whose leftover JUMBF no reader (nor a new signature) could parse.
    instances = {p[2:4] for m, p in segments if _is_c2pa_jumbf(m, p)}
    stripped = bool(instances)
    kept = [(m, p) for m, p in segments
            if not (m == 0xE1 and (p.startswith(XMP_APP1) or p.startswith(XMP_EXT_APP1)))
            and not (m == 0xEB and p[:2] == b"JP" and p[2:4] in instances)]
    # After JFIF/Exif (APP0/APP1 at the start), where readers expect XMP.
    at = 0
    while at < len(kept) and kept[at][0] in (0xE0, 0xE1):
        at += 1
    kept.insert(at, (0xE1, XMP_APP1 + packet))
    head = b"".join(b"\xff" + bytes([m]) + struct.pack(">H", len(p) + 2) + p for m, p in kept)
    return b"\xff\xd8" + head + rest, stripped


# -- PNG ---------------------------------------------------------------------------------
def _png_chunks(data: bytes, where: str) -> list[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIGNATURE):
        raise EmbedError(f"{where}: not a PNG file")
    pos, out = len(PNG_SIGNATURE), list[tuple[bytes, bytes]]()
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        if pos + 12 + length > len(data):
            raise EmbedError(f"{where}: damaged PNG (chunk {kind!r} runs past the end)")
        out.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
        if kind == b"IEND":
            return out
    raise EmbedError(f"{where}: damaged PNG (no IEND)")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_itxt_text(body: bytes) -> bytes | None:
    key, _, rest = body.partition(b"\x00")
    if key != PNG_XMP_KEY or len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]
    _lang, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    try:
        return zlib.decompress(text) if compressed else text
    except zlib.error:
        return None


def png_xmp(data: bytes, where: str = "PNG") -> bytes | None:
    for kind, body in _png_chunks(data, where):
        if kind == b"iTXt" and (text := _png_itxt_text(body)) is not None:
            return text
    return None


def png_with_xmp(data: bytes, packet: bytes, where: str = "PNG") -> tuple[bytes, bool]:
    chunks = _png_chunks(data, where)
    stripped = any(kind == b"caBX" for kind, _ in chunks)
    itxt = PNG_XMP_KEY + b"\x00\x00\x00\x00\x00" + packet  # uncompressed, no language
    out = [PNG_SIGNATURE]
    for kind, body in chunks:
        if kind == b"caBX" or (kind == b"iTXt" and _png_itxt_text(body) is not None):
            continue
        out.append(_chunk(kind, body))
        if kind == b"IHDR":
            out.append(_chunk(b"iTXt", itxt))
    return b"".join(out), stripped


# -- WebP ----------------------------------------------------------------------------------
def _riff_chunks(data: bytes, where: str) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise EmbedError(f"{where}: not a WebP file")
    pos, out = 12, list[tuple[bytes, bytes]]()
    while pos + 8 <= len(data):
        kind, (length,) = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])
        if pos + 8 + length > len(data):
            raise EmbedError(f"{where}: damaged WebP (chunk {kind!r} runs past the end)")
        out.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 8 + length + (length & 1)
    return out


def _webp_canvas(chunks: list[tuple[bytes, bytes]], where: str) -> tuple[int, int, bool]:
    """(width, height, has alpha) of a simple WebP, for the VP8X header it needs to carry XMP."""
    for kind, body in chunks:
        if kind == b"VP8 " and len(body) >= 10:
            w, h = struct.unpack("<HH", body[6:10])
            return w & 0x3FFF, h & 0x3FFF, any(k == b"ALPH" for k, _ in chunks)
        if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
            bits = int.from_bytes(body[1:5], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, bool((bits >> 28) & 1)
    raise EmbedError(f"{where}: WebP without image data")


def webp_xmp(data: bytes, where: str = "WebP") -> bytes | None:
    for kind, body in _riff_chunks(data, where):
        if kind == b"XMP ":
            return body
    return None


def webp_with_xmp(data: bytes, packet: bytes, where: str = "WebP") -> tuple[bytes, bool]:
    chunks = _riff_chunks(data, where)
    stripped = any(kind == b"C2PA" for kind, _ in chunks)
    chunks = [(k, b) for k, b in chunks if k not in (b"XMP ", b"C2PA")]
    if not chunks:
        raise EmbedError(f"{where}: WebP without image data")
    if chunks[0][0] == b"VP8X":
        head = bytearray(chunks[0][1])
        head[0] |= 0x04  # the XMP flag
        chunks[0] = (b"VP8X", bytes(head))
    else:
        w, h, alpha = _webp_canvas(chunks, where)
        flags = 0x04 | (0x10 if alpha else 0)
        vp8x = bytes([flags, 0, 0, 0]) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
        chunks.insert(0, (b"VP8X", vp8x))
    chunks.append((b"XMP ", packet))  # XMP comes last in the extended format
    body = b"".join(k + struct.pack("<I", len(b)) + b + (b"\x00" if len(b) & 1 else b"")
                    for k, b in chunks)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body, stripped


# -- any format ----------------------------------------------------------------------------
READERS = {".jpg": jpeg_xmp, ".jpeg": jpeg_xmp, ".png": png_xmp, ".webp": webp_xmp}
WRITERS = {".jpg": jpeg_with_xmp, ".jpeg": jpeg_with_xmp, ".png": png_with_xmp, ".webp": webp_with_xmp}

def exiftool() -> str | None:
    return shutil.which("exiftool")


def read_embedded(path: Path) -> x.Packet | None:
    """The XMP packet inside an image (None when it has none)."""
    suffix = path.suffix.lower()
    if suffix in PYTHON_FORMATS:
        raw = READERS[suffix](path.read_bytes(), str(path))
    elif suffix in EXIFTOOL_FORMATS and (tool := exiftool()):
        raw = subprocess.run([tool, "-b", "-XMP", str(path)], capture_output=True, timeout=60).stdout or None
    else:
        return None
    return x.parse(_strip_wrapper(raw), f"{path} (embedded XMP)") if raw else None


def carries_c2pa(path: Path) -> bool:
    """Whether the file holds an embedded C2PA manifest a copy would have to drop."""
    suffix = path.suffix.lower()
    if suffix not in PYTHON_FORMATS:
        return False
    data = path.read_bytes()
    if suffix == ".png":
        return any(kind == b"caBX" for kind, _ in _png_chunks(data, str(path)))
    if suffix == ".webp":
        return any(kind == b"C2PA" for kind, _ in _riff_chunks(data, str(path)))
    return any(_is_c2pa_jumbf(m, p) for m, p in _jpeg_segments(data, str(path))[0])


def write_copy(source: Path, target: Path, packet: bytes) -> bool:
    """Write ``target``: ``source``'s bytes with ``packet`` embedded (atomically; ``source`` is
    only read). Returns True when a C2PA manifest was removed from the copy."""
    from twinproof.atomic import atomic_move, atomic_write_bytes

    suffix = source.suffix.lower()
    if suffix in PYTHON_FORMATS:
        out, stripped = WRITERS[suffix](source.read_bytes(), packet, str(source))
        atomic_write_bytes(target, out)
        return stripped
    tool = exiftool()
    if suffix not in EXIFTOOL_FORMATS or tool is None:
        raise EmbedError(f"{source.name}: annotated copies of {suffix or 'these'} files need exiftool "
                         "(Debian: libimage-exiftool-perl); JPEG, PNG and WebP need nothing")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".twinproof-") as tmp:
        xmp_file, out_file = Path(tmp) / "packet.xmp", Path(tmp) / ("copy" + source.suffix)
        xmp_file.write_bytes(packet)
        proc = subprocess.run([tool, "-q", "-q", "-m", f"-XMP<={xmp_file}", "-o", str(out_file),
                               str(source)], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0 or not out_file.is_file():
            raise EmbedError(f"{source.name}: exiftool could not write the copy "
                             f"({' '.join(proc.stderr.split())[:200]})")
        atomic_move(out_file, target)
    return False
