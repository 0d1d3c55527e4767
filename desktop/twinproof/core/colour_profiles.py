"""Embedded ICC profiles to sRGB through LittleCMS (Pillow's ``ImageCms``), at 8 bits.

Every decoder (``imageio`` for the common formats, ``deep_images`` for 16-bit TIFF and PNG,
``heif_images`` for HEIC/AVIF) converts an embedded profile the same way, so the conversion
lives in a module of its own below all three: it was ``imageio``'s private ``_apply_icc``,
which the deep and HEIF decoders imported back from the module that imports them (an import
cycle). 16-bit matrix/TRC profiles are converted without losing bits by ``core.icc``.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

from twinproof.core import errors
from twinproof.core.icc import is_srgb

#: The profile every image is converted to.
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def apply_icc(im: Image.Image, icc: bytes, handling: list[str], mode: str) -> Image.Image:
    """Convert from the embedded profile to sRGB; a broken profile is reported, not fatal."""
    try:
        src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        name = (ImageCms.getProfileDescription(src) or "").strip()
    except Exception as exc:  # noqa: BLE001 - LittleCMS raises several types on garbage
        handling.append(f"embedded ICC profile unreadable, assumed sRGB ({errors.one_line(exc)})")
        return im.convert("RGB")
    if mode == "RGB" and is_srgb(icc):
        handling.append(f"ICC profile '{name}' is sRGB: no conversion needed")
        return im
    try:
        out = ImageCms.profileToProfile(
            im, src, SRGB, renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            outputMode="RGB",
        )
    except Exception as exc:  # noqa: BLE001
        handling.append(f"ICC profile '{name}' could not be applied, assumed sRGB ({errors.one_line(exc)})")
        return im.convert("RGB")
    assert out is not None
    handling.append(f"converted from ICC profile '{name or 'unnamed'}' to sRGB")
    return out
