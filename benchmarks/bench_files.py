"""Time and memory for files as people have them: phone HEIC, a camera's 10-bit HEIF, a 16-bit
LZW studio master - loaded, and analysed against a JPEG twin.

    .venv/bin/python benchmarks/bench_files.py [--runs 3]

Each measurement is a fresh subprocess (its own peak RSS, VmHWM). The baseline, in the same
session, is the same picture as a quality-95 JPEG (what the file would cost in the format
TwinProof always read). The master is made by ``scripts/corpus_mutants.py: studio_master``
from the Sony file's real 10-bit pixels; the files are in ``tests/data/phone``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHONE = ROOT / "tests" / "data" / "phone"

CHILD = r"""
import json, sys, time
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
from twinproof.core.imageio import load_image
from twinproof.core.analysis import analyze_pair
mode, path, twin = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
if mode == "load":
    img = load_image(path)
    extra = {"size": [img.width, img.height], "bits": img.bit_depth, "handling": img.handling}
else:
    result = analyze_pair(path, twin).to_dict()
    extra = {"ssim": result["metrics"]["ssim"].get("value"), "verdict": result["verdict"]}
print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb(), **extra}))
"""


def _mutants_script():
    """``scripts/corpus_mutants.py``, loaded as the reliability tests load it."""
    sys.path.insert(0, str(ROOT))
    from tests.reliability.conftest import load_mutants_module

    return load_mutants_module()


def run(mode: str, path: Path, twin: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path), str(twin)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _as_jpeg(path: Path, out: Path) -> Path:
    """The same picture (after TwinProof's colour handling) as an 8-bit sRGB JPEG, q95."""
    import numpy as np
    from PIL import Image

    from twinproof.core.imageio import load_image

    pixels = load_image(path).pixels
    if pixels.dtype == np.uint16:
        pixels = (pixels >> 8).astype(np.uint8)
    Image.fromarray(pixels).save(out, quality=95)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="twinproof-bench-files-"))
    master = work / "studio_master_lzw16.tif"
    _mutants_script().studio_master(master)
    files = [PHONE / "iphone13pro_pug.heic", PHONE / "xiaomi_m2012k11ag.heic",
             PHONE / "sony_ilce7sm3_10bit.hif", master]
    print(f"{args.runs} fresh processes each, medians; baseline: the same picture as a q95 JPEG")
    for path in files:
        jpeg = _as_jpeg(path, work / f"{path.stem}.jpg")
        twin = work / f"{path.stem}_twin.jpg"
        _as_jpeg(path, twin)
        rows = {}
        for label, mode, source in (("load", "load", path), ("load JPEG", "load", jpeg),
                                    ("analyze vs JPEG twin", "analyze", path)):
            runs = [run(mode, source, twin) for _ in range(args.runs)]
            rows[label] = (statistics.median(r["seconds"] for r in runs),
                           statistics.median(r["peak_mb"] for r in runs), runs[-1])
        info = rows["load"][2]
        print(f"\n{path.name}: {info['size'][0]}x{info['size'][1]}, {info['bits']} bits kept, "
              f"{path.stat().st_size / 1e6:.1f} MB; {'; '.join(info['handling'])}")
        for label, (secs, peak, last) in rows.items():
            tail = f"  SSIM {last['ssim']}, verdict {last['verdict']}" if "verdict" in last else ""
            print(f"  {label:<22} {secs:6.2f} s  peak RSS {peak:6.0f} MB{tail}")
        print(f"  load ratio to the JPEG baseline: {rows['load'][0] / rows['load JPEG'][0]:.2f}x time, "
              f"{rows['load'][1] / rows['load JPEG'][1]:.2f}x memory")


if __name__ == "__main__":
    main()
