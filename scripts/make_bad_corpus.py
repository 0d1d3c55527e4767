#!/usr/bin/env python3
"""Write the corpus of bad and odd image files TwinProof must survive.

    .venv/bin/python scripts/make_bad_corpus.py OUT_DIR      # default: a fresh temp folder

Every file is made from a small synthetic picture (no network, deterministic), so the corpus
is regenerated at test time (``tests/reliability/conftest.py``) instead of being committed:
a FIFO, a symlink loop, a folder named like an image and an unreadable file cannot live in
git at all, and generated binaries would drift from the generator. ``CASES`` below is the
single source of truth for what each file is and what the CLI must do with it; it is what
``tests/data/bad/README.md`` documents and what ``tests/reliability/test_bad_files.py`` checks.

Expected outcome per file: ``exit`` is ``twinproof analyze GOOD FILE`` / ``twinproof landmarks
FILE``'s exit code (0: valid but odd, handled and reported in ``colour_handling``; 2: refused
with exactly one line on stderr); ``says`` is text that line (exit 2) or the JSON's
``colour_handling`` (exit 0) must contain.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Case:
    name: str
    exit: int
    says: str
    what: str


def _picture(w: int = 96, h: int = 64) -> np.ndarray:
    """A smooth gradient with a few shapes: features for registration, nothing to decode."""
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // max(1, w - 1), y * 255 // max(1, h - 1),
                    (x + y) * 255 // max(1, w + h - 2)], axis=2).astype(np.uint8)
    rgb[h // 4: h // 2, w // 4: w // 2] = (250, 30, 40)
    rgb[h // 2: 3 * h // 4, w // 2: 3 * w // 4] = (20, 30, 200)
    return rgb


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_bomb(w: int, h: int) -> bytes:
    """A PNG that declares w x h pixels in under 100 bytes (one row of zeros)."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (1 + 3 * min(w, 4096)), 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + \
        _png_chunk(b"IEND", b"")


def _jpeg_bytes(img: Image.Image, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90, **params)
    return buf.getvalue()


def _jpeg_declaring(w: int, h: int) -> bytes:
    """A valid small JPEG whose SOF0 header is patched to declare w x h."""
    data = bytearray(_jpeg_bytes(Image.fromarray(_picture(16, 16))))
    i = data.index(b"\xff\xc0")
    data[i + 5: i + 9] = struct.pack(">HH", h, w)
    return bytes(data)


def _save(img: Image.Image, path: Path, **params: object) -> None:
    img.save(path, **params)


def _corrupt_exif_jpeg() -> bytes:
    """An APP1 'Exif' segment whose TIFF header points its first IFD far past the end."""
    good = _jpeg_bytes(Image.fromarray(_picture()))
    tiff = b"MM\x00\x2a" + struct.pack(">I", 0x7FFFFFF0) + b"\xde\xad\xbe\xef" * 8
    payload = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return good[:2] + app1 + good[2:]


def _bad_orientation_jpeg() -> bytes:
    img = Image.fromarray(_picture())
    exif = Image.Exif()
    exif[0x0112] = 9  # orientations are 1-8
    return _jpeg_bytes(img, exif=exif.tobytes())


def _tiff_bad_ifd() -> bytes:
    return b"II\x2a\x00" + struct.pack("<I", 0x7FFFFFF0) + b"\x00" * 64


def _truncate(data: bytes, keep: float) -> bytes:
    return data[: max(8, int(len(data) * keep))]


