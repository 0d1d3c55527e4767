"""Calibrate the new-shot uncertainty on real photographs of the same people, leaving one person out.

    .venv/bin/python benchmarks/calibrate_new_shot.py [--write] [--edits] [--analyze ...]

Every photograph of ../shared/faces and ../shared/faces-more (19 people; 17 with two or more
photographs) is read once (``newshot_corpus.py``, cached on disk), every same-person pair (184) is
measured as the product measures it, and the uncertainty model (``core/compare/uncertainty.py``)
is fitted leaving one person out: each person's pairs are judged by the product's own findings
(``core/compare/shot_findings.py``) with the model fitted on everyone else. Prints per person the
pairs that fail before (the same readings judged by the limits alone) and after, what cannot be
judged and why, and the spread. ``--write`` saves the model fitted on everyone as
``resources/calibration/new_shot_uncertainty.json``. ``--edits``: on 12 same-person pairs (one
per person, the twin's person left out of the fit) the twin is edited — eyes +16 %, jaw −10 %,
skin ΔL* +10 — and it is counted how many are caught, with the unedited twin as the control.
``--analyze``: the older end-to-end run of shared/faces' 38 pairs through ``analyze_pair``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "desktop"))

from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, save  # noqa: E402

from twinproof.core.analysis import analyze_pair  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402

MEASURES = ("face.proportions.eye_width.percent", "face.proportions.irises.percent",
            "face.proportions.nose_width.percent", "face.proportions.jaw_width.percent",
            "face.proportions.face_width.percent", "skin.ita_change", "skin.delta_e00", "texture.ratio",
            "garment.delta_e00_median_colour", "garment.hue_shift_deg", "identity.distance")
MANIPULATIONS = {
    "eyes enlarged 16%": (lambda name, arr: cases.eyes(name, arr, 16), ("face.proportions.eye_width.percent",)),
    "jaw slimmed 10%": (lambda name, arr: cases.jaw(name, arr, -10), ("face.proportions.jaw_width.percent",)),
    "skin lightened ΔL* +10": (lambda name, arr: cases.lighten(name, arr, 10), ("skin.ita_change", "skin.delta_e00")),
    "garment hue rotated 40°": (lambda name, arr: cases.recolour(name, arr, 40),
                                ("garment.hue_shift_deg", "garment.delta_e00_median_colour")),
}


def number(result, path: str) -> float | None:
    v = result.value(path)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def analyse(real: Path, twin: Path) -> dict:
    r = analyze_pair(real, twin).result
    return {"mode": str(r.mode), "reason": r.analysis.mode_reason, "verdict": str(r.verdict),
            "flags": [(f.metric, str(f.severity)) for f in r.flags],
            "values": {m: number(r, m) for m in MEASURES}}


def main() -> None:
    if "--analyze" not in sys.argv:
        from benchmarks.newshot_calibration import main as calibrate

        calibrate()
        return
    sys.argv.remove("--analyze")
    ap = argparse.ArgumentParser()
    ap.add_argument("--faces", type=Path, default=ROOT.parent / "shared" / "faces")
    ap.add_argument("--no-pairs", type=int, default=0)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="only the first N same-person pairs")
    ap.add_argument("--every", type=int, default=1, help="manipulate the twin of every Nth pair only")
    args = ap.parse_args()
    rows = list(csv.DictReader((args.faces / "master.csv").read_text().splitlines()))
    same = [r for r in rows if r["Decision"] == "Yes"][: args.limit or None]
    other = [r for r in rows if r["Decision"] == "No"][: args.no_pairs]
    out: dict = {"same": [], "manipulated": [], "different": []}
    with tempfile.TemporaryDirectory() as tmp:
        for row in same:
            real, twin = args.faces / row["file_x"], args.faces / row["file_y"]
            found = analyse(real, twin)
            found["pair"] = f"{row['file_x']}-{row['file_y']}"
            out["same"].append(found)
            fails = sorted({m for m, s in found["flags"] if s == "fail"})
            print(f"{found['pair']:22s} {found['mode']:10s} fail: {', '.join(fails) or '-'}", flush=True)
            if len(out["same"]) % args.every:  # manipulations on every Nth pair (time)
                continue
            name = f"faces:{row['file_y']}"
            pixels = load_image(twin).pixels
            PHOTOS[name] = lambda p=pixels: p
            for label, (make, metrics) in MANIPULATIONS.items():
                try:
                    arr = make(name, pixels.copy())
                except (AssertionError, ValueError) as exc:  # no face or no person to manipulate
                    out["manipulated"].append({"pair": found["pair"], "manipulation": label, "skipped": str(exc)})
                    continue
                path = save(np.ascontiguousarray(arr), Path(tmp) / "m.png")
                m = analyse(real, path)
                caught = [s for metric, s in m["flags"] if metric in metrics]
                out["manipulated"].append({"pair": found["pair"], "manipulation": label, "mode": m["mode"],
                                           "caught": caught, "values": m["values"]})
        for row in other:
            found = analyse(args.faces / row["file_x"], args.faces / row["file_y"])
            out["different"].append({"pair": f"{row['file_x']}-{row['file_y']}", "identity": [
                s for metric, s in found["flags"] if metric == "identity.distance"], "mode": found["mode"]})
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    report(out)


def report(out: dict) -> None:
    same = out["same"]
    print(f"\nsame person, different shots: {len(same)} pairs; modes {dict(Counter(s['mode'] for s in same))}")
    print(f"pairs with any fail flag: {sum(any(s == 'fail' for _m, s in p['flags']) for p in same)}")
    print("| measurement | median |x| | p95 |x| | max |x| |")
    for m in MEASURES:
        xs = [abs(p["values"][m]) for p in same if p["values"][m] is not None]
        if xs:
            print(f"| {m} | {np.median(xs):.2f} | {np.percentile(xs, 95):.2f} | {max(xs):.2f} | (n={len(xs)})")
    by = {}
    for m in out["manipulated"]:
        by.setdefault(m["manipulation"], []).append(m)
    for label, items in by.items():
        done = [i for i in items if "skipped" not in i]
        caught = sum(1 for i in done if i["caught"])
        print(f"{label}: caught {caught} of {len(done)} ({len(items) - len(done)} without a face/person to edit)")
    if out["different"]:
        failed = sum(1 for d in out["different"] if "fail" in d["identity"])
        print(f"different people: identity fails {failed} of {len(out['different'])}")


if __name__ == "__main__":
    main()
