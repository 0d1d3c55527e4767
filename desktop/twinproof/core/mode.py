"""Same frame or new shot: can the twin be laid over the real photograph at all?

A twin is often not a retouched copy but a new shot of the person (another pose, light,
framing). Measuring it through a registration that does not exist gives confident nonsense
("skin 156° darker"), so the mode is decided first, from what the registration found:

- the matched features that agree must span a fair share of the frame (``min_support``): two
  shots of one person can match on the face alone (≤ 8 % of the frame on shared/faces), a
  retouched copy matches all over (≥ 43 % on the sample and the manipulation tests);
- a perspective transform must not explain the matches much better than the similarity does
  (``max_perspective_gain``): the camera moved (a 2-6 % keystone), and a similarity would
  misplace every pixel comparison;
- the two faces, once registered, must coincide (``max_face_offset_iod``): a person who moved
  in an otherwise unchanged scene is compared person to person.

The thresholds are in the policy's ``[mode]`` section, calibrated in docs/fidelity.md.
"""

from __future__ import annotations

import numpy as np

from twinproof.core.context import AlignedPair
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
    iod = float(np.linalg.norm(real[33] - real[263]))
    if iod <= 0:
        return None
    return float(np.linalg.norm(lm.twin_face[:, :2] - real, axis=1).mean() / iod)


def decide(pair: AlignedPair, policy: Policy) -> tuple[Mode, str]:
    """The mode and, in words, what decided it."""
    reg = pair.registration
    if reg.method == "manual":
        return Mode.SAME_FRAME, "aligned by hand"
    if reg.inliers == 0 or reg.matches == 0:
        return Mode.NEW_SHOT, (f"no features of the two pictures agree ({reg.method}): another shot, "
                               "compared person to person")
    agree = reg.inliers / reg.matches
    gain = (reg.perspective_inliers - reg.inliers) / reg.matches
    if gain > policy.number("mode", "max_perspective_gain"):
        return Mode.NEW_SHOT, (f"a perspective transform explains {reg.perspective_inliers / reg.matches:.0%} of "
                               f"the matched features, a similarity {agree:.0%}: the camera moved")
    if reg.support < policy.number("mode", "min_support"):
        return Mode.NEW_SHOT, (f"only {reg.inliers} of {reg.matches} matched features agree, and only over "
                               f"{reg.support:.0%} of the frame: another shot")
    offset = face_offset(pair)
    if offset is not None and offset > policy.number("mode", "max_face_offset_iod"):
        return Mode.NEW_SHOT, (f"the registered faces do not coincide (off by {offset:.2f} of the eye "
                               "distance): the person moved")
    faces = "" if offset is None else f", faces within {offset:.3f} of the eye distance"
    return Mode.SAME_FRAME, (f"registered: {reg.inliers} of {reg.matches} features agree over {reg.support:.0%} "
                             f"of the frame{faces}")
