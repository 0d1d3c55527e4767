"""Landmarks on 24 MP frames: cold (model check + session creation) and warm, medians.

    .venv/bin/python benchmarks/bench_landmarks.py [--runs 7] [--threads 2]

Two real photographs made 24 MP: Grace Hopper's portrait upscaled to 4528x5306 (a head-and-
shoulders frame, face ~1900 px) and the astronaut upscaled 3x onto a 6000x4000 plain canvas (a
small figure: face ~270 px). Cubic upscaling plus mild noise, so INTER_AREA has real texture to
average. "Cold" uses a fresh ModelRegistry each time: sha256 of every model file, five ONNX
Runtime sessions, then the landmarks. The target is < 150 ms warm.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from skimage import data

from twinproof.core.landmarks import LandmarkResult, ModelRegistry, detect_landmarks

HOPPER = Path(__file__).resolve().parent.parent / "tests" / "data" / "grace_hopper.jpg"


def _textured(img: np.ndarray, size: tuple[int, int], seed: int) -> np.ndarray:
    big = cv2.resize(img, size, interpolation=cv2.INTER_CUBIC).astype(np.int16)
    noise = np.random.default_rng(seed).integers(-6, 7, big.shape, dtype=np.int16)
    return np.clip(big + noise, 0, 255).astype(np.uint8)


def frames() -> dict[str, np.ndarray]:
    portrait = _textured(np.asarray(Image.open(HOPPER).convert("RGB")), (4528, 5306), 1)
    canvas = np.full((4000, 6000, 3), 228, np.uint8)
    astro = _textured(data.astronaut(), (1536, 1536), 2)
    canvas[2300:3836, 2200:3736] = astro
    return {"portrait 4528x5306": portrait, "small figure 6000x4000": canvas}


def _ms(fn: Callable[[], LandmarkResult], runs: int) -> tuple[float, LandmarkResult]:
    """Median wall time over ``runs`` calls, and the last result."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    for name, img in frames().items():
        mp = img.shape[0] * img.shape[1] / 1e6
        cold, _ = _ms(
            lambda img=img: detect_landmarks(img, registry=ModelRegistry(threads=args.threads)), 3
        )
        warm_reg = ModelRegistry(threads=args.threads)
        detect_landmarks(img, registry=warm_reg)
        warm, result = _ms(lambda img=img, reg=warm_reg: detect_landmarks(img, registry=reg), args.runs)
        as_float = img.astype(np.float32) / 255
        warm_f, _ = _ms(lambda f=as_float, reg=warm_reg: detect_landmarks(f, registry=reg), args.runs)
        stages = ", ".join(f"{k} {v:.0f}" for k, v in result.timings_ms.items())
        face = "face" if result.face is not None else f"no face ({result.face_reason})"
        body = "body" if result.body is not None else f"no body ({result.body_reason})"
        print(f"{name} ({mp:.1f} MP, uint8), threads {warm_reg.threads}: {face}, {body}")
        print(f"  cold (check + sessions + landmarks) median {cold:7.1f} ms")
        print(f"  warm median                          {warm:7.1f} ms   [{stages}]")
        print(f"  warm, float32 [0, 1] input           {warm_f:7.1f} ms")


if __name__ == "__main__":
    main()
