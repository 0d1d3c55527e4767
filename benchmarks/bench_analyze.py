"""Time ``analyze`` on a 24 MP pair and report peak memory.

    .venv/bin/python benchmarks/bench_analyze.py [--mp 24] [--runs 3] [--working-size 2048]

Each run is a fresh subprocess so its peak RSS is its own. The baseline, run the same way in
the same session, is decoding the two JPEGs alone (the floor of any pair analysis).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()

def peak_mb():
    # VmHWM is this process's own high-water mark (ru_maxrss would include the parent's
    # peak, inherited across fork+exec).
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

from twinproof.core.imageio import load_image
from twinproof.core.analysis import analyze_pair
from twinproof.core.policy import load_policy
import dataclasses
imported = time.perf_counter()
mode, real, twin, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t1 = time.perf_counter()
if mode == "decode":
    load_image(real); load_image(twin); steps = {}
else:
    pol = load_policy()
    sections = {k: dict(v) for k, v in pol.sections.items()}
    sections["analysis"]["working_long_side"] = size
    pol = dataclasses.replace(pol, sections=sections)
    marks = []
    r = analyze_pair(real, twin, pol, progress=lambda f, m: marks.append((m, time.perf_counter())))
    steps = {a[0]: round(b[1] - a[1], 3) for a, b in zip(marks, marks[1:])}
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t1, "import": imported - t0, "steps": steps,
                  "peak_mb": peak_mb()}))
"""


def run(mode: str, real: Path, twin: Path, size: int) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(real), str(twin), str(size)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mp", type=float, default=24.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--working-size", type=int, default=2048)
    args = ap.parse_args()
    real, twin = make_pair(args.mp)
    print(f"pair: {real.name} + {twin.name}; working size {args.working_size or 'full'}; "
          f"{args.runs} runs each, medians")
    for mode in ("decode", "analyze"):
        runs = [run(mode, real, twin, args.working_size) for _ in range(args.runs)]
        secs = statistics.median(r["seconds"] for r in runs)
        peak = statistics.median(r["peak_mb"] for r in runs)
        print(f"{mode:<8} {secs:6.2f} s   peak RSS {peak:6.0f} MB   (import {runs[0]['import']:.2f} s)")
        if mode == "decode":
            base = secs
        else:
            print(f"         ratio to decode-only baseline: {secs / base:.2f}x")
            print("         steps (last run):", runs[-1]["steps"])


if __name__ == "__main__":
    main()
