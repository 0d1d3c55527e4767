"""Face drift: how the twin's face differs in shape from the real one.

- **NME** (300-W convention) of the two models' meshes: mean point deviation ÷ inter-ocular
  distance (outer eye corners), overall and per region (eyes, brows, nose, lips, jaw/face
  oval), after a similarity (Procrustes) fit that takes out position, size and tilt.
- **Named changes** a person understands ("eyes 9% larger", "jaw 6% narrower"): sizes of
  features measured on the real mesh and on the same points *tracked* into the registered twin
  (``tracking.py``: the mesh model's shape prior hides local edits). Sizes are distances and
  areas, so the registration's removal of scale is all the normalisation they need. When the
  flow cannot be trusted (forward-backward error above 4% of the eye distance: the twin's
  texture was regenerated), the twin's own mesh is used instead, fitted on the points away
  from each feature (farther than 0.4 IOD), and ``method`` says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity.crops import PairCrop, pair_crop
from twinproof.core.fidelity.landmark_step import PairLandmarks, pair_landmarks
from twinproof.core.fidelity.procrustes import align_to, polygon_area
from twinproof.core.fidelity.tracking import track_points
from twinproof.core.flags import bounding_box
from twinproof.core.landmarks import FaceLandmarks
from twinproof.core.landmarks import topology as topo
from twinproof.core.policy import Policy
from twinproof.core.reading.face_size import too_small
from twinproof.core.result import Flag, Unmeasured, judge
from twinproof.core.result.measurements import Change, Face

EYE_OUTER = (33, 263)
MIN_IOD_PX = 24.0
NEIGHBOURHOOD_IOD = 0.4
#: Face crops are resampled so the eyes are this far apart (enough detail, bounded cost).
CROP_IOD_PX = 160.0
MAX_TRACK_ERROR_IOD = 0.04

REGIONS: dict[str, tuple[int, ...]] = {
    "eyes": topo.RIGHT_EYE + topo.LEFT_EYE,
    "brows": topo.FACE_REGIONS["right_eyebrow"] + topo.FACE_REGIONS["left_eyebrow"],
    "nose": topo.NOSE,
    "lips": topo.LIPS_OUTER + topo.LIPS_INNER,
    "jaw": topo.FACE_OVAL,
}
#: Symmetric pairs across the lower face oval (jaw angles down to the chin's sides).
JAW_PAIRS = ((132, 361), (58, 288), (172, 397), (136, 365))


def _eye_size(p: np.ndarray) -> float:
    return math.sqrt((polygon_area(p[list(topo.RIGHT_EYE)]) + polygon_area(p[list(topo.LEFT_EYE)])) / 2)


def _lip_size(p: np.ndarray) -> float:
    return math.sqrt(max(polygon_area(p[list(topo.LIPS_OUTER)]) - polygon_area(p[list(topo.LIPS_INNER)]), 1e-9))


def _jaw_width(p: np.ndarray) -> float:
    return float(np.mean([np.linalg.norm(p[a, :2] - p[b, :2]) for a, b in JAW_PAIRS]))


def _nose_width(p: np.ndarray) -> float:
    return float(np.linalg.norm(p[98, :2] - p[327, :2]))


def _face_length(p: np.ndarray) -> float:
    return float(np.linalg.norm(p[10, :2] - p[152, :2]))


def _brow_height(p: np.ndarray) -> float:
    brows = REGIONS["brows"]
    eyes = REGIONS["eyes"]
    return float(np.linalg.norm(p[list(brows), :2].mean(axis=0) - p[list(eyes), :2].mean(axis=0)))


#: name -> (size function, the points it depends on, word if it grows, word if it shrinks)
SIZES: dict[str, tuple[Callable[[np.ndarray], float], tuple[int, ...], str, str]] = {
    "eyes": (_eye_size, REGIONS["eyes"], "larger", "smaller"),
    "lips": (_lip_size, REGIONS["lips"], "fuller", "thinner"),
    "jaw": (_jaw_width, tuple(i for pr in JAW_PAIRS for i in pr), "wider", "narrower"),
    "nose": (_nose_width, (98, 327, 97, 326, 2, 64, 294), "wider", "narrower"),
    "face_length": (_face_length, (10, 152), "longer", "shorter"),
    "brows": (_brow_height, REGIONS["brows"], "higher", "lower"),
}


def _anchor(real: np.ndarray, feature: tuple[int, ...], iod: float) -> np.ndarray:
    """Mesh points farther than 0.4 IOD from every point of ``feature``."""
    d = np.linalg.norm(real[:, None, :2] - real[None, list(feature), :2], axis=2).min(axis=1)
    idx = np.flatnonzero(d > NEIGHBOURHOOD_IOD * iod)
    return idx if len(idx) >= 30 else np.arange(len(real))


def mesh_nme(real: np.ndarray, twin: np.ndarray, iod: float) -> dict[str, float]:
    """NME overall and per region after a whole-mesh similarity fit, in % of the IOD."""
    fitted = align_to(twin[:, :2], real[:, :2])
    dev = 100.0 * np.linalg.norm(fitted - real[:, :2], axis=1) / iod
    nme = {"overall": round(float(dev.mean()), 3)}
    nme.update({name: round(float(dev[list(idx)].mean()), 3) for name, idx in REGIONS.items()})
    return nme


def size_changes(real: np.ndarray, twin: np.ndarray, iod: float, fit: bool) -> dict[str, Change | Unmeasured]:
    """Signed % change of each named size; ``fit``: align the twin per feature first (mesh)."""
    changes: dict[str, Change | Unmeasured] = {}
    for name, (size, feature, grow, shrink) in SIZES.items():
        t_pts = align_to(twin[:, :2], real[:, :2], _anchor(real, feature, iod)) if fit else twin[:, :2]
        r, t = size(real[:, :2]), size(t_pts)
        pct = 100.0 * (t / r - 1.0) if r > 0 else 0.0
        changes[name] = _change(_label(name), pct, grow, shrink)
    return changes


def _change(label: str, pct: float, grow: str, shrink: str) -> Change:
    return Change(round(pct, 2), f"{label} {abs(pct):.0f}% {grow if pct >= 0 else shrink}")


def face_crop(pair: AlignedPair, real: np.ndarray, iod: float) -> PairCrop:
    """The face region (mesh box + 25%) of both images with the eyes ``CROP_IOD_PX`` apart."""
    if pair.shared.face_crop is None:
        x0, y0 = real[:, :2].min(axis=0)
        x1, y1 = real[:, :2].max(axis=0)
        mx, my = 0.25 * (x1 - x0), 0.25 * (y1 - y0)
        scale = min(3.0, CROP_IOD_PX / iod)
        pair.shared.face_crop = pair_crop(pair, (x0 - mx, y0 - my, x1 + mx, y1 + my), scale)
    return pair.shared.face_crop


def _label(name: str) -> str:
    return {"face_length": "face", "brows": "brows"}.get(name, name)


#: Irises are a few pixels across below this eye distance: their size is noise.
MIN_IRIS_IOD_PX = 60.0


def _rim_diameter(rims: np.ndarray) -> float:
    """Mean rim-to-rim diameter of two irises given as 2 x 4 rim points (right, then left)."""
    d = [np.linalg.norm(r[0] - r[2]) + np.linalg.norm(r[1] - r[3]) for r in (rims[:4], rims[4:])]
    return float(sum(d) / 4)


def _iris_points(face: FaceLandmarks) -> np.ndarray | None:
    if face.iris is None:
        return None
    return np.vstack([face.iris.right_iris[1:, :2], face.iris.left_iris[1:, :2]])


def _tracked_iris_change(real: FaceLandmarks, twin_rims: np.ndarray, twin_mesh: np.ndarray) -> Change:
    """The real irises' rims followed into the twin: a rim moves where the iris was drawn
    larger, not where the skin around the eye was smoothed (the iris model's own estimate
    swells by ~6 % on a blurred eye)."""
    rims = _iris_points(real)
    assert rims is not None

    def iod(p: np.ndarray) -> float:
        return float(np.linalg.norm(p[EYE_OUTER[0], :2] - p[EYE_OUTER[1], :2]))

    rel_real = _rim_diameter(rims) / iod(real.points)
    rel_twin = _rim_diameter(twin_rims) / iod(twin_mesh)
    return _change("irises", 100.0 * (rel_twin / rel_real - 1.0), "larger", "smaller")


def _iris_change(lm: PairLandmarks) -> Change | Unmeasured | None:
    """Iris diameter relative to the eye-corner distance, twin against real (the iris model)."""
    real, twin = lm.real.face, lm.twin.face
    if real is None or twin is None or real.iris is None or twin.iris is None:
        return None

    def iod(face: FaceLandmarks) -> float:
        return float(np.linalg.norm(face.points[EYE_OUTER[0], :2] - face.points[EYE_OUTER[1], :2]))

    if min(iod(real), iod(twin)) < MIN_IRIS_IOD_PX:
        return Unmeasured(f"eyes under {MIN_IRIS_IOD_PX:.0f} px apart: irises too small to size")

    def rel(face: FaceLandmarks) -> float:
        assert face.iris is not None
        return (face.iris.iris_diameter("left") + face.iris.iris_diameter("right")) / 2 / iod(face)

    return _change("irises", 100.0 * (rel(twin) / rel(real) - 1.0), "larger", "smaller")


def face_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    lm = pair_landmarks(pair)
    if lm.real.face is None or lm.twin_face is None:
        which, image = ("real photograph", pair.real) if lm.real.face is None else ("twin", pair.twin)
        reason = (lm.real.face_reason if lm.real.face is None else lm.twin.face_reason) or "no face"
        return out.unmeasured("face", f"{too_small(reason, image)} in the {which}")
    real = lm.real.face.points
    iod = float(np.linalg.norm(real[EYE_OUTER[0], :2] - real[EYE_OUTER[1], :2]))
    if iod < MIN_IOD_PX:
        return out.unmeasured("face", f"face too small to measure (eyes {iod:.0f} px apart; needs {MIN_IOD_PX:.0f})")
    rims = _iris_points(lm.real.face)
    n = len(real)
    tracked = track_points(face_crop(pair, real, iod), real if rims is None else np.vstack([real[:, :2], rims]))
    track_error = float(np.median(tracked.fb_error[:n])) / iod
    trusted = track_error <= MAX_TRACK_ERROR_IOD
    twin_pts = tracked.twin_points[:n] if trusted else lm.twin_face
    changes = size_changes(real, twin_pts, iod, fit=not trusted)
    iris = _iris_change(lm)
    if trusted and rims is not None and not isinstance(iris, Unmeasured):
        iris = _tracked_iris_change(lm.real.face, tracked.twin_points[n:, :2], tracked.twin_points[:n])
    if iris is not None:
        changes["irises"] = iris
    face = Face(
        iod_px=round(iod, 2),
        nme_percent=mesh_nme(real, lm.twin_face, iod),
        changes=changes,
        method="real mesh tracked into the twin (optical flow)" if trusted
        else "the two models' meshes, fitted per feature (flow untrustworthy)",
        tracking_error_iod=round(track_error, 4),
        # Where each real mesh point is in the twin (real-image pixels): what an overlay should
        # draw against the real mesh to show the change itself.
        twin_points=np.round(np.asarray(twin_pts)[:, :2], 2).tolist(),
    )
    out.metrics["face"] = face
    out.add(*(_locate(f, real, iod) for f in face_flags(face, policy)))
    return out


#: Which mesh points show each flag region.
FLAG_POINTS: dict[str, tuple[int, ...]] = {
    "eyes": REGIONS["eyes"], "irises": REGIONS["eyes"], "brows": REGIONS["brows"] + REGIONS["eyes"],
    "nose": REGIONS["nose"], "lips": REGIONS["lips"], "jaw": REGIONS["jaw"], "face": REGIONS["jaw"],
}


def _locate(flag: Flag, real: np.ndarray, iod: float) -> Flag:
    idx = FLAG_POINTS.get(flag.region, REGIONS["jaw"])
    return flag.located(bounding_box(real[list(idx), :2], pad=0.15 * iod))


def face_flags(face: Face, policy: Policy) -> list[Flag]:
    """The overall shape (NME) and every named change, each judged on its own measurement."""
    nme = face.nme_percent["overall"]
    found = [judge("face.nme_percent.overall", nme, policy, "face",
                   f"face shape deviates {nme:.1f}% of the eye distance on average")]
    for name, ch in face.changes.items():
        if isinstance(ch, Change):
            region = "face" if name == "face_length" else name
            found.append(judge(f"face.changes.{name}.percent", ch.percent, policy, region, ch.text))
    return [f for f in found if f is not None]
