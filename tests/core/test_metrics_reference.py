"""SSIM, MS-SSIM, CIELAB and CIEDE2000 pinned against independent references."""

from __future__ import annotations

import itertools
from pathlib import Path

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


@pytest.mark.parametrize("photo", [astronaut, hopper])
def test_a_real_photographs_kept_side_gives_the_same_ssim_to_the_bit(photo):
    """The real's own SSIM terms, kept for its next twin, change no number (and stay read-only)."""
    x, y = _luma(photo()), _luma(jpeg_roundtrip(photo(), 40))
    mask = np.ones_like(x, dtype=bool)
    mask[:40] = False
    terms = ssim.pyramid_terms(x)
    assert len(terms) == 5 and terms[1].x.shape == (x.shape[0] // 2, x.shape[1] // 2)
    value, smap, ms = ssim.ssim_and_ms_ssim(x, y, mask)
    again = [ssim.ssim_and_ms_ssim(x, y, mask, x_terms=terms) for _ in range(2)]
    for kept_value, kept_map, kept_ms in again:
        assert kept_value == value and kept_ms == ms
        assert np.array_equal(kept_map, smap)
    assert ms == ssim.ms_ssim(x, y, mask) and value == ssim.ssim(x, y, mask)[0]
    with pytest.raises(ValueError):
        terms[0].var[0, 0] = 0.0


def test_ms_ssim_refuses_tiny_images():
    x = np.zeros((100, 100), np.float32)
    assert ssim.ms_ssim(x, x) is None


def test_lab_matches_scikit_image():
    rgb = astronaut().astype(np.float32) / 255.0
    np.testing.assert_allclose(colour.srgb_to_lab(rgb), rgb2lab(rgb.astype(np.float64)), atol=2e-3)


# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Color Res. Appl. 30(1), Table 1:
# all 34 pairs, in order. Pairs 13-15 straddle a hue difference of exactly 180°, where a
# float32 comparison took the other branch (pair 14 gave 4.7461; fixed).
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA, ids=[f"pair{i}" for i in range(1, 35)])
def test_ciede2000_sharma_reference_data(lab1, lab2, expected):
    """Each pair to the table's four decimals (±0.5e-4 rounding, +float32: 1e-4), both orders."""
    got = colour.delta_e2000(np.array(lab1, np.float32), np.array(lab2, np.float32))
    back = colour.delta_e2000(np.array(lab2, np.float32), np.array(lab1, np.float32))
    assert float(got) == pytest.approx(expected, abs=1e-4)
    assert float(back) == pytest.approx(expected, abs=1e-4)


def test_ciede2000_whole_table_as_one_array():
    """The table as one image-like array (how the metric is used), not pair by pair."""
    lab1 = np.array([p[0] for p in SHARMA], np.float32)[None]
    lab2 = np.array([p[1] for p in SHARMA], np.float32)[None]
    expected = np.array([p[2] for p in SHARMA])
    assert len(SHARMA) == 34
    np.testing.assert_allclose(colour.delta_e2000(lab1, lab2)[0], expected, atol=1e-4)


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


@pytest.mark.parametrize(("L", "b", "expected"), [
    (60.0, -10.0, -45.0),  # arctan2 gave 135°
    (40.0, -10.0, 45.0),   # arctan2 gave -135°
    (50.0 + 10 * np.sqrt(3), -10.0, -60.0),
    (60.0, 10.0, 45.0),
    (60.0, 0.0, 90.0),
    (40.0, 0.0, -90.0),
])
def test_ita_follows_the_formula_for_negative_b(L, b, expected):
    """ITA° = atan((L* − 50) / b*) · 180/π (Chardon et al. 1991): within ±90° for any b*."""
    assert colour.ita_degrees(L, b) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("size", "working"), [
    ((3264, 2447), 2048),  # a DSLR frame whose short side rounds (1535.4 -> 1535)
    ((1976, 4608), 2048),  # a phone portrait (878.1 -> 878): SSIM 0.998 before the fix
    ((2049, 1537), 2048),  # one pixel over the working size: reduced by area, never warped
    ((513, 385), 256),     # the same rounding at a small size
    pytest.param((3264, 2447), 0, marks=pytest.mark.slow),  # full resolution (8 MP maps)
], ids=lambda v: "x".join(map(str, v)) if isinstance(v, tuple) else f"work{v}")
def test_an_image_against_itself_is_exact_at_any_size(size, working):
    """A real photograph compared with itself: SSIM exactly 1 and ΔE00 exactly 0 over the whole
    overlap. The working size rounds each side separately; the twin used to be resampled with
    ``factor`` instead of the rounded sides (a 1.00025 stretch: SSIM 0.990 on a phone photo)."""
    import cv2

    from twinproof.core.analysis import align
    from twinproof.core.imageio import LoadedImage

    pixels = cv2.resize(hopper(), size, interpolation=cv2.INTER_CUBIC)
    image = LoadedImage(Path("same.jpg"), pixels, "JPEG", "RGB", 8)
    pair = align(image, image, working)
    value, _map = ssim.ssim(pair.real_work, pair.twin_work, pair.overlap)
    delta_e = colour.delta_e2000_map(pair.real_work, pair.twin_work)[pair.overlap]
    assert pair.overlap.mean() > 0.99
    assert value == 1.0
    assert float(delta_e.max()) == 0.0
