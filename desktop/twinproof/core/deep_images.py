"""16-bit colour files, read without losing bits where Pillow would cut them to 8.

Pillow opens 16-bit RGB(A) TIFF and PNG as 8-bit "RGB"/"RGBA", silently dropping the low byte
a retoucher's master file carries. TIFF goes through tifffile and PNG through OpenCV's decoder
(both already dependencies; tifffile decodes LZW - the usual compression of 16-bit masters -
through imagecodecs), then orientation, alpha and the ICC profile are applied here in 16 bits.
Pillow's libtiff path would decode LZW too, but unpacks 16-bit samples to 8 bits. 16-bit CMYK
(a prepress file) has no 16-bit path through LittleCMS in Pillow, so it is converted at 8 bits
and says so.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

from twinproof.core import errors
from twinproof.core.colour_profiles import apply_icc
from twinproof.core.native_output import captured

_TIFF_PHOTOMETRIC = 262
_TIFF_ORIENTATION = 274
_TIFF_EXTRA_SAMPLES = 338
_TIFF_ICC = 34675
_PHOTOMETRIC_SEPARATED = 5  # CMYK
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOUR_TYPES_WITH_COLOUR = (2, 6)  # RGB, RGBA (16-bit grayscale Pillow keeps whole)


def png_is_16bit_colour(path: Path) -> bool:
    """Read the IHDR chunk: bit depth 16 with colour type RGB or RGBA."""
    with open(path, "rb") as f:
        head = f.read(26)
    return (len(head) == 26 and head[:8] == _PNG_SIGNATURE and head[12:16] == b"IHDR"
            and head[24] == 16 and head[25] in _PNG_COLOUR_TYPES_WITH_COLOUR)


def decode_png16(path: Path, im: Image.Image, handling: list[str]) -> tuple[np.ndarray, int]:
    """A 16-bit RGB(A) PNG as uint16 sRGB; ``im`` supplies the profile and the EXIF orientation."""
    import cv2

    data = np.fromfile(path, dtype=np.uint8)  # imdecode: non-ASCII paths work on every platform
    with captured(handling):  # libpng's own warnings (e.g. a known-incorrect sRGB profile)
        arr = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    del data
    if arr is None or arr.dtype != np.uint16 or arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise errors.ImageTruncatedError(path, "the 16-bit PNG data could not be decoded")
    arr = arr[:, :, [2, 1, 0, 3][: arr.shape[2]]]  # OpenCV gives BGR(A)
    if arr.shape[2] == 4:
        arr = over_white(arr[:, :, :3], arr[:, :, 3], premultiplied=False)
        handling.append("alpha composited over white")
    try:
        orientation = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:  # noqa: BLE001 - a corrupt eXIf chunk: keep the pixels, say so
        orientation = 1
        handling.append("EXIF unreadable, orientation not applied")
    return _finish(arr, orientation, im.info.get("icc_profile"), handling)


def decode_tiff16(path: Path, im: Image.Image, handling: list[str]) -> tuple[np.ndarray, int]:
    """A TIFF with more than 8 bits per sample: uint16 sRGB (CMYK: uint8, see the module)."""
    import tifffile

    tags = getattr(im, "tag_v2", {})
    icc = tags.get(_TIFF_ICC)
    orientation = int(tags.get(_TIFF_ORIENTATION, 1) or 1)
    try:
        with captured(handling), tifffile.TiffFile(path) as tif:
            page = tif.pages.first
            compression = int(page.compression)
            if compression not in TIFF16_COMPRESSIONS:
                raise errors.UnsupportedEncodingError(
                    path, f"16-bit TIFF compressed with {_compression_name(compression)}; "
                          "TwinProof reads uncompressed, LZW, Deflate and PackBits")
            if (page.imagewidth, page.imagelength) != im.size:  # what will be allocated
                raise errors.ImageTruncatedError(
                    path, f"the TIFF data is {page.imagewidth}x{page.imagelength} but its "
                          f"header says {im.width}x{im.height}")
            arr = page.asarray(maxworkers=2)
            if arr.ndim == 3 and page.axes.startswith("S"):  # planar: one plane per sample
                arr = np.moveaxis(arr, 0, -1)
    except errors.ImageLoadError:
        raise
    except Exception as exc:
        raise errors.ImageTruncatedError(path, " ".join(str(exc).split())[:160]) from exc
    if arr.dtype != np.uint16:
        raise errors.UnsupportedImageModeError(
            path, f"{arr.dtype} samples (TwinProof reads 8- and 16-bit integer images)")
    if tags.get(_TIFF_PHOTOMETRIC) == _PHOTOMETRIC_SEPARATED:
        return _cmyk16(path, arr, icc, orientation, handling)
    if arr.ndim == 2:
        arr = arr[:, :, None]
    if arr.ndim != 3 or arr.shape[2] not in (1, 2, 3, 4):
        raise errors.UnsupportedImageModeError(path, f"16-bit samples of shape {arr.shape}")
    premultiplied = _extra_samples(tags) == 1
    if arr.shape[2] in (2, 4):
        arr = over_white(arr[:, :, :-1], arr[:, :, -1], premultiplied=premultiplied)
        handling.append("alpha composited over white")
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
        handling.append("16-bit grayscale expanded to RGB")
    return _finish(arr, orientation, icc, handling)


def _finish(arr: np.ndarray, orientation: int, icc: bytes | None,
            handling: list[str]) -> tuple[np.ndarray, int]:
    """The steps every 16-bit RGB file ends with: orientation, then its profile to sRGB."""
    arr = orient(arr, orientation, handling)
    if icc:
        arr = icc_16bit(arr, bytes(icc), handling)
    else:
        handling.append("no ICC profile: sRGB assumed")
    handling.append("16 bits per channel kept")
    return np.ascontiguousarray(arr), 16


#: TIFF compressions read at 16 bits: none, LZW, Deflate (Adobe and old), PackBits.
TIFF16_COMPRESSIONS = {1: "none", 5: "LZW", 8: "Deflate", 32946: "Deflate", 32773: "PackBits"}


def _compression_name(code: int) -> str:
    try:
        import tifffile

        return str(tifffile.COMPRESSION(code).name)
    except ValueError:
        return f"compression {code}"


def _extra_samples(tags: object) -> int:
    value = getattr(tags, "get", lambda _k, _d=None: None)(_TIFF_EXTRA_SAMPLES)
    if isinstance(value, tuple):
        value = value[0] if value else None
    return int(value) if value is not None else 0


def over_white(colour: np.ndarray, alpha: np.ndarray, *, premultiplied: bool) -> np.ndarray:
    a = alpha.astype(np.float32)[:, :, None] / 65535.0
    c = colour.astype(np.float32)
    out = c + 65535.0 * (1 - a) if premultiplied else c * a + 65535.0 * (1 - a)
    return out.clip(0, 65535).round().astype(np.uint16)


def _cmyk16(path: Path, arr: np.ndarray, icc: bytes | None, orientation: int,
            handling: list[str]) -> tuple[np.ndarray, int]:
    if arr.ndim != 3 or arr.shape[2] < 4:
        raise errors.UnsupportedImageModeError(path, f"CMYK samples of shape {arr.shape}")
    if arr.shape[2] > 4:
        handling.append(f"{arr.shape[2] - 4} extra CMYK channel(s) ignored")
    eight = Image.fromarray(np.ascontiguousarray((arr[:, :, :4] >> 8).astype(np.uint8)), "CMYK")
    handling.append("16-bit CMYK converted at 8 bits")
    if icc:
        rgb = apply_icc(eight, bytes(icc), handling, "CMYK")
    else:
        handling.append("CMYK without a profile: naive conversion, colours approximate")
        rgb = eight.convert("RGB")
    out = orient(np.asarray(rgb.convert("RGB"), dtype=np.uint8), orientation, handling)
    return np.ascontiguousarray(out), 8


def icc_16bit(arr: np.ndarray, icc: bytes, handling: list[str]) -> np.ndarray:
    """Matrix/TRC profiles in float (no bits lost); anything else through LittleCMS at 8 bits."""
    from twinproof.core.icc import UnsupportedProfile, is_srgb, profile_to_srgb_16bit
    try:
        name = (ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))) or "").strip()
    except Exception:  # noqa: BLE001 - LittleCMS raises several types on garbage
        name = ""
    if is_srgb(icc):
        handling.append(f"ICC profile '{name}' is sRGB: no conversion needed")
        return arr
    try:
        out = profile_to_srgb_16bit(arr, icc)
    except UnsupportedProfile as exc:
        eight = Image.fromarray(np.ascontiguousarray((arr >> 8).astype(np.uint8)))
        converted = apply_icc(eight, icc, handling, "RGB")
        handling.append(f"16-bit profile converted at 8 bits ({exc})")
        return np.asarray(converted, dtype=np.uint16) * np.uint16(257)
    handling.append(f"converted from ICC profile '{name or 'unnamed'}' to sRGB in floating point")
    return out


def orient(arr: np.ndarray, orientation: int, handling: list[str]) -> np.ndarray:
    """Apply an EXIF/TIFF orientation (2-8) to an array, as ``ImageOps.exif_transpose`` does."""
    ops = {
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: np.swapaxes(a, 0, 1),
        6: lambda a: np.rot90(a, -1),
        7: lambda a: np.swapaxes(a, 0, 1)[::-1, ::-1],
        8: lambda a: np.rot90(a, 1),
    }
    if orientation in ops:
        handling.append(f"EXIF orientation {orientation} applied")
        return ops[orientation](arr)
    if orientation != 1:
        handling.append(f"EXIF orientation {orientation!r} is not valid (1-8): ignored")
    return arr
