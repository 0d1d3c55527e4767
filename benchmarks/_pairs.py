"""Make a large benchmark pair from a real photograph (upscaled, with grain), cached in /tmp."""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def make_pair(megapixels: float = 24.0, folder: Path | None = None) -> tuple[Path, Path]:
    """A real portrait upscaled to ``megapixels`` (2:3) with film-like grain; the twin is
    rotated 0.5°, shifted, slightly blurred and warmed, as a generator might deliver it."""
    folder = folder or Path(tempfile.gettempdir()) / "twinproof-bench"
    folder.mkdir(parents=True, exist_ok=True)
    real_p = folder / f"real_{megapixels:.0f}mp.jpg"
    twin_p = folder / f"twin_{megapixels:.0f}mp.jpg"
    if real_p.exists() and twin_p.exists():
        return real_p, twin_p
    src = np.asarray(Image.open(ROOT / "tests" / "data" / "grace_hopper.jpg").convert("RGB"))
    w = int((megapixels * 1e6 / 1.5) ** 0.5)
    h = int(w * 1.5)
    big = cv2.resize(src, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    rng = np.random.default_rng(0)
    big += rng.normal(0, 4, big.shape[:2]).astype(np.float32)[..., None]
    real = np.clip(big, 0, 255).astype(np.uint8)
    Image.fromarray(real).save(real_p, quality=92)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 0.5, 1.0)
    m[:, 2] += (25, -18)
    twin = cv2.warpAffine(big, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    twin = cv2.GaussianBlur(twin, (0, 0), 1.0) * np.float32([1.04, 1.0, 0.96])
    Image.fromarray(np.clip(twin, 0, 255).astype(np.uint8)).save(twin_p, quality=90)
    return real_p, twin_p
