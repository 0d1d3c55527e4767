"""16-bit files in Adobe RGB / ProPhoto-like profiles are converted to sRGB without losing bits,
agreeing with LittleCMS (what Pillow uses for 8-bit files)."""

from __future__ import annotations

import io

import numpy as np
import pytest
import tifffile
from PIL import Image, ImageCms

from tests.core.photos import astronaut
from tests.core.test_imageio import _adobe_rgb_profile
from twinproof.core.icc import UnsupportedProfile, parse_matrix_trc
from twinproof.core.imageio import load_image

SRGB = ImageCms.createProfile("sRGB")


def _to_adobe_8bit(src: np.ndarray) -> np.ndarray:
    adobe = ImageCms.ImageCmsProfile(io.BytesIO(_adobe_rgb_profile()))
    return np.asarray(ImageCms.profileToProfile(Image.fromarray(src), SRGB, adobe, outputMode="RGB"))


def test_float_conversion_matches_littlecms_on_8bit_data():
    encoded = _to_adobe_8bit(astronaut())
    adobe = ImageCms.ImageCmsProfile(io.BytesIO(_adobe_rgb_profile()))
    lcms = np.asarray(ImageCms.profileToProfile(Image.fromarray(encoded), adobe, SRGB, outputMode="RGB"))
    ours = parse_matrix_trc(_adobe_rgb_profile()).to_srgb(encoded.astype(np.float64) / 255.0)
    diff = np.abs(np.round(ours * 255) - lcms.astype(np.float64))
    assert diff.max() <= 1 and diff.mean() < 0.2


def test_parametric_curves_of_littlecms_srgb_profile_are_identity():
    srgb_bytes = ImageCms.ImageCmsProfile(SRGB).tobytes()
    x = np.linspace(0, 1, 4096)[:, None].repeat(3, axis=1)
    np.testing.assert_allclose(parse_matrix_trc(srgb_bytes).to_srgb(x), x, atol=2e-3)


def test_16bit_tiff_with_embedded_profile_is_converted_and_keeps_its_bits(tmp_path):
    src = astronaut()
    adobe16 = _to_adobe_8bit(src).astype(np.uint16) * 257 + 100  # low bits in use
    path = tmp_path / "adobe16.tif"
    tifffile.imwrite(path, adobe16, photometric="rgb",
                     extratags=[(34675, "B", len(_adobe_rgb_profile()), _adobe_rgb_profile(), True)])
    img = load_image(path)
    assert img.pixels.dtype == np.uint16
    assert any("floating point" in h for h in img.handling)
    back8 = img.pixels.astype(np.float64) / 257.0
    assert np.abs(back8 - src).mean() < 1.5  # sRGB again, not Adobe RGB read as sRGB
    assert len(np.unique(img.pixels[..., 1] & 0xFF)) > 64  # not a 8-bit result scaled up


@pytest.mark.parametrize("data", [b"", b"x" * 200, ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()])
def test_non_matrix_profiles_are_refused_clearly(data):
    with pytest.raises(UnsupportedProfile):
        parse_matrix_trc(data)
