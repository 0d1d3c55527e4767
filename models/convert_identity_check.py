"""Check face_identity_resnet.onnx against dlib itself on real labelled faces (conversion time).

For every photograph in the faces folder (``../shared/faces``: 63 photographs, ``master.csv`` with
300 labelled pairs) dlib finds the face (HOG detector, largest face), its 5 points
(``shape_predictor_5_face_landmarks.dat`` from the same sdist, used here only, never shipped) and
its descriptor (``face_recognition_model_v1.compute_face_descriptor``). The ONNX model is run on
dlib's own 150x150 chip (``dlib.get_face_chip``, padding 0.25). Reported: the largest absolute
difference of any descriptor component, and for every labelled pair the difference between
dlib's distance and the ONNX model's (bounds 1e-3 and 0.005), plus the separation both give.

The 5 points are kept in the JSON report so the calibration (``benchmarks/calibrate_identity.py``),
which runs without dlib, can cut chips from dlib's points with TwinProof's own warp. That warp
(``twinproof.core.identity.chip``) is checked here against ``dlib.get_face_chip`` on the same
points: pixel difference and descriptor distance between the two chips.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np

MAX_ABS_DIFF = 1e-3
MAX_PAIR_DIFF = 0.005


def roc_auc(same: np.ndarray, different: np.ndarray) -> float:
    """P(a different-people distance > a same-person distance), ties counted half."""
    s, d = np.asarray(same)[:, None], np.asarray(different)[None, :]
    return float(((d > s).sum() + 0.5 * (d == s).sum()) / (s.size * d.size))


def check(dat: Path, shape_predictor: Path, onnx_path: Path, faces: Path) -> dict:
    import cv2
    import dlib
    import onnxruntime as ort

    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(str(shape_predictor))
    recogniser = dlib.face_recognition_model_v1(str(dat))
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))
    from twinproof.core.identity.chip import chip_to_image, cut_chip

    def run(chip: np.ndarray) -> np.ndarray:
        tensor = chip.transpose(2, 0, 1)[None].astype(np.float32)
        return session.run(None, {"chip": tensor})[0][0].astype(np.float64)

    rows, ours, theirs = [], {}, {}
    for path in sorted(faces.glob("*.jpg")):
        bgr = cv2.imread(str(path))
        rgb = np.ascontiguousarray(bgr[:, :, ::-1])
        found = detector(rgb, 1)
        if not found:
            rows.append({"file": path.name, "face": False})
            continue
        box = max(found, key=lambda r: r.area())
        shape = predictor(rgb, box)
        reference = np.array(recogniser.compute_face_descriptor(rgb, shape), dtype=np.float64)
        chip = dlib.get_face_chip(rgb, shape, 150, 0.25)
        mine = run(chip)
        points = np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float64)
        warped = cut_chip(rgb, chip_to_image(points))
        ours[path.name], theirs[path.name] = mine, reference
        rows.append({"file": path.name, "face": True,
                     "box": [box.left(), box.top(), box.right(), box.bottom()],
                     "dlib_points": points.tolist(),
                     "max_abs_diff": float(np.abs(mine - reference).max()),
                     "our_warp_mean_abs_px": float(np.abs(warped.astype(float) - chip).mean()),
                     "our_warp_descriptor_distance": float(np.linalg.norm(run(warped) - mine))})
    pairs = []
    with (faces / "master.csv").open(newline="") as fh:
        for rec in csv.DictReader(fh):
            a, b = rec["file_x"], rec["file_y"]
            if a not in ours or b not in ours:
                continue
            d_dlib = float(np.linalg.norm(theirs[a] - theirs[b]))
            d_onnx = float(np.linalg.norm(ours[a] - ours[b]))
            pairs.append({"a": a, "b": b, "same": rec["Decision"] == "Yes",
                          "dlib": d_dlib, "onnx": d_onnx})
    same = np.array([p["onnx"] for p in pairs if p["same"]])
    diff = np.array([p["onnx"] for p in pairs if not p["same"]])
    max_abs = max(r["max_abs_diff"] for r in rows if r["face"])
    max_pair = max(abs(p["dlib"] - p["onnx"]) for p in pairs)
    return {
        "faces_folder": faces.name, "photos": len(rows), "faces_found": len(ours),
        "pairs": len(pairs), "max_abs_diff": max_abs, "max_pair_diff": max_pair,
        "bounds": {"max_abs_diff": MAX_ABS_DIFF, "max_pair_diff": MAX_PAIR_DIFF},
        "ok": len(ours) >= 20 and max_abs <= MAX_ABS_DIFF and max_pair <= MAX_PAIR_DIFF,
        "separation_dlib_chips_onnx": {
            "same_max": float(same.max()), "different_min": float(diff.min()),
            "auc": roc_auc(same, diff),
            "errors_at_0.6": int((same >= 0.6).sum() + (diff < 0.6).sum()),
        },
        "our_warp_vs_dlib_chip": {
            "mean_abs_px_median": float(np.median([r["our_warp_mean_abs_px"] for r in rows if r["face"]])),
            "descriptor_distance_median": float(np.median(
                [r["our_warp_descriptor_distance"] for r in rows if r["face"]])),
            "descriptor_distance_max": max(r["our_warp_descriptor_distance"] for r in rows if r["face"]),
        },
        "tools": {"dlib": version("dlib-bin"), "onnxruntime": version("onnxruntime"),
                  "onnx": version("onnx")},
        "faces": rows, "pair_distances": pairs,
    }


def write_report(report: dict, md: Path, js: Path) -> None:
    js.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    sep = report["separation_dlib_chips_onnx"]
    worst = sorted(report["pair_distances"], key=lambda p: -abs(p["dlib"] - p["onnx"]))[:5]
    lines = [
        "# Identity model conversion report",
        "",
        "Generated by `models/convert_identity.py` (do not edit). `face_identity_resnet.onnx` against "
        "dlib's own `face_recognition_model_v1` (dlib-bin "
        f"{report['tools']['dlib']}, onnxruntime {report['tools']['onnxruntime']}) on dlib's own "
        "5-point chips of real photographs (`shared/faces`).",
        "",
        "| check | measured | bound | within |",
        "|---|---|---|---|",
        f"| faces verified | {report['faces_found']} of {report['photos']} photographs | ≥ 20 | "
        f"{'yes' if report['faces_found'] >= 20 else 'NO'} |",
        f"| descriptor max abs difference | {report['max_abs_diff']:.2e} | {MAX_ABS_DIFF:g} | "
        f"{'yes' if report['max_abs_diff'] <= MAX_ABS_DIFF else 'NO'} |",
        f"| pair distance max difference ({report['pairs']} labelled pairs) | "
        f"{report['max_pair_diff']:.2e} | {MAX_PAIR_DIFF:g} | "
        f"{'yes' if report['max_pair_diff'] <= MAX_PAIR_DIFF else 'NO'} |",
        "",
        f"Separation through the ONNX model on dlib's chips: same-person max {sep['same_max']:.3f}, "
        f"different-people min {sep['different_min']:.3f}, ROC AUC {sep['auc']:.4f}, "
        f"{sep['errors_at_0.6']} error(s) of {report['pairs']} at dlib's threshold 0.6.",
        "",
        "TwinProof's own chip warp (`twinproof.core.identity.chip`) on dlib's 5 points against "
        f"`dlib.get_face_chip`: median mean absolute pixel difference "
        f"{report['our_warp_vs_dlib_chip']['mean_abs_px_median']:.2f} levels, descriptor distance "
        f"median {report['our_warp_vs_dlib_chip']['descriptor_distance_median']:.4f}, max "
        f"{report['our_warp_vs_dlib_chip']['descriptor_distance_max']:.4f}.",
        "",
        "Largest pair differences:",
        "",
        "| pair | same person | dlib | ONNX |",
        "|---|---|---|---|",
    ]
    lines += [f"| {p['a']} – {p['b']} | {'yes' if p['same'] else 'no'} | {p['dlib']:.6f} | {p['onnx']:.6f} |"
              for p in worst]
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
