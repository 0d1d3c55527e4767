"""A new shot, measured person to person: each image's own reading, compared.

Nothing here goes through a registration. Pixel comparisons (SSIM, MS-SSIM, ΔE maps, colour
cast, regional colour) do not apply and say so; identity is read on each face; the face is
compared by proportions of each image's own mesh in 3D that expressions hardly move (eye
width, iris, nose width, jaw and face width — not the lips, brows, eye opening or face length,
which a smile or a raised brow changes), the eye width followed by optical flow into the twin's
face laid on the real's (``eye_flow.py``: the meshes' shape prior hides an enlargement),
perspective taken out when the camera distances differ; skin
tone and texture in each image's own skin mask after its own white balance, at one
face-relative scale; the garment in each image's own
garment region after its own white balance (a warning at most: another shot may show other
clothes); the body by ratios of each image's own 3D pose, only joints both images show.
Each measurement carries its uncertainty, predicted from how the two photographs were taken
(``uncertainty.py``) and judged with it (``shot_findings.py``). Limits are the policy's
``[new_shot]`` section (docs/fidelity.md, "New shots").
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from twinproof.core import colour
from twinproof.core.compare.descriptor_yardstick import identity_edit_findings
from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width
from twinproof.core.compare.readings import readings, reference_readings
from twinproof.core.compare.same_picture import distinct_references
from twinproof.core.compare.shot_findings import (
    ANOTHER_PERSON,
    Findings,
    body_findings,
    camera_distance,
    face_findings,
    skin_findings,
    texture_findings,
)
from twinproof.core.compare.talent_range import range_findings, usable
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.identity import FaceIdentity
from twinproof.core.policy import Policy
from twinproof.core.reading.face_size import too_small
from twinproof.core.result import Mode, Unmeasured, judge
from twinproof.core.result.measurements import Alignment, BodyProportions, FaceProportions, GarmentColours
from twinproof.core.result.rows import CANNOT_PREFIX

NOT_APPLICABLE = "new shot: the twin is not the same frame, so its pixels cannot be compared with the real's"
#: Why a new shot's shape and skin rows carry no verdict when the identity step fails the twin as
#: another person: they would compare two people, which says nothing about an edit (identity first).
NOT_THE_PERSON = f"{ANOTHER_PERSON}: shape is not compared"
NOT_THE_PERSONS_SKIN = f"{ANOTHER_PERSON}: skin is not compared"


def not_the_person(pair: AlignedPair, policy: Policy) -> bool:
    """Whether the two faces are farther apart than the policy's ``different_threshold`` (the
    identity step's fail, on the same descriptors and the same rounding): "cannot tell" still
    compares shape and skin."""
    real, twin = (r.identity for r in readings(pair, policy))
    if not (isinstance(real, FaceIdentity) and isinstance(twin, FaceIdentity)):
        return False
    d = round(float(np.linalg.norm(real.descriptor.astype(np.float64) - twin.descriptor)), 4)
    return d > policy.number("identity", "different_threshold")


def _not_compared(found: Findings, reason: str | None) -> Findings:
    """With ``reason``, the findings' values stay and none is judged: no flag, every row "cannot
    judge" with the reason (the identity fail is the verdict; ``blind_spots`` says it once)."""
    if reason is None:
        return found
    found.flags = []
    found.uncertainty = {path: replace(u, cannot_judge=CANNOT_PREFIX + reason, at_most_warning=None)
                         for path, u in found.uncertainty.items()}
    return found


def _why_not(real: object, twin: object, pair: AlignedPair | None = None) -> str:
    """A reading that has no value holds its reason: '<reason> in the real photograph'. Given the
    pair, a face not found in a picture too small to hold one whose shape can be read says so
    (``too_small``)."""
    if isinstance(real, str):
        return f"{too_small(real, pair.real) if pair else real} in the real photograph"
    return f"{too_small(str(twin), pair.twin) if pair else twin} in the twin"


def shot_image_step(pair: AlignedPair, policy: Policy) -> StepResult:
    """What the attempted registration found (informational), and the pixel comparisons, which
    do not apply."""
    out = StepResult()
    reg = pair.registration
    out.metrics["alignment"] = Alignment(round(reg.confidence, 3), round(pair.overlap_fraction, 4), reg.method)
    for name in ("ssim", "ms_ssim", "colour"):
        out.metrics[name] = Unmeasured(NOT_APPLICABLE, not_applicable=True)
    return out


def _keep(out: StepResult, name: str, found: Findings) -> StepResult:
    out.metrics[name] = found.metric
    out.flags.extend(found.flags)
    out.uncertainty.update(found.uncertainty)
    return out