CASES: tuple[Case, ...] = (
    Case("empty.jpg", 2, "is empty", "zero bytes"),
    Case("truncated.jpg", 2, "truncated or corrupt", "a JPEG cut at 40 % of its bytes"),
    Case("truncated.png", 2, "truncated or corrupt", "a PNG cut at 40 %"),
    Case("truncated.tif", 2, "truncated or corrupt", "a TIFF cut at 40 %"),
    Case("header_only.jpg", 2, "truncated or corrupt", "the first 200 bytes of a JPEG"),
    Case("bad_ifd.tif", 2, "", "a TIFF header pointing its first IFD past the end"),
    Case("png_named.jpg", 0, "", "a valid PNG named .jpg: the content decides, format reported"),
    Case("text.jpg", 2, "not an image", "a text file named .jpg"),
    Case("html.png", 2, "not an image", "an HTML page named .png"),
    Case("random.tif", 2, "", "4 KiB of random bytes named .tif"),
    Case("bomb.png", 2, "too large", "a 92-byte PNG declaring 100000 x 100000 pixels"),
    Case("bomb.jpg", 2, "too large", "a small JPEG whose header declares 65000 x 65000"),
    Case("zero_size.jpg", 2, "", "a JPEG whose header declares 0 x 16 pixels"),
    Case("one_pixel.png", 0, "", "a valid 1 x 1 image"),
    Case("wide_20000x2.png", 0, "", "a valid 20000 x 2 image"),
    Case("tall_2x20000.png", 0, "", "a valid 2 x 20000 image"),
    Case("rgb16.tif", 0, "16 bits per channel kept", "16-bit RGB TIFF"),
    Case("gray16.png", 0, "16-bit grayscale expanded", "16-bit grayscale PNG"),
    Case("cmyk.jpg", 0, "CMYK without a profile", "CMYK JPEG, no profile"),
    Case("cmyk.tif", 0, "CMYK without a profile", "CMYK TIFF, no profile"),
    Case("palette.png", 0, "palette expanded", "palette PNG"),
    Case("palette_transparent.png", 0, "alpha composited", "palette PNG with a transparent index"),
    Case("rgba.png", 0, "alpha composited over white", "RGBA PNG"),
    Case("gray_alpha.png", 0, "alpha composited over white", "LA PNG"),
    Case("bilevel.png", 0, "grayscale expanded", "1-bit PNG"),
    Case("animated.gif", 0, "first of 3 frames used", "a 3-frame animated GIF"),
    Case("corrupt_exif.jpg", 0, "decoder warning: Corrupt EXIF", "EXIF block whose IFD offset points past the end"),
    Case("bad_orientation.jpg", 0, "not valid (1-8): ignored", "EXIF orientation 9 (valid values are 1-8)"),
    Case("corrupt_icc.jpg", 0, "ICC profile unreadable", "an embedded ICC profile of garbage"),
    Case("symlink_loop.jpg", 2, "cannot be opened", "a symbolic link to itself (ELOOP)"),
    Case("dangling_link.jpg", 2, "broken symbolic link", "a link to a file that does not exist"),
    Case("folder.jpg", 2, "it is a folder", "a folder named like an image"),
    Case("fifo.jpg", 2, "not a regular file", "a named pipe (would block a naive reader forever)"),
    Case("unreadable.jpg", 2, "permission denied",
         "mode 000 (as root this is not enforced: see the test)"),
    Case("Séance été 東京 look 01.jpg", 0, "", "a valid JPEG with non-ASCII and spaces in its name"),
    Case("missing.jpg", 2, "file not found", "not created at all"),
    # Hostile files and formats TwinProof does not read, whatever their names say (issue 18).
    Case("postscript_look01.jpg", 2, "PostScript", "57 bytes of PostScript that loop forever "
         "(Pillow handed it to Ghostscript: analyze hung)"),
    Case("eps_binary.png", 2, "EPS", "a DOS-binary EPS header around the same loop"),
    Case("dds_dx10.jpg", 2, "DDS", "a DDS texture with an unimplemented DXGI format "
         "(Pillow raised NotImplementedError: a traceback)"),
    Case("icns_bomb.png", 2, "ICNS", "an ICNS icon declaring 256x256 whose PNG entry declares "
         "100000x100000 (Pillow decoded it: 8 GB)"),
    Case("pdf_named.jpg", 2, "PDF", "a PDF named .jpg"),
    Case("psd_named.tif", 2, "Photoshop", "a Photoshop document named .tif"),
    Case("bmp_named.png", 2, "BMP", "a valid BMP named .png: a format TwinProof does not read"),
    Case("jpeg2000_named.jpg", 2, "JPEG 2000", "a valid JPEG 2000 image named .jpg"),
    Case("exif_giant.jpg", 2, "metadata", "a JPEG with 24 MB of EXIF APP1 segments "
         "(60 MB took 22 s in Pillow, 120 MB 97 s)"),
    Case("icc_giant.png", 2, "ICC profile", "a PNG whose iCCP chunk is 20 MB"),
    Case("itxt_giant.png", 2, "metadata", "a valid PNG with a 20 MB iTXt chunk (200 MB: 1.07 GB)"),
    Case("xmp_giant.webp", 2, "metadata", "a WebP with a 20 MB XMP chunk"),
    Case("huge_tiles.tif", 2, "tiles", "a 64x64 TIFF declaring 65520x65520 tiles"),
    Case("lzw16.tif", 0, "16 bits per channel kept", "16-bit RGB TIFF, LZW with horizontal "
         "predictor (the usual master): refused before, 'requires imagecodecs'"),
    Case("deflate16.tif", 0, "16 bits per channel kept", "16-bit RGB TIFF, Deflate"),
    Case("zstd16.tif", 2, "encoding TwinProof does not read", "16-bit RGB TIFF, Zstandard"),
    Case("lzw16_truncated.tif", 2, "truncated or corrupt", "the LZW master cut at 60 %"),
    Case("webp.webp", 0, "", "a lossy WebP"),
    Case("truncated.webp", 2, "", "a WebP cut at 40 %"),
    Case("truncated.gif", 2, "truncated or corrupt", "a GIF cut at 60 %"),
    Case("avif.avif", 0, "", "an AVIF image (Pillow's own decoder)"),
    Case("truncated.avif", 2, "", "an AVIF cut at 40 %"),
    Case("phone.heic", 0, "converted from ICC profile 'Display P3'", "a real iPhone 13 Pro "
         "HEIC (tests/data/phone; a tiny stand-in when absent)"),
    Case("heic_named.jpg", 0, "HEIF", "the iPhone HEIC named .jpg: the content decides"),
    Case("truncated.heic", 2, "truncated or corrupt", "the iPhone HEIC cut at 30 % (libheif "
         "decoded it, the missing tiles grey: caught from the box structure)"),
    # What a library's log line or Pillow's own limit could still do (issue 28).
    Case("spp65535.tif", 2, "truncated or corrupt", "a TIFF whose SamplesPerPixel is 65535 "
         "(Pillow logged 'More samples per pixel than can be decoded' to stderr above our line)"),
    Case("decompression_bomb.gif", 2, "the limit is 150 MP", "an 8x8 GIF canvas whose frame "
         "declares 20000x20000 (Pillow's message, 'exceeds limit of 178956970 pixels', came out)"),
    Case("gif_extents_bomb.gif", 2, "the limit is 150 MP", "an 8x8 GIF frame placed at "
         "(19990, 19990): the canvas grows to 400 MP while Pillow opens it"),
    Case(os.fsdecode(b"caf\xe9 look.jpg"), 0, "", "a valid JPEG whose name is Latin-1 bytes, "
         "not UTF-8 (shown as caf\\xe9 look.jpg)"),
    Case("x\033[2J\033[31mred\rcr.jpg", 0, "", "a valid JPEG whose name clears and recolours a "
         "terminal (ESC sequences, a carriage return)"),
    Case("long_" + "a" * 241 + ".jpg", 0, "", "a valid JPEG whose name is 250 bytes (the "
         "file system allows 255)"),
)


