"""Real public-domain photographs and controlled manipulations of them, with known answers."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from skimage import data

DATA = Path(__file__).resolve().parent.parent / "data"


def astronaut() -> np.ndarray:
    """NASA portrait of Eileen Collins, 512x512 RGB (public domain, via scikit-image)."""
    return data.astronaut()


def hopper() -> np.ndarray:
    """U.S. Navy portrait of Grace Hopper, 512x600 RGB (public domain, via Matplotlib)."""
    return np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB"))


def coffee() -> np.ndarray:
    """A cup of coffee, 600x400 RGB (Rachel Michetti, CC0, via scikit-image)."""
    return data.coffee()


PHOTOS = {"astronaut": astronaut, "hopper": hopper, "coffee": coffee}


def save(arr: np.ndarray, path: Path, **params: object) -> Path:
    Image.fromarray(arr).save(path, **params)
    return path


def jpeg_roundtrip(arr: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="JPEG", quality=quality)
    return np.asarray(Image.open(buf).convert("RGB"))


def similarity(scale: float, rotation_deg: float, shift: tuple[float, float],
               centre: tuple[float, float]) -> np.ndarray:
    """2x3 matrix: rotate by ``rotation_deg`` (clockwise on screen) and scale about ``centre``,
    then shift."""
    m = cv2.getRotationMatrix2D(centre, -rotation_deg, scale)
    m[:, 2] += shift
    return m


def warp(arr: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Apply ``m`` (source→output pixel coordinates), output ``size`` = (w, h)."""
    return cv2.warpAffine(arr, m, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)


def linear_gains(arr: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    """A white-balance change: per-channel gains applied in linear light."""
    a = arr.astype(np.float32) / 255.0
    lin = np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)
    lin = np.clip(lin * np.asarray(gains, dtype=np.float32), 0, 1)
    enc = np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)
    return (enc * 255 + 0.5).astype(np.uint8)
