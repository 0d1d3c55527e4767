"""SSIM, MS-SSIM, CIELAB and CIEDE2000 pinned against independent references."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from skimage.color import deltaE_ciede2000, rgb2lab
from skimage.metrics import structural_similarity

from tests.core.photos import astronaut, hopper, jpeg_roundtrip
from twinproof.core import colour, ssim


def _luma(arr):
    return ssim.luma(arr.astype(np.float32) / 255.0)


@pytest.mark.parametrize("photo", [astronaut, hopper])
def test_ssim_agrees_with_scikit_image(photo):
    real = photo()
    twin = jpeg_roundtrip(real, 40)
    x, y = _luma(real), _luma(twin)
    ours, our_map = ssim.ssim(x, y)
    ref, ref_map = structural_similarity(
        x.astype(np.float64), y.astype(np.float64), gaussian_weights=True, sigma=1.5,
        use_sample_covariance=False, data_range=1.0, full=True)
    assert ours == pytest.approx(ref, abs=1e-4)
    assert np.abs(our_map - ref_map).max() < 2e-4
    assert ours < 0.99  # q40 really changed the picture


def test_ssim_identical_is_one_and_mask_restricts_the_mean():
    x = _luma(astronaut())
    value, _smap = ssim.ssim(x, x)
    assert value == pytest.approx(1.0, abs=1e-6)
    y = x.copy()
    y[:, 256:] = 0.5  # destroy the right half
    mask = np.zeros_like(x, dtype=bool)
    mask[:, :256] = True
    assert ssim.ssim(x, y, mask)[0] == pytest.approx(1.0, abs=1e-5)
    assert ssim.ssim(x, y)[0] < 0.7


def test_ms_ssim_identical_and_monotone_in_blur():
    import cv2

    x = _luma(hopper())
    assert ssim.ms_ssim(x, x) == pytest.approx(1.0, abs=1e-6)
    values = [ssim.ms_ssim(x, cv2.GaussianBlur(x, (0, 0), s)) for s in (0.6, 1.2, 2.4, 4.8)]
    assert all(a > b for a, b in itertools.pairwise(values))
    # MS-SSIM weighs coarse scales, where blur does little, so it stays above single-scale SSIM.
    blurred = cv2.GaussianBlur(x, (0, 0), 2.4)
    assert ssim.ms_ssim(x, blurred) > ssim.ssim(x, blurred)[0]


def test_ms_ssim_refuses_tiny_images():
    x = np.zeros((100, 100), np.float32)
    assert ssim.ms_ssim(x, x) is None


def test_lab_matches_scikit_image():
    rgb = astronaut().astype(np.float32) / 255.0
    np.testing.assert_allclose(colour.srgb_to_lab(rgb), rgb2lab(rgb.astype(np.float64)), atol=2e-3)


# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", Table 1 (excerpt).
SHARMA = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0011), 7.2195),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ((90.8027, -2.0831, 1.441), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_sharma_reference_data(lab1, lab2, expected):
    got = colour.delta_e2000(np.array(lab1, np.float32), np.array(lab2, np.float32))
    assert float(got) == pytest.approx(expected, abs=2e-3)


def test_ciede2000_map_matches_scikit_image_on_a_photo():
    real = astronaut().astype(np.float32) / 255.0
    twin = np.clip(real * np.float32([1.05, 1.0, 0.9]) + 0.02, 0, 1)
    ours = colour.delta_e2000_map(real, twin)
    ref = deltaE_ciede2000(rgb2lab(real.astype(np.float64)), rgb2lab(twin.astype(np.float64)))
    assert np.abs(ours - ref).max() < 5e-3
    assert ours.mean() > 2  # a visible change


@pytest.mark.parametrize(("L", "b", "cls"), [
    (75.0, 12.0, "very light"), (65.0, 15.0, "light"), (58.0, 14.0, "intermediate"),
    (53.0, 15.0, "tan"), (40.0, 18.0, "brown"), (25.0, 12.0, "dark"),
])
def test_ita_classes(L, b, cls):
    assert colour.ita_class(colour.ita_degrees(L, b)) == cls
