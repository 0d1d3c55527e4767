"""Same frame or new shot: can the twin be laid over the real photograph at all?

A twin is often not a retouched copy but a new shot of the person (another pose, light,
framing). Measuring it through a registration that does not exist gives confident nonsense
("skin 156° darker"), so the mode is decided first, from what the registration found:

- the matched features that agree must span a fair share of the frame (``min_support``): two
  shots of one person can match on the face alone (≤ 8 % of the frame on shared/faces), a
  retouched copy matches all over (≥ 43 % on the sample and the manipulation tests);
- most of the matched features must agree (``MIN_AGREEMENT``): a burst from one spot matches
  the still person over 30 % of the frame, but only 28-33 % of its matches agree (ramiz s1 2/4,
  2/5, 3/6, 7/8 in shared/faces-more), where a retouched copy's agree at 82-98 % (the sample)
  and an image against itself or its re-encode at ~100 %;
- a perspective transform must not explain the matches much better than the similarity does
  (``max_perspective_gain``): the camera moved (a 2-6 % keystone), and a similarity would
  misplace every pixel comparison;
- the two faces, once registered, must coincide (``max_face_offset_iod``): a person who moved
  in an otherwise unchanged scene is compared person to person.

Before the support or the agreement call a pair a new shot, the registration is checked directly: the twin,
laid over the real by what the registration found (features, or phase correlation when there
were none), is compared with it at low resolution (``coincidence``). Identical or
near-identical content is a same frame whatever its size or texture: an image of 40 px, a
plain wall or a thin strip has too few features for the first checks, yet coincides with
itself pixel for pixel; two shots of one person, even a burst from one spot, do not (luma
correlation at most 0.95 on shared/faces and faces-more, against at least 0.98 asked).

The thresholds are in the policy's ``[mode]`` section, calibrated in docs/fidelity.md.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from twinproof.core.context import AlignedPair
from twinproof.core.landmarks.topology import eye_distance
from twinproof.core.policy import Policy
from twinproof.core.result.types import Mode


def face_offset(pair: AlignedPair) -> float | None:
    """Mean distance between the real face mesh and the registered twin's, in eye distances
    (None without both faces or without the landmark models)."""
    from twinproof.core.fidelity.landmark_step import pair_landmarks
    from twinproof.core.landmarks.registry import ModelError

    try:
        lm = pair_landmarks(pair)
    except ModelError:
        return None
    if lm.real.face is None or lm.twin_face is None:
        return None
    real = lm.real.face.points[:, :2]
    iod = eye_distance(real)
    if iod <= 0:
        return None
    return float(np.linalg.norm(lm.twin_face[:, :2] - real, axis=1).mean() / iod)


#: Below this share of the matched features agreeing with the similarity, the registration is
#: checked pixel for pixel before it is trusted (a constant, not a policy setting: it separates
#: two measured groups, 0.28-0.33 against 0.82-1.0, and no brand has a reason to move it).
MIN_AGREEMENT = 0.5

#: Long side, in pixels, at which the registered pair is compared directly: fine enough to
#: see a moved head or another background, coarse enough that re-encoding and resampling vanish.
COINCIDENCE_LONG_SIDE = 128


@dataclasses.dataclass(frozen=True)
class Coincidence:
    """How well the registered twin lies on the real, compared directly at low resolution.

    ``correlation``: Pearson correlation of the two lumas over the overlap (None when the real
    has no contrast to correlate: a plain frame); ``residual``: RMS luma difference, 0-1;
    ``size``: the (width, height) compared.
    """

    correlation: float | None
    residual: float
    size: tuple[int, int]

    def same_content(self, policy: Policy) -> bool:
        if self.residual > policy.number("mode", "same_content_max_residual"):
            return False
        return self.correlation is None or self.correlation >= policy.number("mode", "same_content_min_correlation")

    def words(self) -> str:
        corr = "no contrast to correlate" if self.correlation is None else f"correlation {self.correlation:.3f}"
        return f"{corr}, residual {self.residual:.1%} at {self.size[0]}×{self.size[1]} px"


def _luma(rgb: np.ndarray) -> np.ndarray:
    x = np.asarray(rgb, np.float32)
    return x if x.ndim == 2 else x[..., :3].mean(axis=2) if x.shape[2] >= 3 else x[..., 0]


def coincidence(pair: AlignedPair) -> Coincidence | None:
    """The registered pair compared pixel for pixel at low resolution (None when the twin
    covers less than half of the real frame: too little to call it the same picture)."""
    real, twin = _luma(pair.real_work), _luma(pair.twin_work)
    h, w = real.shape
    f = min(1.0, COINCIDENCE_LONG_SIDE / max(h, w))
    size = (max(1, round(w * f)), max(1, round(h * f)))
    if f < 1.0:
        real = cv2.resize(real, size, interpolation=cv2.INTER_AREA)
        twin = cv2.resize(twin, size, interpolation=cv2.INTER_AREA)
        # a low-resolution pixel counts only where the twin covers all of it
        covered = cv2.resize(pair.overlap.astype(np.float32), size, interpolation=cv2.INTER_AREA) > 0.999
    else:
        covered = pair.overlap
    if covered.mean() < 0.5:
        return None
    a, b = real[covered].astype(np.float64), twin[covered].astype(np.float64)
    residual = float(np.sqrt(np.mean((a - b) ** 2)))
    da, db = a - a.mean(), b - b.mean()
    norm = float(np.sqrt((da * da).sum() * (db * db).sum()))
    flat = a.std() < 1 / 255  # a plain frame: nothing to correlate, only the level can agree
    correlation = None if flat else float((da * db).sum() / norm) if norm > 0 else 0.0
    return Coincidence(correlation, residual, size)


def _verified(pair: AlignedPair, policy: Policy, why_not: str) -> tuple[Mode, str]:
    """The new-shot answer ``why_not`` unless the registered pair coincides pixel for pixel."""
    found = coincidence(pair)
    if found is None:
        return Mode.NEW_SHOT, (f"{why_not}, and the twin laid over the real by that alignment covers less "
                               "than half the frame: another shot, compared person to person")
    if not found.same_content(policy):
        return Mode.NEW_SHOT, (f"{why_not}, and laid over each other by that alignment the two pictures differ "
                               f"({found.words()}): another shot, compared person to person")
    reg = pair.registration
    confidence = found.correlation if found.correlation is not None else 1.0 - found.residual
    pair.registration = dataclasses.replace(reg, confidence=max(reg.confidence, round(confidence, 3)),
                                            method=f"{reg.method}, verified pixel for pixel")
    return Mode.SAME_FRAME, (f"registered ({reg.method}) and verified: the two pictures coincide pixel for "
                             f"pixel ({found.words()})")


def decide(pair: AlignedPair, policy: Policy) -> tuple[Mode, str]:
    """The mode and, in words, what decided it."""
    reg = pair.registration
    if reg.method == "manual":
        return Mode.SAME_FRAME, "aligned by hand"
    verified = None
    if reg.inliers == 0 or reg.matches == 0:
        mode, verified = _verified(pair, policy, f"the registration found no features in common (fell back to "
                                                 f"{reg.method})")
        if mode is Mode.NEW_SHOT:
            return mode, verified
    else:
        agree = reg.inliers / reg.matches
        gain = (reg.perspective_inliers - reg.inliers) / reg.matches
        if gain > policy.number("mode", "max_perspective_gain"):
            return Mode.NEW_SHOT, (f"a perspective transform explains {reg.perspective_inliers / reg.matches:.0%} "
                                   f"of the matched features, a similarity {agree:.0%}: the camera moved")
        if reg.support < policy.number("mode", "min_support"):
            mode, verified = _verified(pair, policy, f"the features that agree ({reg.inliers} of {reg.matches} "
                                                     f"matched) span only {reg.support:.0%} of the frame")
            if mode is Mode.NEW_SHOT:
                return mode, verified
        elif agree < MIN_AGREEMENT:
            mode, verified = _verified(pair, policy, f"only {reg.inliers} of {reg.matches} matched features "
                                                     f"({agree:.0%}) agree with one alignment")
            if mode is Mode.NEW_SHOT:
                return mode, verified
    offset = face_offset(pair)
    if offset is not None and offset > policy.number("mode", "max_face_offset_iod"):
        return Mode.NEW_SHOT, (f"the registered faces do not coincide (off by {offset:.2f} of the eye "
                               "distance): the person moved")
    faces = "" if offset is None else f", faces within {offset:.3f} of the eye distance"
    if verified is not None:
        return Mode.SAME_FRAME, verified + faces
    return Mode.SAME_FRAME, (f"registered: {reg.inliers} of {reg.matches} features agree over {reg.support:.0%} "
                             f"of the frame{faces}")
