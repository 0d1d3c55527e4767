"""A shoot of many small pairs imported and analysed headlessly: time and peak memory.

    .venv/bin/python benchmarks/bench_load.py [PAIRS] [--steps image|all]

Generates PAIRS pairs of 64x64 images (a real and a shifted, warmer twin of it), then runs
``twinproof shoot import REAL TWIN --db shoot.twinproof --analyze`` in a fresh process and
reports wall time, seconds per pair and the process's peak RSS (VmHWM) - which must not grow
with the number of pairs (nothing is kept per pair in memory but the record). Prints one JSON
line. ``tests/reliability/test_load.py`` runs the same with 200 pairs in CI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

RUNNER = """
import json, sys, time
from twinproof.cli import main
t0 = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - t0
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("LOAD-RESULT " + json.dumps({"exit": code, "seconds": seconds, "vmhwm_kb": hwm}), file=sys.stderr)
"""


def make_pairs(folder: Path, n: int, size: int = 64) -> tuple[Path, Path]:
    real, twin = folder / "real", folder / "twin"
    real.mkdir(parents=True, exist_ok=True)
    twin.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1000)
    yy, xx = np.mgrid[0:size, 0:size]
    for i in range(n):
        a, b = rng.uniform(0.5, 3.0, 2)
        base = np.stack([np.sin(xx / (4 * a) + i) * 100 + 128, np.cos(yy / (4 * b)) * 100 + 128,
                         rng.integers(0, 256, (size, size))], axis=2).astype(np.uint8)
        Image.fromarray(base).save(real / f"look{i:04d}.png")
        shifted = np.roll(base, (1, 2), axis=(0, 1)).astype(np.int16)
        shifted[..., 0] += 6
        Image.fromarray(np.clip(shifted, 0, 255).astype(np.uint8)).save(twin / f"look{i:04d}.png")
    return real, twin


def run_import(real: Path, twin: Path, db: Path, timeout: float = 1800) -> dict:
    """Import and analyse in a fresh process; returns exit, seconds, vmhwm_kb, stdout."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", RUNNER, "shoot", "import", str(real), str(twin),
                           "--db", str(db), "--name", "load", "--analyze"],
                          capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t0
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("LOAD-RESULT ")), None)
    if line is None:
        raise RuntimeError(f"the import did not finish: {proc.stderr[-2000:]}")
    result = json.loads(line.removeprefix("LOAD-RESULT "))
    result.update(wall=wall, stdout=proc.stdout,
                  problems=[ln for ln in proc.stderr.splitlines() if not ln.startswith("LOAD-RESULT ")])
    return result


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="twinproof-load-") as tmp:
        t0 = time.perf_counter()
        real, twin = make_pairs(Path(tmp), n)
        made = time.perf_counter() - t0
        r = run_import(real, twin, Path(tmp) / "shoot.twinproof")
        print(json.dumps({"pairs": n, "generate_s": round(made, 1), "import_analyse_s": round(r["seconds"], 1),
                          "process_wall_s": round(r["wall"], 1),
                          "per_pair_ms": round(1000 * r["seconds"] / n, 1),
                          "peak_rss_mb": round(r["vmhwm_kb"] / 1024, 1), "exit": r["exit"],
                          "problems": len(r["problems"]), "summary": r["stdout"].strip().splitlines()[:1]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
