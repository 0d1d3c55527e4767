"""Calibrate face identity on real labelled photographs and print the figures.

    PYTHONPATH=desktop .venv/bin/python benchmarks/calibrate_identity.py [--faces ../shared/faces]

``shared/faces``: 62 photographs and ``master.csv``, 300 labelled pairs (38 the same person in
different shots, 262 different people). Three pipelines, all through the shipped ONNX model:

1. TwinProof's: ``detect_landmarks`` (our detector + face mesh) -> mesh chip -> descriptor;
2. dlib's 5 points (kept in ``models/identity_conversion_report.json`` by the conversion check,
   which ran dlib's HOG detector and shape predictor) -> TwinProof's chip warp -> descriptor;
3. dlib's own chips (``dlib.get_face_chip``) -> descriptor: figures from that report (the
   conversion check computed them; dlib is not needed here).

For each: distance distributions (same / different: min, p5, median, p95, max), ROC AUC, the
equal error rate, errors at the policy's threshold and at dlib's 0.6. Then the minimum face
size: photographs whose face box is at least 150 px are shrunk so the face box is 40-120 px and
read again through the whole pipeline; the descriptor's drift from the full-size reading says
how small a face may be before its identity cannot be trusted.

First, the policy's two lines on both labelled sets together (``--shared``, default ../shared:
faces and faces-more, 19 people, relatives): each chosen for its stated rate, every pair's
answer at them (same person / cannot tell / not the same person), then leave one person out —
each person's pairs judged by lines chosen without them — per person, overall and for
relatives. ``--only-lines`` stops there.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tomllib
from pathlib import Path

import cv2
import numpy as np

from twinproof.core.identity import FaceIdentity, distance, read_identity
from twinproof.core.identity.calibration import (
    RELATIVES,
    SAME,
    LabelledPair,
    Rates,
    choose_lines,
    leave_one_person_out,
    pooled,
    rates,
)
from twinproof.core.identity.chip import chip_to_image, cut_chip
from twinproof.core.identity.descriptor import describe
from twinproof.core.identity.separation import equal_error_rate, errors_at, roc_auc, summary
from twinproof.core.imageio import load_image
from twinproof.core.landmarks import detect_landmarks

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "models" / "identity_conversion_report.json"
POLICY = ROOT / "resources" / "policy" / "default.toml"
SIZES = (40, 50, 60, 80, 100, 120)


def labelled_pairs(folder: Path) -> list[tuple[str, str, bool]]:
    with (folder / "master.csv").open(newline="") as fh:
        return [(r["file_x"], r["file_y"], r["Decision"] == "Yes") for r in csv.DictReader(fh)]


def split(descriptors: dict[str, np.ndarray], pairs: list[tuple[str, str, bool]]) -> tuple[np.ndarray, np.ndarray]:
    """Same-person and different-people distances over the pairs whose faces were both read."""
    same, diff = [], []
    for a, b, is_same in pairs:
        if a in descriptors and b in descriptors:
            (same if is_same else diff).append(distance(descriptors[a], descriptors[b]))
    return np.array(same), np.array(diff)


def report(name: str, same: np.ndarray, diff: np.ndarray, threshold: float | None) -> None:
    eer, at = equal_error_rate(same, diff)
    print(f"\n{name}: {len(same)} same-person, {len(diff)} different-people pairs")
    for label, x in (("same", same), ("different", diff)):
        s = summary(x)
        print(f"  {label:9s} min {s['min']:.3f}  p5 {s['p5']:.3f}  median {s['median']:.3f}  "
              f"p95 {s['p95']:.3f}  max {s['max']:.3f}")
    print(f"  ROC AUC {roc_auc(same, diff):.4f}; equal error rate {eer:.3f} (at {at:.3f})")
    for t in sorted({0.6, *([threshold] if threshold else [])}):
        fr, fa = errors_at(same, diff, t)
        print(f"  at {t:.3f}: {fr} same-person pair(s) called different, {fa} different pair(s) called same")


def read_folder(folder: Path) -> tuple[dict[str, FaceIdentity], dict[str, np.ndarray]]:
    """TwinProof's reading of every photograph, and the pixels (for the size test)."""
    found: dict[str, FaceIdentity] = {}
    pixels: dict[str, np.ndarray] = {}
    for path in sorted(folder.glob("*.jpg")):
        px = load_image(path).pixels
        result = read_identity(px, detect_landmarks(px).face, min_face_px=0)
        if isinstance(result, FaceIdentity):
            found[path.name], pixels[path.name] = result, px
        else:
            print(f"  {path.name}: {result.reason}")
    return found, pixels


