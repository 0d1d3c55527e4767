"""Identity: is the twin still the person in the real photograph, and the talent it is linked to?

Each face is read on its own (its chip cut from TwinProof's face mesh, dlib's ResNet descriptor
in ONNX: ``core.identity``), so identity needs no registration and means the same for a
retouched copy and for a new shot. The distance is judged by the policy's two ``[identity]``
lines, each chosen for a stated error rate on real labelled photographs (docs/fidelity.md,
"Identity"): at or below ``threshold`` the same person, above ``different_threshold`` not the
same person, between them the photographs cannot tell (a warning, never "same person"). Faces
too small to trust are ``null`` with the size that would be needed.
"""

from __future__ import annotations

import numpy as np

from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.identity import FaceIdentity
from twinproof.core.identity import Unmeasured as NoIdentity
from twinproof.core.identity.likeness import call, likeness
from twinproof.core.policy import Policy
from twinproof.core.reading.read import identity_of
from twinproof.core.result import Unmeasured, judge
from twinproof.core.result.measurements import Chip, Identity, TalentLikeness


def _chip(face: FaceIdentity) -> Chip:
    c = face.chip
    return Chip(round(c.face_size_px, 1), round(c.yaw_deg, 1),
                np.round(c.chip_to_image, 6).tolist())


def identity_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    lm = pair_landmarks(pair)
    min_px = policy.number("identity", "min_face_px")
    real = identity_of(pair.real, lm.real.face, min_px)  # once per file: a new shot's readings share it
    twin = identity_of(pair.twin, lm.twin.face, min_px)
    if isinstance(real, NoIdentity) or isinstance(twin, NoIdentity):
        which, why = ("real photograph", real) if isinstance(real, NoIdentity) else ("twin", twin)
        assert isinstance(why, NoIdentity)
        return out.unmeasured("identity", f"{why.reason} in the {which}")
    same, different = policy.number("identity", "threshold"), policy.number("identity", "different_threshold")
    d = round(float(np.linalg.norm(real.descriptor.astype(np.float64) - twin.descriptor)), 4)
    talent: TalentLikeness | Unmeasured | None = None
    if pair.talent is not None:
        found = likeness(twin, pair.talent, same, different)
        talent = Unmeasured(found) if isinstance(found, str) else found
    answer = call(d, same, different)
    out.metrics["identity"] = Identity(d, d <= same, same, same, real.model, _chip(real), _chip(twin),
                                       talent, different, answer)
    if d > different:
        words = f"twin is not the same person: identity distance {d:.2f}, above {different:g}"
    else:
        words = (f"cannot tell whether the twin is the same person: identity distance {d:.2f}, between "
                 f"the same person (up to {same:g}) and another (above {different:g})")
    out.add(judge("identity.distance", d, policy, "face", words))
    if isinstance(talent, TalentLikeness):
        out.add(judge("identity.talent.nearest", talent.nearest, policy, "talent",
                      f"likeness: {talent.text}"))
    return out
