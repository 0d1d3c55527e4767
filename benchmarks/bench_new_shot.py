"""A new shot costs no more than a same-frame pair of the same size.

    .venv/bin/python benchmarks/bench_new_shot.py [--mp 12] [--runs 5]

The same real photograph (``_pairs.make_pair``: Grace Hopper upscaled with grain) against two
twins of the same size: the benchmark's usual retouched copy (rotated, shifted, blurred,
warmed: one frame), and the real mirrored and warmed the same way (no registration exists: a
new shot). Warm, in one process, alternating, the reading cache cleared before every run so
neither mode reuses the other's landmarks; medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

from twinproof.core.analysis import analyze_pair
from twinproof.core.reading import cache


def mirrored(real: Path) -> Path:
    out = real.with_name(real.stem + "_mirrored_twin.jpg")
    if not out.exists():
        arr = np.asarray(Image.open(real).convert("RGB"), dtype=np.float32)[:, ::-1]
        arr = cv2.GaussianBlur(arr, (0, 0), 1.0) * np.float32([1.04, 1.0, 0.96])
        Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(out, quality=90)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mp", type=float, default=12.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    real, same = make_pair(args.mp)
    shot = mirrored(real)
    analyze_pair(real, same)  # warm: models loaded, sessions made
    times: dict[str, list[float]] = {"same_frame": [], "new_shot": []}
    for _ in range(args.runs):
        for label, twin in (("same_frame", same), ("new_shot", shot)):
            cache.clear()
            t0 = time.perf_counter()
            mode = analyze_pair(real, twin).result.mode
            times[label].append(time.perf_counter() - t0)
            assert str(mode) == label, (label, mode)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{args.mp:g} MP pair, {args.runs} warm runs each, alternating, medians:")
    for k, v in med.items():
        print(f"  {k:<10} {v:6.2f} s   (runs: {', '.join(f'{t:.2f}' for t in times[k])})")
    print(f"  new shot / same frame: {med['new_shot'] / med['same_frame']:.2f}")


if __name__ == "__main__":
    main()
