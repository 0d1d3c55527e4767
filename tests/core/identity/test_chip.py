"""The chip alignment repeats dlib's: known transforms recovered, known warps undone."""

from __future__ import annotations

import math

import cv2
import numpy as np

from tests.core.photos import astronaut
from twinproof.core.identity.chip import (
    CHIP_SIZE,
    chip_to_image,
    cut_chip,
    face_size,
    similarity,
    template_points,
)


def _similarity_matrix(scale: float, degrees: float, shift: tuple[float, float]) -> np.ndarray:
    a = math.radians(degrees)
    return np.array([[scale * math.cos(a), -scale * math.sin(a), shift[0]],
                     [scale * math.sin(a), scale * math.cos(a), shift[1]]])


def _apply(m: np.ndarray, pts: np.ndarray) -> np.ndarray:
    return pts @ m[:, :2].T + m[:, 2]


def test_similarity_recovers_a_known_transform_exactly() -> None:
    src = template_points()
    m = _similarity_matrix(2.7, -23.0, (310.5, 95.25))
    np.testing.assert_allclose(similarity(src, _apply(m, src)), m, atol=1e-9)


def test_template_is_dlibs_padded_mean_shape() -> None:
    # dlib: (padding + p) / (2 padding + 1) * size; the left eye's outer corner x = 0.8595674595992
    assert math.isclose(template_points()[0, 0], (0.25 + 0.8595674595992) / 1.5 * 150, rel_tol=1e-12)


def test_chip_geometry_follows_dlibs_rectangle() -> None:
    """Points exactly on the template give dlib's chip: scale 1, shifted half a pixel (dlib's
    centered_drect puts the rectangle's left edge at centre - (width - 1) / 2)."""
    m = chip_to_image(template_points())
    np.testing.assert_allclose(m, [[1, 0, 0.5], [0, 1, 0.5]], atol=1e-9)
    assert math.isclose(face_size(m), 149 / 1.5)


def test_chip_maps_template_onto_the_face_points_when_they_fit_exactly() -> None:
    t = _similarity_matrix(4.0, 17.0, (900.0, 700.0))
    pts = _apply(t, template_points())
    m = chip_to_image(pts)
    # the fitted scale is 4; dlib's chip uses (150 * 4 - 1) / 149 image px per chip px
    assert math.isclose(np.hypot(*m[:, 0]), (CHIP_SIZE * 4 - 1) / (CHIP_SIZE - 1), rel_tol=1e-9)
    # the chip's middle (between pixels 74 and 75) is the fitted transform's image of (75, 75)
    np.testing.assert_allclose(_apply(m, np.array([[74.5, 74.5]])), _apply(t, np.array([[75.0, 75.0]])))
    assert math.isclose(math.degrees(math.atan2(m[1, 0], m[0, 0])), 17.0)


def test_a_large_rotated_copy_gives_the_same_chip() -> None:
    """The astronaut enlarged 3.2x and turned 25°: the chip cut through the pyramid path must
    match the chip cut from the original (same face points carried by the same warp)."""
    img = astronaut()
    pts = template_points() * 0.55 + np.array([215.0, 95.0])  # the astronaut's face, roughly
    big_m = _similarity_matrix(3.2, 25.0, (700.0, 150.0))
    big = cv2.warpAffine(img, big_m, (2100, 2100), flags=cv2.INTER_CUBIC)
    small_chip = cut_chip(img, chip_to_image(pts)).astype(float)
    big_chip = cut_chip(big, chip_to_image(_apply(big_m, pts))).astype(float)
    assert np.abs(small_chip - big_chip).mean() < 3.0  # levels of 255; texture, not misplacement
    assert np.abs(small_chip - np.roll(big_chip, 2, axis=1)).mean() > 6.0  # a 2-px shift shows


def test_outside_the_image_is_black() -> None:
    img = astronaut()
    chip = cut_chip(img, chip_to_image(template_points() + np.array([-70.0, 0.0])))
    assert chip[:, :69].max() == 0 and chip[:, 71:].min(axis=2).mean() > 50
