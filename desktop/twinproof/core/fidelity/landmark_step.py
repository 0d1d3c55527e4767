"""Run the landmark models on both images and put the twin's points in the real frame.

Landmarks are found on each image at full resolution (the models crop the face from full
resolution themselves), then the twin's points are mapped through the registration so every
later comparison is in real-image pixels. They are computed once per pair, on first use
(``pair_landmarks``), and summarised in the JSON under ``landmarks`` (points included, for the
app's overlay).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twinproof.core import real_memo
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.landmarks import LandmarkResult, default_registry
from twinproof.core.landmarks.registry import ModelError
from twinproof.core.policy import Policy
from twinproof.core.reading.read import landmarks_of
from twinproof.core.result import Mode
from twinproof.core.result.measurements import Landmarks, LandmarkSide


@dataclass(frozen=True)
class PairLandmarks:
    """Landmarks of both images; ``twin_*`` arrays are already in real-image pixels."""

    real: LandmarkResult
    twin: LandmarkResult
    twin_face: np.ndarray | None
    twin_body: np.ndarray | None
    twin_mask_in_real: np.ndarray | None
    error: str | None = None


def to_real(pair: AlignedPair, pts: np.ndarray) -> np.ndarray:
    """Twin full-resolution pixel coordinates → real full-resolution pixel coordinates."""
    m = pair.registration.matrix
    out = np.array(pts, dtype=np.float64, copy=True)
    out[:, :2] = pts[:, :2] @ m[:, :2].T + m[:, 2]
    return out


def _twin_mask_in_real(pair: AlignedPair, twin: LandmarkResult) -> np.ndarray | None:
    """The twin's person mask resampled into the real frame at the working size."""
    import cv2

    if twin.body is None or twin.body.mask is None:
        return None
    pm = twin.body.mask
    # mask px -> twin px: (r + 0.5) / s - 0.5; twin px -> real px: M; real px -> working: * f.
    s, f = pm.scale, pair.factor
    m = pair.registration.matrix
    a = np.array([[1 / s, 0, 0.5 / s - 0.5], [0, 1 / s, 0.5 / s - 0.5], [0, 0, 1]])
    full = np.vstack([m, [0, 0, 1]]) @ a
    full[:2] *= f
    w, h = pair.working_size
    return cv2.warpAffine(pm.mask, full[:2], (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


def pair_landmarks(pair: AlignedPair) -> PairLandmarks:
    """Landmarks of both images, computed once per pair (ModelError when the models are not
    usable; nothing is kept then, and every step that needs them says so)."""
    if pair.shared.landmarks is not None:
        return pair.shared.landmarks
    real = landmarks_of(pair.real)
    twin = landmarks_of(pair.twin)
    twin_face = to_real(pair, twin.face.points) if twin.face is not None else None
    twin_body = to_real(pair, twin.body.points) if twin.body is not None else None
    pair.shared.landmarks = PairLandmarks(real, twin, twin_face, twin_body, _twin_mask_in_real(pair, twin))
    return pair.shared.landmarks


def person_mask(pair: AlignedPair) -> np.ndarray | None:
    """The real photograph's person mask at the working size (None: no person, or no models)."""
    sh = pair.shared
    if sh.person_mask is None:
        try:
            body = pair_landmarks(pair).real.body
        except ModelError:
            return None
        if body is None or body.mask is None:
            return None
        import cv2

        w, h, found = *pair.working_size, body.mask.mask
        # the real's alone: kept with the real for its next twin (core/real_memo.py)
        sh.person_mask = real_memo.derived(pair.real_work, "person mask", lambda: cv2.resize(
            found, (w, h), interpolation=cv2.INTER_LINEAR))
    return sh.person_mask


def _side(result: LandmarkResult, face: np.ndarray | None, body: np.ndarray | None) -> LandmarkSide:
    return LandmarkSide(
        faces_found=result.faces_found,
        people_found=result.people_found,
        face_points=None if face is None else np.round(face[:, :2], 2).tolist(),
        face_reason=result.face_reason,
        body_points=None if body is None else np.round(body[:, :2], 2).tolist(),
        body_visibility=None if result.body is None else np.round(result.body.visibility, 3).tolist(),
        body_reason=result.body_reason,
    )


def model_versions() -> dict[str, dict[str, str]]:
    """Which model files (sha256, and the package they came from) made these landmarks, so a
    stored or exported result says what produced it."""
    out: dict[str, dict[str, str]] = {}
    for name, spec in default_registry().manifest.items():
        src = spec.get("source", {}) if isinstance(spec, dict) else {}
        out[name] = {"sha256": str(spec.get("sha256", ""))[:16],
                     "source": f"{src.get('package', '?')} {src.get('version', '?')}"}
    return out


def landmark_step(pair: AlignedPair, policy: Policy) -> StepResult:
    """Find landmarks; report counts and points (both in real-image pixels)."""
    out = StepResult()
    try:
        lm = pair_landmarks(pair)
    except ModelError as exc:
        return out.unmeasured("landmarks", f"landmark models unavailable: {exc}")
    real_face = lm.real.face.points if lm.real.face is not None else None
    real_body = lm.real.body.points if lm.real.body is not None else None
    if pair.mode is Mode.NEW_SHOT:  # no registration: each image's points in its own pixels
        coordinates = "each image's own pixels (a new shot: no registration)"
        twin_face = lm.twin.face.points if lm.twin.face is not None else None
        twin_body = lm.twin.body.points if lm.twin.body is not None else None
    else:
        coordinates = "real-image pixels (the twin's points mapped through the registration)"
        twin_face, twin_body = lm.twin_face, lm.twin_body
    out.metrics["landmarks"] = Landmarks(
        coordinates=coordinates,
        real=_side(lm.real, real_face, real_body),
        twin=_side(lm.twin, twin_face, twin_body),
        milliseconds={"real": round(lm.real.timings_ms.get("total", 0.0), 1),
                      "twin": round(lm.twin.timings_ms.get("total", 0.0), 1)},
        models=model_versions(),
    )
    return out
