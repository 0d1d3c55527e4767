"""A season's throughput and the cost of one pair, measured side by side in one run.

    .venv/bin/python benchmarks/bench_batch.py [--pairs 60] [--mp 12] [--runs 3] [--skip-throughput]
        [--against OTHER/desktop]   # figures 2-4 of another checkout in the same rounds (A/B)

1. Throughput: ``twinproof shoot analyze --workers 1`` and ``--workers 2`` (a local Dask
   cluster) on PAIRS pairs of MP megapixels made from the six sample pairs (upscaled with
   film grain, a different grain per copy, so every file is distinct), each on a fresh SQLite
   record: pairs/min over the run (the summary's time: cluster start-up excluded) and the
   speedup of 2 workers over 1.
2. Per-pair warm time at 24 MP: ``analyze_pair`` three times in one process, the last two's median.
3. Cold start: ``twinproof analyze`` on the 512 px sample pair, whole process, against a bare
   ``import numpy, cv2, onnxruntime, PIL.Image``; runs interleaved, medians, the ratio. Both with
   bytecode written (as installed; one untimed run first), the models' checks remembered.
4. 24 MP whole process: ``twinproof analyze`` on benchmarks/_pairs.py's 24 MP pair against the
   scikit-image way of the same working-size measurements (``skimage.io.imread``,
   ``transform.resize`` to long side 2048 with anti-aliasing, ``structural_similarity``
   with the same Gaussian window on BT.601 luma, ``rgb2lab`` + ``deltaE_ciede2000``), each a
   fresh process, interleaved, medians; the ratio and both peak RSS (VmHWM).

Figures 3 and 4 give each side's CPU seconds (user + system, from the children's rusage) beside
the wall time: on a shared machine the load stretches wall time far more than CPU time.
The files are generated in /tmp (not committed). Prints one line per figure, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample"
BENCH = Path(tempfile.gettempdir()) / "twinproof-bench"

RUNNER = r"""
import json, sys, time
t0 = time.perf_counter()
from twinproof.cli import main
code = main(sys.argv[1:])
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print("BENCH " + json.dumps({"exit": code, "seconds": time.perf_counter() - t0, "peak_mb": hwm / 1024}),
      file=sys.stderr)
"""

SKIMAGE_WAY = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from skimage import color, io, metrics, transform
real, twin, long_side = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = io.imread(real), io.imread(twin)
h, w = a.shape[:2]
f = long_side / max(h, w)
size = (round(h * f), round(w * f))
a = transform.resize(a, size, anti_aliasing=True)
b = transform.resize(b, size, anti_aliasing=True)
luma = np.array([0.299, 0.587, 0.114])
score, smap = metrics.structural_similarity(a @ luma, b @ luma, gaussian_weights=True, sigma=1.5,
                                            use_sample_covariance=False, data_range=1.0, full=True)
de = color.deltaE_ciede2000(color.rgb2lab(a), color.rgb2lab(b))
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print("BENCH " + json.dumps({"seconds": time.perf_counter() - t0, "peak_mb": hwm / 1024,
                             "ssim": float(score), "de": float(de.mean())}), file=sys.stderr)
"""

WARM = r"""
import json, sys, time
from twinproof.core.analysis import analyze_pair
times = []
for _ in range(3):
    t = time.perf_counter()
    analyze_pair(sys.argv[1], sys.argv[2])
    times.append(time.perf_counter() - t)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print("BENCH " + json.dumps({"times": times, "peak_mb": hwm / 1024}), file=sys.stderr)
"""


