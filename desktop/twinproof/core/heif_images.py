"""HEIC/HEIF photos (iPhones since 2017, many Android and camera bodies), read with pi-heif.

Why pi-heif: it is libheif + libde265 in a self-contained wheel (LGPL-3.0 libraries, BSD-3
bindings), decode only. Its sibling pillow-heif bundles the x265 *encoder*, which makes its
wheels GPL-2.0 - more than a reader needs. It is used directly, not registered as a Pillow
plugin, so no other Pillow user in the process starts opening HEIF files.

What is done to the pixels (said in ``colour_handling``): the decoder applies the file's
rotation and mirroring (``irot``/``imir``: HEIF's orientation, which wins over EXIF's);
10- and 12-bit images are kept as 16 bits; alpha is composited over white; an embedded ICC
profile (iPhones write Display P3) is converted to sRGB; an ``nclx`` colour description with
BT.709/sRGB primaries is sRGB already, any other is said to be approximate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image

from twinproof.core import deep_images, errors
from twinproof.core.colour_profiles import apply_icc
from twinproof.core.decode_budget import Budget

#: nclx colour primaries that are sRGB's (1 = BT.709; 2 = unspecified, taken as sRGB).
_SRGB_PRIMARIES = (1, 2)
_TRANSFERS = {1: "BT.709", 2: "unspecified", 8: "linear", 13: "sRGB", 16: "PQ (HDR)", 18: "HLG (HDR)"}


def decode_heif(path: Path, f: BinaryIO, budget: Budget,
                check_size: Callable[[tuple[int, int]], None],
                ) -> tuple[np.ndarray, int, str, list[str], int]:
    """The primary image as sRGB: (pixels, bit depth, source mode, handling, image count)."""
    try:
        import pi_heif
    except ImportError as exc:  # a trimmed install: say what is missing, not "corrupt"
        raise errors.UnsupportedEncodingError(path, "HEIF needs the pi-heif package, which is "
                                                    "not installed") from exc

    try:
        heif = pi_heif.open_heif(f, convert_hdr_to_8bit=False, hdr_to_16bit=True)
        primary = heif[heif.primary_index]
        declared = primary.size
        check_size(declared)
        mode = primary.mode
        channels = {"L": 1, "I;16": 1, "LA": 2, "RGB": 3, "RGB;16": 3, "RGBA": 4, "RGBA;16": 4}
        if mode not in channels:
            raise errors.UnsupportedImageModeError(path, f"HEIF mode {mode}")
        deep = mode.endswith(";16") or mode == "I;16"
        budget.allow(declared[0] * declared[1] * channels[mode] * (2 if deep else 1))
        data = primary.data  # the decode
        if primary.size != declared:  # the decoder may settle on another size than it said
            check_size(primary.size)
        budget.check()
        w, h = primary.size
        stride = primary.stride
        info = dict(primary.info)
        count = len(heif)
    except errors.ImageLoadError:
        raise
    except (ValueError, RuntimeError, OSError, EOFError, SyntaxError, KeyError) as exc:
        raise errors.ImageTruncatedError(path, "HEIF: " + " ".join(str(exc).split())[:150]) from exc
    dtype = np.uint16 if deep else np.uint8
    item = np.dtype(dtype).itemsize
    rows = np.frombuffer(data, dtype=dtype, count=h * stride // item).reshape(h, stride // item)
    arr: np.ndarray = rows[:, : w * channels[mode]].reshape(h, w, channels[mode]).copy()
    del data, heif, primary
    bits = int(str(info.get("bit_depth") or 8))
    if deep and 8 < bits < 16:
        # libheif shifts 10/12-bit samples left (1023 -> 65472): rescale so white is 65535.
        top = (1 << bits) - 1
        coded = np.right_shift(arr, 16 - bits).astype(np.uint32)
        arr = ((coded * 65535 + top // 2) // top).astype(np.uint16)
    handling = [f"HEIF, {bits} bits per channel as coded"]
    if count > 1:
        handling.append(f"primary image of {count} used")
    orientation = info.get("original_orientation")
    if orientation not in (None, 1):
        handling.append(f"HEIF rotation applied by the decoder (EXIF said orientation {orientation})")
    arr = _to_rgb(arr, deep, handling)
    return _colour(path, arr, deep, info, handling), 16 if deep else 8, mode, handling, count


def _to_rgb(arr: np.ndarray, deep: bool, handling: list[str]) -> np.ndarray:
    channels = arr.shape[2]
    if channels in (2, 4):
        colour, alpha = arr[:, :, :-1], arr[:, :, -1]
        if deep:
            arr = deep_images.over_white(colour, alpha, premultiplied=False)
        else:
            a = alpha.astype(np.float32)[:, :, None] / 255.0
            arr = (colour * a + 255.0 * (1 - a)).round().astype(np.uint8)
        handling.append("alpha composited over white")
    if arr.shape[2] == 1:
        arr = np.repeat(arr, 3, axis=2)
        handling.append("grayscale expanded to RGB")
    return arr


def _colour(path: Path, arr: np.ndarray, deep: bool, info: dict[str, object],
            handling: list[str]) -> np.ndarray:
    icc = info.get("icc_profile")
    nclx = info.get("nclx_profile")
    if isinstance(icc, bytes | bytearray) and icc:
        if deep:
            arr = deep_images.icc_16bit(arr, bytes(icc), handling)
            handling.append("16 bits per channel kept")
            return np.ascontiguousarray(arr)
        out = apply_icc(Image.fromarray(np.ascontiguousarray(arr)), bytes(icc), handling, "RGB")
        return np.asarray(out.convert("RGB"), dtype=np.uint8).copy()
    if isinstance(nclx, dict):
        primaries = nclx.get("color_primaries")
        transfer = nclx.get("transfer_characteristics")
        name = _TRANSFERS.get(transfer if isinstance(transfer, int) else -1, str(transfer))
        if primaries in _SRGB_PRIMARIES and transfer in (1, 2, 13):
            handling.append(f"nclx colour: BT.709 primaries, {name} transfer: taken as sRGB")
        else:
            handling.append(f"nclx colour (primaries {primaries}, {name} transfer) not converted: "
                            "sRGB assumed, colours approximate")
    else:
        handling.append("no ICC profile: sRGB assumed")
    if deep:
        handling.append("16 bits per channel kept")
    return np.ascontiguousarray(arr)
