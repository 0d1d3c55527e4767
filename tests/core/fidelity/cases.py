"""The manipulation table: each case changes one thing by a known amount on a real photograph.

Shared by the tests (tests/core/fidelity/test_manipulations.py) and the table generator
(``python -m tests.core.fidelity.cases`` prints docs/fidelity.md's table).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from tests.core.fidelity import manipulate as mp
from tests.core.photos import PHOTOS, jpeg_roundtrip, linear_gains, similarity, warp
from twinproof.core.landmarks import LandmarkResult, detect_landmarks
from twinproof.core.landmarks import topology as topo


@cache
def landmarks(photo: str) -> LandmarkResult:
    return detect_landmarks(PHOTOS[photo]())


def _face(photo: str) -> np.ndarray:
    face = landmarks(photo).face
    assert face is not None
    return face.points[:, :2]


def _iod(p: np.ndarray) -> float:
    return float(np.linalg.norm(p[33] - p[263]))


def eyes(photo: str, arr: np.ndarray, pct: float) -> np.ndarray:
    p = _face(photo)
    for a, b in ((33, 133), (263, 362)):
        c = (p[a] + p[b]) / 2
        width = float(np.linalg.norm(p[a] - p[b]))
        arr = mp.scale_region(arr, (float(c[0]), float(c[1])), 1 + pct / 100, 0.75 * width, 1.5 * width)
    return arr


def lips(photo: str, arr: np.ndarray, pct: float) -> np.ndarray:
    p = _face(photo)
    c = (p[61] + p[291]) / 2
    width = float(np.linalg.norm(p[61] - p[291]))
    return mp.scale_region(arr, (float(c[0]), float(c[1])), 1 + pct / 100, 0.55 * width, 0.85 * width)


def jaw(photo: str, arr: np.ndarray, pct: float) -> np.ndarray:
    """Narrow the face below the cheekbones uniformly (every jaw pair inside the band)."""
    p = _face(photo)
    y_top = float(p[132, 1]) - 0.15 * _iod(p)
    y_chin = float(p[152, 1])
    half = float(np.linalg.norm(p[234] - p[454])) / 2 * 1.1
    return mp.squeeze_horizontally(arr, float(p[1, 0]), y_top - 0.3 * _iod(p), y_top,
                                   y_chin + 0.3 * _iod(p), -pct / 100, half)


def _skin(photo: str, shape: tuple[int, int]) -> np.ndarray:
    p = _face(photo)
    oval = mp.polygon_mask(shape, [p[list(topo.FACE_OVAL)]], 0)
    holes = mp.polygon_mask(shape, [p[list(topo.RIGHT_EYE)], p[list(topo.LEFT_EYE)], p[list(topo.LIPS_OUTER)],
                                    p[list(topo.RIGHT_EYEBROW[0] + topo.RIGHT_EYEBROW[1][::-1])],
                                    p[list(topo.LEFT_EYEBROW[0] + topo.LEFT_EYEBROW[1][::-1])]], 0)
    holes = cv2.dilate(holes, np.ones((7, 7), np.uint8))
    return cv2.GaussianBlur(np.clip(oval - holes, 0, 1), (0, 0), 0.04 * _iod(p))


def lighten(photo: str, arr: np.ndarray, delta_l: float) -> np.ndarray:
    return mp.lighten_lab(arr, _skin(photo, arr.shape[:2]), delta_l)


def smooth(photo: str, arr: np.ndarray, sigma: float) -> np.ndarray:
    return mp.smooth_skin(arr, _skin(photo, arr.shape[:2]), sigma)


def _garment(photo: str, shape: tuple[int, int]) -> np.ndarray:
    body = landmarks(photo).body
    assert body is not None and body.mask is not None
    person = (body.mask.to_image_size() > 0.5).astype(np.float32)
    p = _face(photo)
    below = np.zeros(shape, np.float32)
    below[int(p[152, 1] + 0.35 * _iod(p)):, :] = 1  # under the chin and neck
    return cv2.GaussianBlur(person * below, (0, 0), 2)


def recolour(photo: str, arr: np.ndarray, degrees: float) -> np.ndarray:
    return mp.rotate_hue(arr, _garment(photo, arr.shape[:2]), degrees)


def slim(photo: str, arr: np.ndarray, pct: float) -> np.ndarray:
    """Narrow the torso from the armpits down by ``pct`` % (a slimmer body)."""
    body = landmarks(photo).body
    assert body is not None
    pts = body.points[:, :2]
    ls, rs = pts[11], pts[12]
    sw = float(np.linalg.norm(ls - rs))
    y0 = float((ls[1] + rs[1]) / 2) + 0.1 * sw
    return mp.squeeze_horizontally(arr, float((ls[0] + rs[0]) / 2), y0, y0 + 0.2 * sw, arr.shape[0] + 10,
                                   pct / 100, 1.0 * sw)


def cast(photo: str, arr: np.ndarray, _: float) -> np.ndarray:
    return linear_gains(arr, (1.12, 1.0, 0.85))


def reframe(photo: str, arr: np.ndarray, _: float) -> np.ndarray:
    h, w = arr.shape[:2]
    return warp(arr, similarity(1.03, 0.8, (6.0, -5.0), (w / 2, h / 2)), (w, h))


def half_resolution(photo: str, arr: np.ndarray, _: float) -> np.ndarray:
    h, w = arr.shape[:2]
    return cv2.resize(arr, (w // 2, h // 2), interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[str, np.ndarray, float], np.ndarray]
    amount: float
    expects: frozenset[str]  # flag categories it must raise (and no others)
    metric: str  # where the measured size is read, e.g. "face.changes.eyes.percent"
    low: float
    high: float


CASES: tuple[Case, ...] = (
    Case("eyes enlarged 10%", eyes, 10, frozenset({"face_shape"}), "face.changes.eyes.percent", 7, 13),
    Case("lips fuller 12%", lips, 12, frozenset({"face_shape"}), "face.changes.lips.percent", 8.4, 15.6),
    Case("jaw narrowed 6%", jaw, -6, frozenset({"face_shape"}), "face.changes.jaw.percent", -8, -4),
    Case("torso slimmed 8%", slim, 8, frozenset({"body_shape"}), "body.widths.chest.percent", -11, -5),
    Case("skin lightened ΔL* +6", lighten, 6, frozenset({"skin_tone"}), "skin.delta_L", 4, 8),
    Case("skin airbrushed (blur σ 2.5 px)", smooth, 2.5, frozenset({"skin_texture"}), "texture.ratio", 0, 0.6),
    Case("garment hue rotated 30°", recolour, 30, frozenset({"garment_colour"}), "garment.hue_shift_deg", 20, 40),
    Case("global warm cast", cast, 0, frozenset({"colour"}), "colour.cast.magnitude", 3, 15),
    Case("reframed 3%, 0.8°, re-encoded q92", reframe, 0, frozenset(), "face.nme_percent.overall", 0, 1.0),
    Case("half resolution", half_resolution, 0, frozenset(), "face.nme_percent.overall", 0, 1.0),
)


def twin_of(case: Case, photo: str) -> np.ndarray:
    return jpeg_roundtrip(case.make(photo, PHOTOS[photo](), case.amount), 92)


def read(metrics: dict, path: str) -> float | None:
    node = metrics
    for part in path.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return None
        node = node[part]
    return float(node)  # type: ignore[arg-type]


def table() -> str:
    """The markdown table of docs/fidelity.md: every case on both photographs, as measured."""
    import tempfile
    from pathlib import Path

    from tests.core.photos import save
    from twinproof.core.analysis import analyze_pair

    rows = ["| manipulation | photo | measured at | expected range | measured | flags raised |",
            "|---|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            for photo in ("astronaut", "hopper"):
                real = save(PHOTOS[photo](), Path(tmp) / "real.png")
                twin = save(twin_of(case, photo), Path(tmp) / "twin.png")
                r = analyze_pair(real, twin).to_dict()
                flags = ", ".join(sorted({f"{f['category']}/{f['region']} ({f['severity']})" for f in r["flags"]}))
                v = read(r["metrics"], case.metric)
                rows.append(f"| {case.name} | {photo} | `{case.metric}` | {case.low} … {case.high} | "
                            f"{'—' if v is None else round(v, 3)} | {flags or 'none'} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