def size_test(found: dict[str, FaceIdentity], pixels: dict[str, np.ndarray]) -> None:
    """Descriptor drift when the same photograph is read with a smaller face."""
    big = [f for f, ident in found.items() if ident.chip.face_size_px >= 150]
    print(f"\nminimum face size: {len(big)} photographs with a face box >= 150 px, shrunk (INTER_AREA)")
    for target in SIZES:
        drifts, lost = [], 0
        for f in big:
            scale = target / found[f].chip.face_size_px
            h, w = pixels[f].shape[:2]
            small = cv2.resize(pixels[f], (max(1, round(w * scale)), max(1, round(h * scale))),
                               interpolation=cv2.INTER_AREA)
            again = read_identity(small, detect_landmarks(small).face, min_face_px=0)
            if isinstance(again, FaceIdentity):
                drifts.append(distance(again, found[f]))
            else:
                lost += 1
        d = np.array(drifts)
        print(f"  face box {target:3d} px: drift median {np.median(d):.3f}  p95 {np.percentile(d, 95):.3f}  "
              f"max {d.max():.3f}  (no face found: {lost})")


def _row(label: str, r: Rates) -> str:
    return (f"  {label:24s} same {r.same_pairs:4d}: {r.same_called_same:4d} same / {r.same_cannot_tell:3d} cannot tell"
            f" / {r.same_called_different} other  FNMR {r.fnmr:6.1%}   different {r.different_pairs:5d}: "
            f"{r.different_called_same} same / {r.different_cannot_tell:3d} cannot tell  FMR {r.fmr:.4%}")


def stated_rates(policy: dict[str, float]) -> None:
    """The two lines on both labelled sets, and leave one person out."""
    sys.path.insert(0, str(ROOT))
    from tests.core.identity.labelled import AVAILABLE, MISSING, all_pairs

    if not AVAILABLE:
        raise SystemExit(MISSING)
    fmr, fnmr = policy["false_match_rate"], policy["false_non_match_rate"]
    pairs, found, unread = all_pairs(policy["min_face_px"])
    people = sorted({p.person for p in found.values()})
    named = sum(sum(p.person == q for p in found.values()) > 1 for q in people)
    print(f"both sets: {len(found)} photographs read, {len(people)} people ({named} in two or more); not read: "
          + "; ".join(f"{k} ({v.split(' (')[0]})" for k, v in unread.items()))
    kinds = {k: [p for p in pairs if p.kind == k] for k in {p.kind for p in pairs}}
    print("  " + ", ".join(f"{len(v)} {k} pairs" for k, v in sorted(kinds.items())))
    for k, v in sorted(kinds.items()):
        s = summary(np.array([p.distance for p in v]))
        print(f"  {k:13s} min {s['min']:.3f}  p5 {s['p5']:.3f}  median {s['median']:.3f}  p95 {s['p95']:.3f}  "
              f"max {s['max']:.3f}")
    lines = choose_lines(pairs, fmr, fnmr)
    print(f"\nlines for false-match rate {fmr:g} and false-non-match rate {fnmr:g}: same person up to "
          f"{lines.same_at_most:.3f}, not the same person above {lines.different_above:.3f} (policy: "
          f"{policy['threshold']:g} / {policy['different_threshold']:g})")
    print(_row("all pairs", rates(pairs, lines)))
    print(_row("relatives", rates([p for p in pairs if p.kind == RELATIVES], lines)))
    ordinary = [p for p in pairs if p.kind == SAME and p.person_a != "elvis"]
    print(_row("same, without Elvis", rates(ordinary, lines)))
    closest = sorted((p for p in pairs if p.kind != SAME), key=lambda p: p.distance)[:3]
    print("  closest different people: " + "; ".join(f"{p.a} / {p.b} {p.distance:.3f}" for p in closest))
    farthest = sorted((p for p in pairs if p.kind == SAME), key=lambda p: -p.distance)[:3]
    print("  farthest same person:     " + "; ".join(f"{p.a} / {p.b} {p.distance:.3f}" for p in farthest))
    _held_out(pairs, people, fmr, fnmr)


