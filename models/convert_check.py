"""Run each converted ONNX model and its TFLite original on the same real photographs.

Used by ``convert.py`` (needs TensorFlow). Inputs are real public-domain photographs prepared
the way the app prepares them: the whole frame letterboxed for the detectors and the pose model,
square face crops (upright and rotated 25 degrees) for the face mesh, eye crops cut from those
for the iris model. Landmark differences are Euclidean (x, y) distances in model-input pixels;
the acceptance bound is 0.5 px.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort
from model_specs import SPECS

BOUND_PX = 0.5
REPO = Path(__file__).resolve().parent.parent


def photos() -> dict[str, np.ndarray]:
    import skimage.data

    hopper = cv2.cvtColor(cv2.imread(str(REPO / "tests/data/grace_hopper.jpg")), cv2.COLOR_BGR2RGB)
    return {"astronaut": skimage.data.astronaut(), "grace_hopper": hopper,
            "coffee (no person)": skimage.data.coffee()}


FACE_BOXES = {"astronaut": (20, 230, 130, 300), "grace_hopper": (95, 375, 125, 405)}


def to_unit(img: np.ndarray) -> np.ndarray:
    return img.astype(np.float32) / np.float32(255.0)


def letterbox(img: np.ndarray, size: int) -> np.ndarray:
    h, w = img.shape[:2]
    side = max(h, w)
    canvas = np.zeros((side, side, 3), img.dtype)
    y0, x0 = (side - h) // 2, (side - w) // 2
    canvas[y0:y0 + h, x0:x0 + w] = img
    return cv2.resize(canvas, (size, size), interpolation=cv2.INTER_AREA)


def rotate(img: np.ndarray, degrees: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR)


class Pair:
    """The TFLite original and the ONNX conversion of one model, fed the same NHWC tensor."""

    def __init__(self, tflite: Path, onnx: Path) -> None:
        import tensorflow as tf

        self.tfl = tf.lite.Interpreter(model_path=str(tflite))
        self.tfl.allocate_tensors()
        self.ort = ort.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
        self.nchw = len(self.ort.get_inputs()[0].shape) == 4 and self.ort.get_inputs()[0].shape[1] == 3

    def run(self, nhwc: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        x = nhwc[None].astype(np.float32)
        self.tfl.set_tensor(self.tfl.get_input_details()[0]["index"], x)
        self.tfl.invoke()
        a = [self.tfl.get_tensor(d["index"]) for d in self.tfl.get_output_details()]
        feed = x.transpose(0, 3, 1, 2) if self.nchw else x
        b = self.ort.run(None, {self.ort.get_inputs()[0].name: np.ascontiguousarray(feed)})
        return a, b


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -80, 80)))


def xy_diff(a: np.ndarray, b: np.ndarray, dims: int) -> float:
    pa, pb = a.reshape(-1, dims)[:, :2], b.reshape(-1, dims)[:, :2]
    return float(np.max(np.hypot(*(pa - pb).T))) if len(pa) else 0.0


def check_detector(pair: Pair, size: int, imgs: dict[str, np.ndarray]) -> list[dict]:
    cases = []
    for label, img in imgs.items():
        (reg_a, cls_a), (reg_b, cls_b) = pair.run(letterbox(to_unit(img), size) * 2 - 1)
        sa, sb = sigmoid(cls_a.ravel()), sigmoid(cls_b.ravel())
        keep = sa > 0.5
        cases.append({"input": f"{label}, whole frame", "anchors_above_0.5": int(keep.sum()),
                      "max_landmark_px": xy_diff(reg_a[0][keep], reg_b[0][keep], 2),
                      "max_score_diff": float(np.max(np.abs(sa - sb)))})
    return cases


def face_crops(imgs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    crops = {}
    for label, (r0, r1, c0, c1) in FACE_BOXES.items():
        crop = cv2.resize(to_unit(imgs[label][r0:r1, c0:c1]), (192, 192), interpolation=cv2.INTER_AREA)
        crops[f"{label} face crop"] = crop
        crops[f"{label} face crop rotated 25°"] = rotate(crop, 25)
    return crops


def check_mesh(pair: Pair, crops: dict[str, np.ndarray]) -> tuple[list[dict], dict[str, np.ndarray]]:
    cases, meshes = [], {}
    for label, crop in crops.items():
        (pa, fa), (pb, fb) = pair.run(crop)
        meshes[label] = pa.reshape(468, 3)
        za, zb = pa.reshape(468, 3)[:, 2], pb.reshape(468, 3)[:, 2]
        cases.append({"input": label, "max_landmark_px": xy_diff(pa, pb, 3),
                      "max_z_diff": float(np.max(np.abs(za - zb))),
                      "presence_logit": [float(fa.ravel()[0]), float(fb.ravel()[0])]})
    return cases, meshes


def eye_crop(face: np.ndarray, mesh: np.ndarray, a: int, b: int, flip: bool) -> np.ndarray:
    p, q = mesh[a, :2], mesh[b, :2]
    centre, side = (p + q) / 2, 2.3 * float(np.hypot(*(q - p)))
    angle = np.degrees(np.arctan2(q[1] - p[1], q[0] - p[0]))
    m = cv2.getRotationMatrix2D((float(centre[0]), float(centre[1])), angle, 64 / side)
    m[:, 2] += (32 - centre[0], 32 - centre[1])
    out = cv2.warpAffine(face, m, (64, 64), flags=cv2.INTER_LINEAR)
    return out[:, ::-1].copy() if flip else out


def check_iris(pair: Pair, crops: dict[str, np.ndarray], meshes: dict[str, np.ndarray]) -> list[dict]:
    cases = []
    for label, crop in crops.items():
        eyes = {"right eye": (33, 133, False), "left eye (mirrored)": (362, 263, True)}
        for eye, (a, b, flip) in eyes.items():
            (ca, ia), (cb, ib) = pair.run(eye_crop(crop, meshes[label], a, b, flip))
            cases.append({"input": f"{label}, {eye}",
                          "max_landmark_px": max(xy_diff(ca, cb, 3), xy_diff(ia, ib, 3)),
                          "max_iris_px": xy_diff(ia, ib, 3)})
    return cases


def check_pose(pair: Pair, imgs: dict[str, np.ndarray]) -> list[dict]:
    cases = []
    inputs = {f"{k}, whole frame": letterbox(to_unit(v), 256) for k, v in imgs.items()}
    inputs["astronaut, rotated 25°"] = rotate(inputs["astronaut, whole frame"], 25)
    for label, x in inputs.items():
        a, b = pair.run(x)
        la, lb = a[0].reshape(39, 5), b[0].reshape(39, 5)
        cases.append({
            "input": label,
            "pose_presence": [float(a[1].ravel()[0]), float(b[1].ravel()[0])],
            "max_landmark_px": xy_diff(la[:33], lb[:33], 5),
            "max_aux_px": xy_diff(la[33:35], lb[33:35], 5),
            "max_visibility_diff": float(np.max(np.abs(sigmoid(la[:33, 3]) - sigmoid(lb[:33, 3])))),
            "max_mask_diff": float(np.max(np.abs(sigmoid(a[2]) - sigmoid(b[2])))),
            "max_world_diff_m": float(np.max(np.abs(a[4] - b[4]))),
        })
    return cases


def check_all(sources: dict[str, Path], models: Path) -> list[dict]:
    imgs = photos()
    pair = {name: Pair(src, models / SPECS[name]["file"]) for name, src in sources.items()}
    crops = face_crops(imgs)
    mesh_cases, meshes = check_mesh(pair["face_landmark"], crops)
    per_model = {
        "face_detection_short_range": check_detector(pair["face_detection_short_range"], 128, imgs),
        "face_detection_full_range": check_detector(pair["face_detection_full_range"], 192, imgs),
        "face_landmark": mesh_cases,
        "iris_landmark": check_iris(pair["iris_landmark"], crops, meshes),
        "pose_landmark_full": check_pose(pair["pose_landmark_full"], imgs),
    }
    results = []
    for name, cases in per_model.items():
        worst = max(c["max_landmark_px"] for c in cases)
        results.append({"model": name, "max_landmark_px": worst, "ok": worst < BOUND_PX,
                        "cases": cases})
    return results


def write_report(results: list[dict], md: Path, js: Path) -> None:
    from importlib.metadata import version

    js.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    tools = ", ".join(f"{p} {version(p)}" for p in
                      ("tensorflow-cpu", "tflite2onnx", "tf2onnx", "onnxruntime", "onnx"))
    lines = [
        "# Conversion report",
        "",
        "Generated by `models/convert.py` (do not edit). Each ONNX model against its TFLite "
        "original (`tf.lite.Interpreter`) on the same inputs cut from real photographs.",
        f"Landmark differences: Euclidean (x, y), model-input pixels; bound {BOUND_PX} px.",
        f"Tools: {tools}.",
        "",
        "| model | worst landmark difference (px) | within bound |",
        "|---|---|---|",
    ]
    lines += [f"| {r['model']} | {r['max_landmark_px']:.5f} | {'yes' if r['ok'] else 'NO'} |"
              for r in results]
    for r in results:
        lines += ["", f"## {r['model']}", ""]
        keys = list(r["cases"][0])
        lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
        for case in r["cases"]:
            lines.append("| " + " | ".join(_fmt(case[k]) for k in keys) + " |")
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.5g}"
    if isinstance(value, list):
        return " / ".join(_fmt(v) for v in value)
    return str(value)
