"""One real photograph paired with five twins, in one process: does pair two cost less than one?

    .venv/bin/python benchmarks/bench_read_once.py [--mp 24] [--rounds 3]

The real is benchmarks/_pairs.py's 24 MP portrait; the five twins are made from it as a
generator might deliver them (each rotated, shifted, blurred and colour-shifted differently).
Each round is a fresh process that analyses the five pairs in turn (``analyze_pair``, default
policy), so the first pair pays for the real's reading (decode, landmarks, identity) and the
models' sessions, and pairs two to five find the real's reading in the cache by its file
hash (``core/reading/cache.py``). Prints each pair's seconds, the ratio of pairs 2-5 to pair 1
(medians over the rounds of each round's ratio; target ≤ 0.60 each), the CPU seconds of each pair
(``process_time``, which a shared machine's load inflates far less than the wall time) and the
load average, then a JSON line.
``--against OTHER/desktop`` measures another checkout in alternate rounds (an A/B in one run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from twinproof.core.analysis import analyze_pair
real, twins = sys.argv[1], sys.argv[2:]
times, cpu = [], []
for twin in twins:
    t, c = time.perf_counter(), time.process_time()
    analyze_pair(real, twin)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print("BENCH " + json.dumps({"times": times, "cpu": cpu, "peak_mb": hwm / 1024}))
"""


def make_twins(real: Path, n: int = 5) -> list[Path]:
    out = []
    src = None
    for i in range(n):
        path = real.with_name(f"{real.stem}_twin{i + 1}.jpg")
        out.append(path)
        if path.exists():
            continue
        if src is None:
            src = np.asarray(Image.open(real).convert("RGB"), dtype=np.float32)
        h, w = src.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 0.3 * (i + 1) - 0.8, 1.0 + 0.004 * (i - 2))
        m[:, 2] += (9 * i - 20, 14 - 7 * i)
        twin = cv2.warpAffine(src, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
        twin = cv2.GaussianBlur(twin, (0, 0), 0.6 + 0.2 * i) * np.float32([1 + 0.01 * i, 1.0, 1 - 0.01 * i])
        Image.fromarray(np.clip(twin, 0, 255).astype(np.uint8)).save(path, quality=90)
    return out


def run_round(real: Path, twins: list[Path], tree: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    load = os.getloadavg()[0]
    proc = subprocess.run([sys.executable, "-c", CHILD, str(real), *map(str, twins)], capture_output=True,
                          text=True, env=env, cwd=tempfile.gettempdir(), check=True)
    found = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH "))[6:])
    return found | {"load": load}


def summary(name: str, rounds: list[dict]) -> dict:
    """Per pair position, the median over rounds of the wall seconds, of each round's own ratio to
    its pair 1 (a shared machine's load shifts whole rounds), and of the CPU seconds."""
    n = len(rounds[0]["times"])
    medians = [statistics.median(r["times"][i] for r in rounds) for i in range(n)]
    ratios = [statistics.median(r["times"][i] / r["times"][0] for r in rounds) for i in range(1, n)]
    cpu = [statistics.median(r["cpu"][i] for r in rounds) for i in range(n)]
    cpu_ratios = [c / cpu[0] for c in cpu[1:]]
    met = "met" if max(ratios) <= 0.6 else "not"
    print(f"{name} medians: " + ", ".join(f"{m:.2f}" for m in medians) + " s; ratios (median of each round's) "
          + ", ".join(f"{x:.2f}" for x in ratios) + f" (target <= 0.60 each: {met}); "
          "CPU " + ", ".join(f"{c:.2f}" for c in cpu) + " s, ratios " + ", ".join(f"{x:.2f}" for x in cpu_ratios))
    return {"medians_s": medians, "ratios": ratios, "cpu_s": cpu, "cpu_ratios": cpu_ratios, "rounds": rounds}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mp", type=float, default=24.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout's desktop/ folder, measured alternately (A/B)")
    args = ap.parse_args()
    real, _ = make_pair(args.mp)
    twins = make_twins(real)
    trees = {"this tree": ROOT / "desktop"} | ({"against": args.against} if args.against else {})
    rounds: dict[str, list[dict]] = {name: [] for name in trees}
    for r in range(args.rounds):
        for name in list(trees)[:: 1 if r % 2 == 0 else -1]:
            found = run_round(real, twins, trees[name])
            rounds[name].append(found)
            ratios = [t / found["times"][0] for t in found["times"][1:]]
            print(f"round {r + 1}, {name}: " + ", ".join(f"{t:.2f}" for t in found["times"]) + " s; pairs 2-5 / "
                  "pair 1: " + ", ".join(f"{x:.2f}" for x in ratios)
                  + f" (load {found['load']:.1f}, peak {found['peak_mb']:.0f} MB)", flush=True)
    print(json.dumps({name: summary(name, rs) for name, rs in rounds.items()}))


if __name__ == "__main__":
    main()