#: Loops forever in any PostScript interpreter; 57 bytes.
_POSTSCRIPT = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 8 8\n{} loop\n"
#: Real phone photographs, committed (see tests/data/SOURCES.md).
PHONE = Path(__file__).resolve().parents[1] / "tests" / "data" / "phone"


def _eps_binary() -> bytes:
    header = b"\xc5\xd0\xd3\xc6" + struct.pack("<IIIIII", 30, len(_POSTSCRIPT), 0, 0, 0, 0) + b"\xff\xff"
    return header + _POSTSCRIPT


def _dds_dx10() -> bytes:
    """A 4x4 DDS whose DX10 header names DXGI format 999 (no decoder has it)."""
    pixel_format = struct.pack("<II4sIIIII", 32, 0x4, b"DX10", 0, 0, 0, 0, 0)
    header = struct.pack("<IIIIIII", 124, 0x1007, 4, 4, 16, 0, 1) + b"\x00" * 44 + pixel_format
    header += struct.pack("<IIIII", 0x1000, 0, 0, 0, 0)
    dx10 = struct.pack("<IIIII", 999, 3, 0, 1, 0)
    return b"DDS " + header + dx10 + b"\x00" * 64


def _icns_bomb() -> bytes:
    """An 'ic08' (256x256) entry holding a PNG that declares 100000x100000."""
    entry = b"ic08" + struct.pack(">I", 8 + len(_png_bomb(100_000, 100_000))) + _png_bomb(100_000, 100_000)
    return b"icns" + struct.pack(">I", 8 + len(entry)) + entry


