"""Which image formats TwinProof reads, told from a file's first bytes, never from its name.

Why an allow-list of our own: Pillow identifies files by content and accepts about fifty
formats, some through external programs (a 57-byte PostScript file named ``look01.jpg`` is
handed to Ghostscript, which runs whatever the file says), some with decoders whose header
says one size and whose data allocates another (ICNS: 256x256 declared, 8 GB decoded). The
formats photographers, retouchers, phones and generators deliver are few; everything else is
refused here, before any decoder sees it, with a line that says what the file seems to be.
"""

from __future__ import annotations

import struct

#: The formats read, in the words the refusal uses.
READ_FORMATS_TEXT = "JPEG, PNG, TIFF, WebP, GIF, HEIC/HEIF, AVIF"

#: Pillow's plugin name for each format decoded through Pillow (HEIF goes through pi-heif).
PILLOW_FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "GIF", "AVIF")

#: ISO-BMFF ``ftyp`` brands: HEIF still images (HEVC-coded, as phones write them) and AVIF.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}

#: Formats people send by mistake or attackers send on purpose: named in the refusal only.
_OTHERS: tuple[tuple[bytes, int, str], ...] = (
    (b"%!PS", 0, "a PostScript document"),
    (b"\xc5\xd0\xd3\xc6", 0, "an EPS document"),
    (b"%PDF", 0, "a PDF document"),
    (b"DDS ", 0, "a DDS texture"),
    (b"icns", 0, "an Apple icon (ICNS)"),
    (b"\x00\x00\x01\x00", 0, "a Windows icon (ICO)"),
    (b"BM", 0, "a BMP image"),
    (b"8BPS", 0, "a Photoshop document (PSD): export a flattened TIFF"),
    (b"SIMPLE  =", 0, "a FITS file"),
    (b"\x00\x00\x00\x0cjP  ", 0, "a JPEG 2000 image"),
    (b"\xff\x4f\xff\x51", 0, "a JPEG 2000 codestream"),
    (b"\xff\x0a", 0, "a JPEG XL image"),
    (b"\x00\x00\x00\x0cJXL ", 0, "a JPEG XL image"),
    (b"gimp xcf", 0, "a GIMP document"),
    (b"\x59\xa6\x6a\x95", 0, "a Sun raster image"),
    (b"qoif", 0, "a QOI image"),
    (b"PK\x03\x04", 0, "a ZIP archive"),
    (b"<svg", 0, "an SVG drawing"),
    (b"<?xml", 0, "an XML document"),
    (b"<!doctype html", 0, "a web page"),
    (b"<html", 0, "a web page"),
)


def identify(head: bytes) -> str | None:
    """The format of a file starting with ``head`` (at least 32 bytes when the file has them):
    ``JPEG``, ``PNG``, ``TIFF``, ``WEBP``, ``GIF``, ``HEIF`` or ``AVIF``; None for anything else."""
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "TIFF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[4:8] == b"ftyp":
        brands = _ftyp_brands(head)
        if brands & _AVIF_BRANDS and not brands & {b"heic", b"heix"}:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
    return None


def _ftyp_brands(head: bytes) -> set[bytes]:
    """The major brand and the compatible brands of an ``ftyp`` box (within ``head``)."""
    size = int.from_bytes(head[:4], "big")
    end = min(len(head), size if 16 <= size <= 4096 else 32)
    brands = {head[8:12]}
    brands.update(head[i: i + 4] for i in range(16, end - 3, 4))
    return brands


def describe_other(head: bytes) -> str | None:
    """What a refused file seems to be ("a PostScript document"), when we can tell."""
    lowered = head.lstrip()[:16].lower()
    for magic, offset, name in _OTHERS:
        if head[offset: offset + len(magic)] == magic or (
                magic[:1] == b"<" and lowered.startswith(magic)):
            return name
    if head[4:8] == b"ftyp":
        return f"an ISO media file (brand {head[8:12].decode('latin-1')!r}), not a still image"
    if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return "text"
    return None


#: A GIF's canvas may grow past the size it declares while Pillow opens it (a frame placed
#: beyond it): up to this many pixels that is a clumsy encoder, past it a bomb.
GIF_GROWTH_PIXELS = 16_000_000


def gif_grown_canvas(head: bytes, size: tuple[int, int]) -> str | None:
    """Why a GIF whose picture grew while it was opened is refused (None: it did not, or only
    a little). An 8x8 GIF with one frame placed at (19990, 19990) makes Pillow allocate a
    400 MP canvas from 50 bytes: 4.4 GB through the export, whose pixel limit is 400 MP."""
    if head[:6] not in (b"GIF87a", b"GIF89a") or len(head) < 10:
        return None
    sw, sh = struct.unpack("<HH", head[6:10])
    w, h = size
    if (w <= sw and h <= sh) or w * h <= max(2 * sw * sh, GIF_GROWTH_PIXELS):
        return None
    return (f"a frame reaches past the {sw}x{sh} picture the GIF declares (holding it takes "
            f"{w}x{h} = {w * h / 1e6:.0f} MP): the file is damaged or made to exhaust memory")
