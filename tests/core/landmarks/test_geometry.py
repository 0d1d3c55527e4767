"""Crops and coordinate mapping: a point goes into a crop and comes back where it was."""

from __future__ import annotations

import math

import numpy as np
import pytest

from twinproof.core.landmarks.geometry import Crop, Pyramid, angle_of, as_rgb


def _dot_image(w: int, h: int, x: int, y: int, dtype: type = np.uint8) -> np.ndarray:
    img = np.zeros((h, w, 3), dtype)
    img[y - 2:y + 3, x - 2:x + 3] = 255 if dtype == np.uint8 else 1.0
    return img


def _peak(crop: np.ndarray) -> tuple[float, float]:
    g = crop[:, :, 0].astype(np.float64)
    ys, xs = np.mgrid[: g.shape[0], : g.shape[1]]
    return float((xs * g).sum() / g.sum()), float((ys * g).sum() / g.sum())


@pytest.mark.parametrize("rotation", [0.0, 0.4, -1.2, math.pi])
@pytest.mark.parametrize("full", [False, True])
def test_point_round_trip(rotation: float, full: bool) -> None:
    img = _dot_image(3000, 2000, 1700, 900)
    pyr = Pyramid(img)
    crop = Crop((1650.0, 950.0), 400.0, rotation)
    out = pyr.extract(crop, 128, full=full)
    px, py = _peak(out)
    # model outputs are continuous coordinates: pixel index + 0.5
    back = crop.to_image(np.array([[px + 0.5, py + 0.5]]), 128)[0]
    assert np.hypot(back[0] - 1700, back[1] - 900) < 1.5


def test_flip_round_trip() -> None:
    pyr = Pyramid(_dot_image(400, 300, 150, 120))
    crop = Crop((160.0, 130.0), 64.0, 0.3)
    px, py = _peak(pyr.extract(crop, 64, flip=True))
    back = crop.to_image(np.array([[px + 0.5, py + 0.5]]), 64, flipped=True)[0]
    assert np.hypot(back[0] - 150, back[1] - 120) < 0.6


def test_z_scales_with_the_crop() -> None:
    crop = Crop((10.0, 10.0), 384.0)
    assert crop.to_image(np.array([[96.0, 96.0, 2.0]]), 192)[0, 2] == pytest.approx(4.0)


def test_angle_of_follows_mediapipe() -> None:
    assert angle_of(np.array([0, 0]), np.array([10, 0])) == pytest.approx(0.0)
    # a head tilted clockwise on screen: eye line descending to the right
    assert angle_of(np.array([0, 0]), np.array([10, 10])) == pytest.approx(math.pi / 4)
    # hips -> head pointing straight up needs no rotation for target "up"
    assert angle_of(np.array([0, 10]), np.array([0, 0]), math.pi / 2) == pytest.approx(0.0)


def test_working_copy_and_full_resolution_agree() -> None:
    rng = np.random.default_rng(0)
    small = rng.random((60, 80, 3)).astype(np.float32)
    import cv2

    img = cv2.resize(small, (4000, 3000), interpolation=cv2.INTER_CUBIC).clip(0, 1)
    pyr = Pyramid(img)
    assert 512 < max(pyr.work.shape[:2]) <= 1024
    crop = Crop((2000.0, 1500.0), 2400.0, 0.2)
    a, b = pyr.extract(crop, 192), pyr.extract(crop, 192, full=True)
    assert np.abs(a - b).mean() < 0.01


@pytest.mark.parametrize(
    ("shape", "dtype"),
    [((20, 30), np.uint8), ((20, 30, 1), np.uint8), ((20, 30, 4), np.uint8),
     ((20, 30, 3), np.uint16), ((20, 30, 3), np.float64)],
)
def test_as_rgb_accepts_common_arrays(shape: tuple[int, ...], dtype: type) -> None:
    out = as_rgb(np.zeros(shape, dtype))
    assert out.shape == (20, 30, 3) and out.dtype in (np.uint8, np.float32)


@pytest.mark.parametrize("bad", [np.zeros((4,)), np.zeros((5, 5, 2)), np.zeros((5, 5, 3), np.int64)])
def test_as_rgb_rejects_nonsense(bad: np.ndarray) -> None:
    with pytest.raises(ValueError):
        as_rgb(bad)
