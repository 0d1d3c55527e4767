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

from dataclasses import replace

import numpy as np

from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.identity import FaceIdentity, distance
from twinproof.core.identity import Unmeasured as NoIdentity
from twinproof.core.identity.likeness import TalentReferences, call, likeness
from twinproof.core.policy import Policy
from twinproof.core.reading.face_size import too_small
from twinproof.core.reading.read import identity_of
from twinproof.core.result import Unmeasured, judge
from twinproof.core.result.measurements import Chip, Identity, TalentLikeness


def _chip(face: FaceIdentity) -> Chip:
    c = face.chip
    return Chip(round(c.face_size_px, 1), round(c.yaw_deg, 1),
                np.round(c.chip_to_image, 6).tolist())


#: A reference descriptor this near the twin's is the twin's own picture: the same pixels read by
#: the same pipeline give the same descriptor (0.0 measured), and re-encoding alone moves it
#: 0.026–0.087 (JPEG q70, docs/fidelity.md "Known answers").
SAME_PICTURE = 1e-3


def talent_likeness(twin: FaceIdentity, refs: TalentReferences, same: float,
                    different: float) -> TalentLikeness | Unmeasured:
    """The twin against the talent's reference portraits, not counting a portrait that is the
    twin's own picture (its descriptor is the twin's): the twin against itself says nothing of the
    talent, and would pass it as "the same person" whoever it is. The result's words say so."""
    others = tuple(d for d in refs.descriptors if distance(twin.descriptor, d) > SAME_PICTURE)
    own = len(refs.descriptors) - len(others)
    if not own:
        found = likeness(twin, refs, same, different)
        return Unmeasured(found) if isinstance(found, str) else found
    kept = TalentReferences(refs.name, others, refs.model)
    why = (f"{own} of {refs.name}'s reference portraits not counted: the twin's own picture (its face reads "
           "exactly as the twin's), so the twin would be judged against itself")
    if not kept.descriptors:
        return Unmeasured(f"{why}; {refs.name} has no other reference portrait on record: add portraits of "
                          f"{refs.name} that are not the twin")
    found = likeness(twin, kept, same, different)
    return Unmeasured(f"{found}; {why}") if isinstance(found, str) else replace(found, text=f"{found.text}; {why}")


def identity_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    lm = pair_landmarks(pair)
    min_px = policy.number("identity", "min_face_px")
    real = identity_of(pair.real, lm.real.face, min_px)  # once per file: a new shot's readings share it
    twin = identity_of(pair.twin, lm.twin.face, min_px)
    if isinstance(real, NoIdentity) or isinstance(twin, NoIdentity):
        which, why, image = ("real photograph", real, pair.real) if isinstance(real, NoIdentity) \
            else ("twin", twin, pair.twin)
        assert isinstance(why, NoIdentity)
        return out.unmeasured("identity", f"{too_small(why.reason, image, min_px, 'identify')} in the {which}")
    same, different = policy.number("identity", "threshold"), policy.number("identity", "different_threshold")
    d = round(float(np.linalg.norm(real.descriptor.astype(np.float64) - twin.descriptor)), 4)
    talent = None if pair.talent is None else talent_likeness(twin, pair.talent, same, different)
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