def shot_face_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    r_read, t_read = readings(pair, policy)
    real, twin = r_read.face, t_read.face
    if isinstance(real, str) or isinstance(twin, str):
        return out.unmeasured("face", _why_not(real, twin, pair))
    method = "each photograph's own face mesh, 3D distances over the eye distance"
    eyes = _tracked_eyes(pair, policy)
    if isinstance(eyes, TrackedEyes):
        method += ("; eye width: the real's eye corners followed by optical flow into the twin's face, laid on the "
                   "real's by the two meshes")
    else:
        method += f"; eye width from each eye model's eyelids ({eyes})"
    found = face_findings(r_read, t_read, eyes.percent if isinstance(eyes, TrackedEyes) else None, policy)
    other = not_the_person(pair, policy)
    # another person's twin is not read against the talent's portraits (nor probed along her edit
    # directions: ~8 descriptor reads): nothing of it would be judged
    refs, left_out = distinct_references(pair.real, pair.twin, pair.references or []) if not other else ([], [])
    portraits = reference_readings(pair, policy, refs) if refs else []
    own = usable(portraits)
    yardstick = None
    edits: Findings | str | None = None
    if other and pair.references:
        method += f"; not judged against the talent's portraits: {ANOTHER_PERSON}"
    elif len(own) >= 3:  # the real photograph and two or more reference portraits of her
        found = range_findings(own, t_read, pair.twin.pixels, policy)
        yardstick = f"the talent's own range across {len(own)} photographs (the real one and {len(own) - 1} references)"
        method += f"; judged against {yardstick}"
        edits = identity_edit_findings([pair.real, *refs], portraits, t_read, policy, pair.twin.pixels)
        if isinstance(edits, Findings):
            found.flags.extend(edits.flags)
            found.uncertainty.update(edits.uncertainty)
            method += ("; jaw, face width and eyes also read along the talent's own edit directions in the "
                       "identity model's space")
            yardstick += "; jaw, face width and eyes also along the talent's own edit directions (identity model)"
        else:
            method += f"; the talent's identity edit directions could not be learned: {edits}"
    elif pair.references:
        yardstick = (f"the real photograph alone: {max(0, len(own) - 1)} usable reference portrait(s), two or more "
                     "are needed for the talent's own range")
    if left_out:
        not_counted = "not counted: " + "; ".join(left_out)
        yardstick = f"{yardstick}; {not_counted}"
        method += f"; {not_counted}"
    assert isinstance(found.metric, dict)
    found.metric = FaceProportions(real.iod_px, twin.iod_px, real.yaw_deg, twin.yaw_deg, found.metric, method,
                                   camera_distance(r_read, t_read), yardstick,
                                   edits.metric if isinstance(edits, Findings) else None,  # type: ignore[arg-type]
                                   max(0, len(own) - 1) if pair.references and not other else None)
    return _keep(out, "face", _not_compared(found, NOT_THE_PERSON if other else None))


def _tracked_eyes(pair: AlignedPair, policy: Policy) -> TrackedEyes | str:
    real, twin = (r.landmarks.face for r in readings(pair, policy))
    if real is None or twin is None:
        return "no face in one image"
    return tracked_eye_width(pair.real, real.points, pair.twin, twin.points)


def shot_skin_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    r_read, t_read = readings(pair, policy)
    real, twin = r_read.skin, t_read.skin
    if isinstance(real, str) or isinstance(twin, str):
        why = _why_not(real, twin, pair)
        return out.unmeasured("skin", why).unmeasured("texture", why)
    other = NOT_THE_PERSONS_SKIN if not_the_person(pair, policy) else None
    _keep(out, "skin", _not_compared(skin_findings(r_read, t_read, policy), other))
    return _keep(out, "texture", _not_compared(texture_findings(r_read, t_read, policy), other))


def _hue(lab: np.ndarray) -> float | None:
    return math.degrees(math.atan2(lab[2], lab[1])) if math.hypot(lab[1], lab[2]) > 8.0 else None


def shot_garment_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    r_read, t_read = readings(pair, policy)
    real, twin = r_read.garment, t_read.garment
    if isinstance(real, str) or isinstance(twin, str):
        return out.unmeasured("garment", _why_not(real, twin))
    de = round(float(colour.delta_e2000(real.lab, twin.lab)), 3)
    h_r, h_t = _hue(real.lab), _hue(twin.lab)
    hue: float | Unmeasured = Unmeasured("the garment is grey, black or white in one of the shots: its change is in "
                                         "the ΔE00 figure") if h_r is None or h_t is None \
        else round((h_t - h_r + 180) % 360 - 180, 2)
    out.metrics["garment"] = GarmentColours(
        real.fraction, twin.fraction, de, hue, [round(float(v), 2) for v in real.lab],
        [round(float(v), 2) for v in twin.lab], "each photograph by its own neutral pixels")
    found = [judge("garment.delta_e00_median_colour", de, policy, "garment",
                   f"garment colour differs across the shots (ΔE00 {de:.1f}): if it is the same product, "
                   "the twin changed its colour", mode=Mode.NEW_SHOT)]
    if isinstance(hue, float):
        found.append(judge("garment.hue_shift_deg", hue, policy, "garment",
                           f"garment hue differs by {hue:+.0f}° across the shots", mode=Mode.NEW_SHOT))
    flags = [f for f in found if f]
    if flags:
        out.add(flags[0])
    return out


def shot_body_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    r_read, t_read = readings(pair, policy)
    if isinstance(r_read.body, str) or isinstance(t_read.body, str):
        return out.unmeasured("body", _why_not(r_read.body, t_read.body))
    found = body_findings(r_read, t_read, policy)
    assert isinstance(found.metric, dict)
    found.metric = BodyProportions(found.metric, "each photograph's own 3D pose (the model's world landmarks)")
    return _keep(out, "body", _not_compared(found, NOT_THE_PERSON if not_the_person(pair, policy) else None))
