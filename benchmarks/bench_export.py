"""Time the export of a 50-pair shoot of 24 MP images; report peak memory and file sizes.

    .venv/bin/python benchmarks/bench_export.py [--pairs 50] [--mp 24] [--maps]

The shoot is one real photograph upscaled to 24 MP with grain and its simulated twin
(``_pairs.make_pair``), hard-linked under 50 names so the PDF embeds 100 distinct image files
as a real shoot would, while the disk holds one pair. Every pair gets the same stored
analysis (computed once), two annotations, a comment and a decision. The export runs in a
fresh subprocess so its peak RSS (VmHWM) is its own. ``--maps`` re-runs the analysis of
every pair for the heat maps (the default sheet); without it, the sheet is written from the
stored record alone (``--no-maps`` in the CLI), which isolates the cost of the PDF itself.
``--image-size PX`` measures the mail-sized sheet; its PDF size is not representative here
(the 50 pairs have identical pixels, and fpdf2 stores identical re-encoded images once).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pairs import make_pair

CHILD = r"""
import json, sys, time
from pathlib import Path

def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

from twinproof import review
from twinproof.export import ExportRequest, SheetOptions, run_export
db, out, maps = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1"
size = int(sys.argv[4]) or None
store = review.open_store(db, reviewer="bench")
t0 = time.perf_counter()
marks = []
res = run_export(store, ExportRequest(pdf=out / "sheet.pdf", csv=out / "pairs.csv",
                                      json=out / "pairs.json", xmp=True,
                                      sheet=SheetOptions(maps=maps, image_long_side=size)),
                 progress=lambda f, m: marks.append((round(time.perf_counter() - t0, 2), m)))
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_mb()),
                  "pages": res.pages, "sidecars": len(res.sidecars),
                  "pdf_mb": round((out / "sheet.pdf").stat().st_size / 1e6, 1),
                  "json_mb": round((out / "pairs.json").stat().st_size / 1e6, 2)}))
"""


def build(folder: Path, n: int, mp: float) -> Path:
    from twinproof import review
    from twinproof.core.analysis import analyze_pair

    real_src, twin_src = make_pair(mp)
    real_dir, twin_dir = folder / "real", folder / "twin"
    real_dir.mkdir(parents=True)
    twin_dir.mkdir(parents=True)
    for i in range(n):
        for src, d in ((real_src, real_dir), (twin_src, twin_dir)):
            try:
                os.link(src, d / f"look{i:03d}.jpg")
            except OSError:  # another file system: copy
                (d / f"look{i:03d}.jpg").write_bytes(src.read_bytes())
    result = analyze_pair(real_src, twin_src).to_dict()
    db = folder / "bench.twinproof"
    store = review.open_store(db, reviewer="bench")
    try:
        pairs = review.import_shoot(store, real_dir, twin_dir, name="bench", campaign="SS27").added
        w, h = result["real"]["width"], result["real"]["height"]
        for k, pair in enumerate(pairs):
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(result))
            review.add_annotation(store, pair.id, "rectangle",
                                  {"x": w * 0.3, "y": h * 0.2, "w": w * 0.2, "h": h * 0.15},
                                  image_size=(w, h), text="check the collar")
            review.add_annotation(store, pair.id, "arrow",
                                  {"x1": w * 0.8, "y1": h * 0.1, "x2": w * 0.6, "y2": h * 0.3},
                                  image_size=(w, h), text="hairline")
            review.add_comment(store, pair.id, f"comment on pair {k}")
            review.decide(store, pair.id, "rejected" if k % 3 == 0 else "changes_requested",
                          reasons=["garment_colour_wrong"])
    finally:
        store.close()
    return db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=50)
    ap.add_argument("--mp", type=float, default=24.0)
    ap.add_argument("--maps", action="store_true", help="re-run each analysis for heat maps")
    ap.add_argument("--keep", type=Path, help="copy the sheet here to look at it")
    ap.add_argument("--image-size", type=int, default=0, help="shrink images (px long side)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="twinproof-bench-export-") as tmp:
        folder = Path(tmp)
        db = build(folder / "shoot", args.pairs, args.mp)
        out = folder / "out"
        out.mkdir()
        proc = subprocess.run([sys.executable, "-c", CHILD, str(db), str(out),
                               "1" if args.maps else "0", str(args.image_size)],
                              capture_output=True, text=True)
        if proc.returncode:
            sys.exit(proc.stderr)
        figures = json.loads(proc.stdout.strip().splitlines()[-1])
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (out / "sheet.pdf").replace(args.keep / "sheet.pdf")
    shown = f"images at {args.image_size} px" if args.image_size else "original images"
    print(f"{args.pairs} pairs of {args.mp:g} MP, {shown}, maps {'re-computed' if args.maps else 'off'}: "
          f"{figures['seconds']} s, peak {figures['peak_mb']} MB, {figures['pages']} pages, "
          f"PDF {figures['pdf_mb']} MB, JSON {figures['json_mb']} MB, "
          f"{figures['sidecars']} sidecars")


if __name__ == "__main__":
    main()