def jpeg_with_app1(jpeg: bytes, total: int) -> bytes:
    """``jpeg`` with ``total`` bytes of EXIF APP1 segments (65,533 each) after SOI."""
    payload = b"Exif\x00\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00" * (65533 - 2 - 14)
    segment = b"\xff\xe1" + struct.pack(">H", 65533) + payload
    return jpeg[:2] + segment * max(1, total // len(segment)) + jpeg[2:]


def png_with_chunk(png: bytes, kind: bytes, head: bytes, size: int) -> bytes:
    """``png`` with one ``kind`` chunk of ``size`` bytes (``head`` then spaces) before IDAT."""
    data = head + b" " * (size - len(head))
    chunk = _png_chunk(kind, data)
    i = png.index(b"IDAT") - 4
    return png[:i] + chunk + png[i:]


def _webp_with_xmp(pic: Image.Image, size: int) -> bytes:
    riff = _encoded(pic, "WEBP", quality=80, xmp=b"<x:xmpmeta/>")
    i = riff.index(b"XMP ")
    xmp = b"XMP " + struct.pack("<I", size) + b" " * size
    body = riff[12:i] + xmp
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def _encoded(pic: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    pic.save(buf, format=fmt, **params)
    return buf.getvalue()


def _tiff16_bytes(compression: str, side: int = 0) -> bytes:
    import tifffile

    arr = _picture(side or 96, (side or 96) * 2 // 3).astype(np.uint16) * 257 + 3  # low bits in use
    buf = io.BytesIO()
    tifffile.imwrite(buf, arr, photometric="rgb", compression=compression,
                     predictor=compression in ("lzw", "zlib"))
    return buf.getvalue()


def _write_tiff16(path: Path, compression: str) -> None:
    path.write_bytes(_tiff16_bytes(compression))


def _write_huge_tiles(path: Path) -> None:
    import tifffile

    buf = io.BytesIO()
    tifffile.imwrite(buf, _picture(64, 64), photometric="rgb", tile=(32, 32))
    data = bytearray(buf.getvalue())
    with tifffile.TiffFile(io.BytesIO(bytes(data))) as tif:
        for code in (322, 323):
            tag = tif.pages.first.tags[code]
            fmt = "<H" if tag.dtype == 3 else "<I"
            struct.pack_into(fmt, data, tag.valueoffset, 65520)
    path.write_bytes(bytes(data))


def _tiff_samples_per_pixel(pic: Image.Image, samples: int) -> bytes:
    """``pic`` as a TIFF whose SamplesPerPixel tag (277) is patched to ``samples``."""
    data = bytearray(_encoded(pic, "TIFF"))
    ifd = struct.unpack_from("<I", data, 4)[0]
    for i in range(struct.unpack_from("<H", data, ifd)[0]):
        entry = ifd + 2 + 12 * i
        if struct.unpack_from("<H", data, entry)[0] == 277:
            struct.pack_into("<H", data, entry + 8, samples)
    return bytes(data)


def _gif_frame(canvas: tuple[int, int], offset: tuple[int, int], size: tuple[int, int]) -> bytes:
    """An 8x8 GIF re-declared: logical screen ``canvas``, its frame at ``offset`` of ``size``
    (Pillow grows the canvas to hold the frame while it opens the file)."""
    data = bytearray(_encoded(Image.new("P", (8, 8)), "GIF"))
    struct.pack_into("<HH", data, 6, *canvas)
    flags = data[10]
    descriptor = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while data[descriptor] == 0x21:  # extension blocks: label, then sub-blocks to a 0 length
        descriptor += 2
        while data[descriptor]:
            descriptor += data[descriptor] + 1
        descriptor += 1
    assert data[descriptor] == 0x2C, "no image descriptor where the GIF grammar puts it"
    struct.pack_into("<HHHH", data, descriptor + 1, *offset, *size)
    return bytes(data)


def phone_heic() -> bytes:
    """The committed iPhone HEIC (always in the repository: tests/data/phone)."""
    path = PHONE / "iphone13pro_pug.heic"
    return path.read_bytes()


def build(out: Path) -> dict[str, Case]:
    """Write every case into ``out`` (created); returns name -> Case."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(9)
    pic = Image.fromarray(_picture())
    jpeg = _jpeg_bytes(pic)
    png = io.BytesIO()
    pic.save(png, format="PNG")
    tif = io.BytesIO()
    pic.save(tif, format="TIFF")
    writers = {
        "empty.jpg": lambda p: p.write_bytes(b""),
        "truncated.jpg": lambda p: p.write_bytes(_truncate(jpeg, 0.4)),
        "truncated.png": lambda p: p.write_bytes(_truncate(png.getvalue(), 0.4)),
        "truncated.tif": lambda p: p.write_bytes(_truncate(tif.getvalue(), 0.4)),
        "header_only.jpg": lambda p: p.write_bytes(jpeg[:200]),
        "bad_ifd.tif": lambda p: p.write_bytes(_tiff_bad_ifd()),
        "png_named.jpg": lambda p: p.write_bytes(png.getvalue()),
        "text.jpg": lambda p: p.write_text("this is not a picture\n" * 20),
        "html.png": lambda p: p.write_text("<!doctype html><html><body>404</body></html>\n"),
        "random.tif": lambda p: p.write_bytes(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()),
        "bomb.png": lambda p: p.write_bytes(_png_bomb(100_000, 100_000)),
        "bomb.jpg": lambda p: p.write_bytes(_jpeg_declaring(65_000, 65_000)),
        "zero_size.jpg": lambda p: p.write_bytes(_jpeg_declaring(0, 16)),
        "one_pixel.png": lambda p: _save(Image.new("RGB", (1, 1), (200, 120, 90)), p),
        "wide_20000x2.png": lambda p: _save(Image.fromarray(_picture(20000, 2)), p),
        "tall_2x20000.png": lambda p: _save(Image.fromarray(_picture(2, 20000)), p),
        "rgb16.tif": _write_rgb16_tiff,
        "gray16.png": lambda p: _save(Image.fromarray(
            np.arange(64 * 96, dtype=np.uint16).reshape(64, 96) * 10), p),
        "cmyk.jpg": lambda p: _save(pic.convert("CMYK"), p, quality=90),
        "cmyk.tif": lambda p: _save(pic.convert("CMYK"), p),
        "palette.png": lambda p: _save(pic.convert("P", palette=Image.Palette.ADAPTIVE), p),
        "palette_transparent.png": lambda p: _save(
            pic.convert("P", palette=Image.Palette.ADAPTIVE), p, transparency=0),
        "rgba.png": lambda p: _save(_with_alpha(pic), p),
        "gray_alpha.png": lambda p: _save(_with_alpha(pic).convert("LA"), p),
        "bilevel.png": lambda p: _save(pic.convert("1"), p),
        "animated.gif": lambda p: _save(pic, p, save_all=True, append_images=[
            pic.rotate(90), pic.transpose(Image.Transpose.FLIP_LEFT_RIGHT)], loop=0),
        "corrupt_exif.jpg": lambda p: p.write_bytes(_corrupt_exif_jpeg()),
        "bad_orientation.jpg": lambda p: p.write_bytes(_bad_orientation_jpeg()),
        "corrupt_icc.jpg": lambda p: _save(pic, p, quality=90,
                                           icc_profile=b"acsp" + bytes(range(256)) * 2),
        "symlink_loop.jpg": lambda p: os.symlink(p.name, p),
        "dangling_link.jpg": lambda p: os.symlink("no_such_file.jpg", p),
        "folder.jpg": lambda p: p.mkdir(),
        "fifo.jpg": lambda p: os.mkfifo(p),
        "unreadable.jpg": _write_unreadable,
        "Séance été 東京 look 01.jpg": lambda p: p.write_bytes(jpeg),
        "missing.jpg": lambda p: None,
        "postscript_look01.jpg": lambda p: p.write_bytes(_POSTSCRIPT),
        "eps_binary.png": lambda p: p.write_bytes(_eps_binary()),
        "dds_dx10.jpg": lambda p: p.write_bytes(_dds_dx10()),
        "icns_bomb.png": lambda p: p.write_bytes(_icns_bomb()),
        "pdf_named.jpg": lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
        "psd_named.tif": lambda p: p.write_bytes(b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03" + b"\x00" * 64),
        "bmp_named.png": lambda p: _save(pic, p, format="BMP"),
        "jpeg2000_named.jpg": lambda p: _save(pic, p, format="JPEG2000"),
        "exif_giant.jpg": lambda p: p.write_bytes(jpeg_with_app1(jpeg, 24 << 20)),
        "icc_giant.png": lambda p: p.write_bytes(png_with_chunk(png.getvalue(), b"iCCP", b"giant\0\0", 20 << 20)),
        "itxt_giant.png": lambda p: p.write_bytes(png_with_chunk(
            png.getvalue(), b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0", 20 << 20)),
        "xmp_giant.webp": lambda p: p.write_bytes(_webp_with_xmp(pic, 20 << 20)),
        "huge_tiles.tif": _write_huge_tiles,
        "lzw16.tif": lambda p: _write_tiff16(p, "lzw"),
        "deflate16.tif": lambda p: _write_tiff16(p, "zlib"),
        "zstd16.tif": lambda p: _write_tiff16(p, "zstd"),
        "lzw16_truncated.tif": lambda p: p.write_bytes(_truncate(_tiff16_bytes("lzw", 256), 0.6)),
        "webp.webp": lambda p: _save(pic, p, format="WEBP", quality=80),
        "truncated.webp": lambda p: p.write_bytes(_truncate(_encoded(pic, "WEBP"), 0.4)),
        "truncated.gif": lambda p: p.write_bytes(_truncate(_encoded(pic, "GIF"), 0.6)),
        "avif.avif": lambda p: _save(pic, p, format="AVIF", quality=80),
        "truncated.avif": lambda p: p.write_bytes(_truncate(_encoded(pic, "AVIF"), 0.4)),
        "phone.heic": lambda p: p.write_bytes(phone_heic()),
        "heic_named.jpg": lambda p: p.write_bytes(phone_heic()),
        "truncated.heic": lambda p: p.write_bytes(_truncate(phone_heic(), 0.3)),
        "spp65535.tif": lambda p: p.write_bytes(_tiff_samples_per_pixel(pic, 65535)),
        "decompression_bomb.gif": lambda p: p.write_bytes(_gif_frame((8, 8), (0, 0), (20000, 20000))),
        "gif_extents_bomb.gif": lambda p: p.write_bytes(_gif_frame((8, 8), (19990, 19990), (8, 8))),
        os.fsdecode(b"caf\xe9 look.jpg"): lambda p: p.write_bytes(jpeg),
        "x\033[2J\033[31mred\rcr.jpg": lambda p: p.write_bytes(jpeg),
        "long_" + "a" * 241 + ".jpg": lambda p: p.write_bytes(jpeg),
    }
    assert set(writers) == {c.name for c in CASES}
    for case in CASES:
        path = out / case.name
        if path.is_symlink() or path.exists():
            continue
        writers[case.name](path)
    return {c.name: c for c in CASES}


def _with_alpha(pic: Image.Image) -> Image.Image:
    rgba = pic.convert("RGBA")
    alpha = np.full((pic.height, pic.width), 255, np.uint8)
    alpha[:, : pic.width // 3] = 0
    alpha[:, pic.width // 3: 2 * pic.width // 3] = 128
    rgba.putalpha(Image.fromarray(alpha))
    return rgba


def _write_rgb16_tiff(path: Path) -> None:
    import tifffile

    arr = _picture().astype(np.uint16) * 257
    tifffile.imwrite(path, arr, photometric="rgb")


def _write_unreadable(path: Path) -> None:
    path.write_bytes(_jpeg_bytes(Image.fromarray(_picture())))
    path.chmod(0)


def _shown(name: str) -> str:
    """A case's name as a terminal may print it: control characters and bytes escaped."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="twinproof-bad-"))
    cases = build(out)
    shown = {n: _shown(n) for n in cases}  # some names are made to upset a terminal
    width = max(len(n) for n in shown.values())
    for case in cases.values():
        print(f"{shown[case.name]:<{width}}  exit {case.exit}  {case.what}")
    print(f"wrote {len(cases)} cases to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