def _held_out(pairs: list[LabelledPair], people: list[str], fmr: float, fnmr: float) -> None:
    held = leave_one_person_out(pairs, people, fmr, fnmr)
    print("\nleave one person out (lines chosen without the person's pairs, then their pairs judged):")
    print(f"  {'person':24s} {'lines':>13s}  same: same/cannot tell/other  worst    different: same/cannot"
          f" tell/of  nearest   FNMR    FMR")
    for h in held:
        r = h.rates
        if r.same_pairs == 0 and r.different_called_same == 0:
            continue
        worst = f"{h.worst_same:.3f}" if h.worst_same is not None else "  -  "
        print(f"  {h.person:24s} {h.lines.same_at_most:.3f}/{h.lines.different_above:.3f}  "
              f"{r.same_called_same:4d}/{r.same_cannot_tell:3d}/{r.same_called_different}{'':13s}{worst}    "
              f"{r.different_called_same}/{r.different_cannot_tell:3d}/{r.different_pairs:4d}{'':12s}"
              f"{h.nearest_other:.3f}  {r.fnmr:6.1%} {r.fmr:6.2%}")
    total, relatives = pooled(held)
    print(f"  ({len(held) - sum(h.rates.same_pairs > 0 or h.rates.different_called_same > 0 for h in held)} "
          "people of one photo each without a false match not listed)")
    print(_row("held out, all", total))
    print(_row("held out, relatives", relatives))
    print("  (a different-person pair counts once for each of its two people)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--faces", default=os.environ.get("TWINPROOF_FACES", str(ROOT.parent / "shared" / "faces")),
                        help="the labelled faces (default: $TWINPROOF_FACES, else ../shared/faces)")
    parser.add_argument("--no-size-test", action="store_true")
    parser.add_argument("--only-lines", action="store_true", help="the stated-rate lines only")
    args = parser.parse_args()
    stated_rates(tomllib.loads(POLICY.read_text(encoding="utf-8"))["identity"])
    if args.only_lines:
        return
    folder = Path(args.faces)
    if not (folder / "master.csv").is_file():
        raise SystemExit(f"{folder}: no master.csv (the labelled faces are in ../shared/faces)")
    policy = tomllib.loads(POLICY.read_text(encoding="utf-8")).get("identity", {})
    threshold = policy.get("threshold")
    pairs = labelled_pairs(folder)

    found, pixels = read_folder(folder)
    same, diff = split({f: i.descriptor for f, i in found.items()}, pairs)
    sizes = np.array([i.chip.face_size_px for i in found.values()])
    yaws = np.array([abs(i.chip.yaw_deg) for i in found.values()])
    print(f"TwinProof pipeline: {len(found)} of {len(list(folder.glob('*.jpg')))} faces read; face box "
          f"{sizes.min():.0f}-{sizes.max():.0f} px (median {np.median(sizes):.0f}); |yaw| median "
          f"{np.median(yaws):.1f}°, max {yaws.max():.1f}°")
    report("TwinProof (our detector + mesh chip + ONNX)", same, diff, threshold)

    dlib = json.loads(REPORT.read_text(encoding="utf-8"))
    points = {r["file"]: np.array(r["dlib_points"]) for r in dlib["faces"] if r["face"]}
    chips = [cut_chip(pixels[f], chip_to_image(points[f])) for f in points if f in pixels]
    names = [f for f in points if f in pixels]
    by_dlib_points = dict(zip(names, describe(chips), strict=True))
    report("dlib's 5 points + TwinProof's chip warp + ONNX", *split(by_dlib_points, pairs), threshold)
    moved = [distance(by_dlib_points[f], found[f]) for f in names if f in found]
    print(f"  mesh chip vs dlib-point chip, same photograph: median {np.median(moved):.3f}, "
          f"max {max(moved):.3f}")
    exact = {}
    for p in dlib["pair_distances"]:
        exact[(p["a"], p["b"])] = (p["onnx"], p["same"])
    report("dlib's own chips + ONNX (from the conversion report)",
           np.array([d for d, s in exact.values() if s]), np.array([d for d, s in exact.values() if not s]),
           threshold)
    if threshold is None:
        print("\n(no [identity] threshold in the default policy yet)")
    if not args.no_size_test:
        size_test(found, pixels)


if __name__ == "__main__":
    main()
