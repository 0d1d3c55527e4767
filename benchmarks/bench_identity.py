"""Face identity per image: chip + descriptor, warm, medians (the landmarks are already found).

    PYTHONPATH=desktop .venv/bin/python benchmarks/bench_identity.py [--runs 15] [--threads 2]

What identity adds to an analysis: the mesh is there already (``detect_landmarks``), so the cost
is cutting the 150x150 chip (five points, the similarity fit, INTER_AREA pyramid of the face
region, bilinear warp) and one run of the ResNet descriptor. Timed on the astronaut (512x512,
face box 78 px), Grace Hopper (512x600, 157 px) and Hopper upscaled to 24 MP (4528x5306, face
box ~1400 px, the pyramid path). The first call (model check + session) is reported apart.
Baseline in the same process: ``detect_landmarks`` on the same image. Target: <= 60 ms.
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

from twinproof.core.identity import face_chip, read_identity
from twinproof.core.identity.descriptor import describe
from twinproof.core.landmarks import ModelRegistry, detect_landmarks

HOPPER = Path(__file__).resolve().parent.parent / "tests" / "data" / "grace_hopper.jpg"


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    hopper = np.asarray(Image.open(HOPPER).convert("RGB"))
    images = {
        "astronaut 512x512": data.astronaut(),
        "Hopper 512x600": hopper,
        "Hopper 24 MP": cv2.resize(hopper, (4528, 5306), interpolation=cv2.INTER_CUBIC),
    }
    registry = ModelRegistry(threads=args.threads)
    print(f"ONNX Runtime threads: {registry.threads}; medians of {args.runs} warm runs; the machine's "
          "2 cores are shared with other work, so figures vary by ~20 %")
    first = True
    for name, img in images.items():
        face = detect_landmarks(img, registry=registry).face
        assert face is not None, name
        if first:
            t = time.perf_counter()
            read_identity(img, face, registry=registry)
            print(f"first call (model sha256 check + session): {(time.perf_counter() - t) * 1000:.0f} ms")
            first = False
        chip = face_chip(img, face)
        chip_ms = _median_ms(lambda img=img, face=face: face_chip(img, face), args.runs)
        net_ms = _median_ms(lambda chip=chip: describe(chip.image, registry), args.runs)
        total_ms = _median_ms(lambda img=img, face=face: read_identity(img, face, registry=registry), args.runs)
        base_ms = _median_ms(lambda img=img: detect_landmarks(img, registry=registry), max(3, args.runs // 3))
        print(f"{name:18s} face box {chip.face_size_px:6.0f} px: chip {chip_ms:5.1f} ms + descriptor "
              f"{net_ms:5.1f} ms = identity {total_ms:5.1f} ms  (detect_landmarks {base_ms:6.1f} ms, "
              f"identity adds {total_ms / base_ms:.0%})")


if __name__ == "__main__":
    main()
