"""The colour step's fast paths give the very numbers of the formulas they replace."""

from __future__ import annotations

import numpy as np

from tests.core.photos import astronaut, hopper
from twinproof.core import colour


def _iec_linear(v: np.ndarray) -> np.ndarray:
    """IEC 61966-2-1 in float64, written out independently."""
    v = v.astype(np.float64)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def test_8bit_lookup_equals_the_formula_bit_for_bit():
    for photo in (astronaut(), hopper()):
        rgb = photo.astype(np.float32) / np.float32(255)
        fast = colour.srgb_to_linear(rgb)
        assert np.array_equal(fast, colour._srgb_to_linear_formula(rgb))
        assert np.abs(fast - _iec_linear(rgb)).max() < 1e-6


def test_values_off_the_8bit_levels_take_the_formula():
    rgb = hopper().astype(np.float32) / np.float32(255) * np.float32(0.93)  # not k/255
    assert np.abs(colour.srgb_to_linear(rgb) - _iec_linear(rgb)).max() < 1e-6


def test_cube_root_toe_is_patched_exactly():
    t = np.linspace(0, 0.05, 10_001, dtype=np.float32)
    expected = np.where(t > 0.008856, np.cbrt(t.astype(np.float64)), 7.787 * t.astype(np.float64) + 16 / 116)
    assert np.abs(colour._f(t) - expected).max() < 1e-6


def test_thread_count_does_not_change_the_maps(monkeypatch):
    a = astronaut().astype(np.float32) / np.float32(255)
    b = np.roll(a, 3, axis=1)
    two = colour.lab_and_delta_e(a, b, workers=2)
    monkeypatch.setenv("TWINPROOF_THREADS", "1")
    assert colour.default_workers() == 1
    one = colour.lab_and_delta_e(a, b)
    assert all(np.array_equal(x, y) for x, y in zip(one, two, strict=True))


def test_masked_mean_is_the_mean_of_the_pixels_the_mask_keeps():
    """The colour cast's masked means (OpenCV, no gather) against the float64 mean written out,
    on the real photographs' CIELAB with a mask of their neutral pixels."""
    for photo in (astronaut(), hopper()):
        lab = colour.srgb_to_lab(photo.astype(np.float32) / np.float32(255))
        neutral = colour.neutral_pixels(lab)
        assert 0 < neutral.sum() < neutral.size
        for mask in (neutral, neutral.astype(np.uint8) * 7):
            kept = lab.reshape(-1, 3)[mask.reshape(-1) != 0].astype(np.float64)
            expected = kept.sum(axis=0) / len(kept)
            np.testing.assert_allclose(colour.masked_mean(lab, mask), expected, rtol=1e-9, atol=1e-9)
    many = np.random.default_rng(0).random((40, 30, 6)).astype(np.float32)  # more channels than OpenCV's 4
    keep = np.random.default_rng(1).random((40, 30)) > 0.5
    np.testing.assert_allclose(colour.masked_mean(many, keep), many[keep].astype(np.float64).mean(axis=0), rtol=1e-12)