def env(tree: Path | None = None) -> dict[str, str]:
    """The children's environment; ``tree``: the desktop/ folder measured (default this one)."""
    out = dict(os.environ)
    # An installed package has its bytecode compiled (pip does it); a session that forbids
    # writing .pyc files would time compiling ~60 modules at every start instead.
    out.pop("PYTHONDONTWRITEBYTECODE", None)
    out["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree or ROOT / "desktop"), out.get("PYTHONPATH")]))
    out.setdefault("TWINPROOF_REVIEWER", "bench")
    return out


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child so far: a child's own CPU is the
    difference around its run. On a shared machine the load stretches wall time far more."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def child(code: str, *args: str, tree: Path | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; its ``BENCH {...}`` line, plus the wall and CPU time."""
    t, c = time.perf_counter(), children_cpu()
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env(tree),
                          cwd=ROOT)
    wall, cpu = time.perf_counter() - t, children_cpu() - c
    found = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")]
    if proc.returncode not in (0, 1) or not found:
        raise RuntimeError(f"child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(found[-1][6:]) | {"wall": wall, "cpu": cpu, "stderr": proc.stderr}


def timed(argv: list[str], tree: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of ``argv`` (exit 0, or 1: a pair that fails its policy)."""
    t, c = time.perf_counter(), children_cpu()
    proc = subprocess.run(argv, capture_output=True, env=env(tree), cwd=ROOT)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[:4]} failed ({proc.returncode}): {proc.stderr[-2000:]!r}")
    return time.perf_counter() - t, children_cpu() - c


def wall_of(argv: list[str], tree: Path | None = None) -> float:
    """Wall seconds of ``argv`` (exit 0, or 1: a pair that fails its policy)."""
    return timed(argv, tree)[0]


def make_season(pairs: int, megapixels: float) -> Path:
    """``pairs`` pairs (lookNNN_real/_twin.jpg) from the six sample pairs at ``megapixels``."""
    folder = BENCH / f"season_{pairs}x{megapixels:.0f}mp"
    if len(list(folder.glob("*.jpg"))) == 2 * pairs:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    for i in range(pairs):
        src = i % 6 + 1
        for side in ("real", "twin"):
            img = cv2.imread(str(SAMPLE / f"look{src:02d}_{side}.jpg"))
            h, w = img.shape[:2]
            f = (megapixels * 1e6 / (h * w)) ** 0.5
            big = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC)
            grain = rng.normal(0, 3, big.shape[:2]).astype(np.float32)[..., None]
            out = np.clip(big.astype(np.float32) + grain, 0, 255).astype(np.uint8)
            cv2.imwrite(str(folder / f"look{i + 1:03d}_{side}.jpg"), out, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return folder


def chunk_folders(folder: Path, pairs: int, chunks: int) -> list[Path]:
    """The season split into ``chunks`` shoots (hard links, no copies)."""
    out = []
    per = -(-pairs // chunks)
    for c in range(chunks):
        sub = folder.parent / f"{folder.name}_part{c + 1}of{chunks}"
        sub.mkdir(exist_ok=True)
        for i in range(c * per + 1, min(pairs, (c + 1) * per) + 1):
            for side in ("real", "twin"):
                link = sub / f"look{i:03d}_{side}.jpg"
                if not link.exists():
                    os.link(folder / link.name, link)
        out.append(sub)
    return out


def throughput(folder: Path, workers: int) -> dict:
    """One ``shoot analyze --workers N`` on a fresh record of ``folder``'s pairs."""
    pairs = len(list(folder.glob("*_real.jpg")))
    work = Path(tempfile.mkdtemp(prefix=f"bench-batch-{workers}w-"))
    db = work / "season.twinproof"
    subprocess.run([sys.executable, "-m", "twinproof", "shoot", "import", str(folder), "--db", str(db)],
                   check=True, capture_output=True, env=env(), cwd=ROOT)
    out = child(RUNNER, "shoot", "analyze", "--db", str(db), "--workers", str(workers))
    m = re.search(r"analysed (\d+), up to date \d+, failed (\d+).* in ([\d.]+) s", out["stderr"])
    if not m or int(m.group(1)) + int(m.group(2)) != pairs:
        raise RuntimeError(out["stderr"][-2000:])
    peak = re.search(r"worker peak memory (\d+) MB", out["stderr"])
    cpu = re.search(r"CPU median ([\d.]+) s, wall median ([\d.]+) s", out["stderr"])
    maps = sum(p.stat().st_size for p in (work / "season.twinproof.maps").glob("*.npz"))
    return {"workers": workers, "pairs": pairs, "seconds": float(m.group(3)), "wall": out["wall"],
            "failed": int(m.group(2)), "worker_peak_mb": int(peak.group(1)) if peak else None,
            "cpu_per_pair": float(cpu.group(1)) if cpu else None,
            "wall_per_pair": float(cpu.group(2)) if cpu else None,
            "maps_bytes": maps, "client_peak_mb": out["peak_mb"], "load": os.getloadavg()[0]}


def season_throughput(folder: Path, pairs: int, chunks: int) -> dict:
    """1 and 2 workers, alternating chunk by chunk so both see the same background load on a
    shared machine; totals over the whole season for each."""
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for i, sub in enumerate(chunk_folders(folder, pairs, chunks)):
        order = (1, 2) if i % 2 == 0 else (2, 1)
        for n in order:
            r = throughput(sub, n)
            runs[n].append(r)
            print(f"  chunk {i + 1}/{chunks}, {n} worker(s): {r['pairs']} pairs in {r['seconds']:.1f} s "
                  f"(CPU/pair {r['cpu_per_pair']}, load {r['load']:.1f})", flush=True)
    total = {}
    for n, rs in runs.items():
        done = sum(r["pairs"] for r in rs)
        secs = sum(r["seconds"] for r in rs)
        total[n] = {"workers": n, "pairs": done, "seconds": secs, "pairs_per_min": 60 * done / secs,
                    "worker_peak_mb": max(r["worker_peak_mb"] or 0 for r in rs),
                    "cpu_per_pair": statistics.median(r["cpu_per_pair"] for r in rs if r["cpu_per_pair"]),
                    "wall_per_pair": statistics.median(r["wall_per_pair"] for r in rs if r["wall_per_pair"]),
                    "maps_mb_per_pair": sum(r["maps_bytes"] for r in rs) / 1e6 / done,
                    "startup_s": statistics.median(r["wall"] - r["seconds"] for r in rs)}
    return total


def costs(args: argparse.Namespace, report: dict) -> None:
    """Figures 2-4: cold start, 24 MP whole process against scikit-image, warm 24 MP. With
    ``--against``, the other checkout is measured in the same interleaved rounds."""
    trees: dict[str, Path | None] = {"ours": None} | ({"against": args.against} if args.against else {})
    # 3. cold start, interleaved
    real, twin = SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg"
    analyze = [sys.executable, "-m", "twinproof", "analyze", str(real), str(twin)]
    cold: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    bare: list[tuple[float, float]] = []
    for tree in trees.values():
        wall_of(analyze, tree)  # writes bytecode (and the models' optimised copies)
    for i in range(max(5, args.runs)):
        for name in list(trees)[:: 1 if i % 2 == 0 else -1]:
            cold[name].append(timed(analyze, trees[name]))
        bare.append(timed([sys.executable, "-c", "import numpy, cv2, onnxruntime, PIL.Image"]))
    report["bare_import_s"] = statistics.median(w for w, _ in bare)
    report["bare_import_cpu_s"] = statistics.median(c for _, c in bare)
    for name in trees:
        key = "" if name == "ours" else "against_"
        report[f"{key}cold_analyze_s"] = statistics.median(w for w, _ in cold[name])
        report[f"{key}cold_analyze_cpu_s"] = statistics.median(c for _, c in cold[name])
        report[f"{key}cold_ratio"] = report[f"{key}cold_analyze_s"] / report["bare_import_s"]
        report[f"{key}cold_cpu_ratio"] = report[f"{key}cold_analyze_cpu_s"] / report["bare_import_cpu_s"]
        print(f"cold start ({name}): analyze 512 px {report[f'{key}cold_analyze_s']:.2f} s, bare import "
              f"{report['bare_import_s']:.2f} s, ratio {report[f'{key}cold_ratio']:.2f} (target <= 4); CPU "
              f"{report[f'{key}cold_analyze_cpu_s']:.2f} s / {report['bare_import_cpu_s']:.2f} s, ratio "
              f"{report[f'{key}cold_cpu_ratio']:.2f}", flush=True)

    # 4. 24 MP whole process against the scikit-image way, interleaved
    r24, t24 = make_pair(24.0)
    runs: dict[str, list[dict]] = {name: [] for name in [*trees, "skimage"]}
    loads = []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        for name in list(runs)[:: 1 if i % 2 == 0 else -1]:
            if name == "skimage":
                runs[name].append(child(SKIMAGE_WAY, str(r24), str(t24), "2048"))
            else:
                runs[name].append(child(RUNNER, "analyze", str(r24), str(t24), tree=trees[name]))
    report["24mp_load"] = [min(loads), max(loads)]
    for name, found in runs.items():
        report[f"24mp_{name}_s"] = statistics.median(r["seconds"] for r in found)
        report[f"24mp_{name}_cpu_s"] = statistics.median(r["cpu"] for r in found)
        report[f"24mp_{name}_peak_mb"] = statistics.median(r["peak_mb"] for r in found)
    for name in trees:
        report[f"24mp_{name}_ratio"] = report[f"24mp_{name}_s"] / report["24mp_skimage_s"]
        report[f"24mp_{name}_cpu_ratio"] = report[f"24mp_{name}_cpu_s"] / report["24mp_skimage_cpu_s"]
        print(f"24 MP whole process ({name}): twinproof analyze {report[f'24mp_{name}_s']:.2f} s / "
              f"{report[f'24mp_{name}_peak_mb']:.0f} MB; scikit-image way {report['24mp_skimage_s']:.2f} s / "
              f"{report['24mp_skimage_peak_mb']:.0f} MB; ratio {report[f'24mp_{name}_ratio']:.2f} (target <= 0.25, "
              f"peak <= 800 MB; load {min(loads):.1f}-{max(loads):.1f}); CPU {report[f'24mp_{name}_cpu_s']:.2f} s / "
              f"{report['24mp_skimage_cpu_s']:.2f} s, ratio {report[f'24mp_{name}_cpu_ratio']:.2f}", flush=True)
    report["24mp_ratio"] = report["24mp_ours_ratio"]

    # 2. warm per-pair time at 24 MP
    warm = child(WARM, str(r24), str(t24))
    report["24mp_warm_s"] = statistics.median(warm["times"][1:])
    report["24mp_first_s"] = warm["times"][0]
    print(f"24 MP per pair, warm (in-process, default threads): {report['24mp_warm_s']:.2f} s "
          f"(first {report['24mp_first_s']:.2f} s), peak {warm['peak_mb']:.0f} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=60)
    ap.add_argument("--mp", type=float, default=12.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--chunks", type=int, default=5, help="alternate 1 and 2 workers over this many parts")
    ap.add_argument("--skip-throughput", action="store_true")
    ap.add_argument("--only-throughput", action="store_true")
    ap.add_argument("--against", type=Path,
                    help="another checkout's desktop/ folder: cold start and 24 MP measured in the same rounds (A/B)")
    args = ap.parse_args()
    report: dict = {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}

    if not args.only_throughput:
        costs(args, report)

    # 1. throughput
    if not args.skip_throughput:
        folder = make_season(args.pairs, args.mp)
        runs = season_throughput(folder, args.pairs, args.chunks)
        report["throughput"] = list(runs.values())
        for r in runs.values():
            print(f"throughput {r['workers']} worker(s): {r['pairs_per_min']:.1f} pairs/min "
                  f"({r['pairs']} pairs of {args.mp:.0f} MP in {r['seconds']:.1f} s; cluster start-up "
                  f"{r['startup_s']:.1f} s per run), per pair CPU {r['cpu_per_pair']:.2f} s / wall "
                  f"{r['wall_per_pair']:.2f} s, worker peak {r['worker_peak_mb']} MB, maps "
                  f"{r['maps_mb_per_pair']:.2f} MB/pair", flush=True)
        report["speedup_2_workers"] = runs[2]["pairs_per_min"] / runs[1]["pairs_per_min"]
        print(f"speedup 2 workers / 1: {report['speedup_2_workers']:.2f} (target >= 1.7)")
    report["load_after"] = os.getloadavg()[0]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
