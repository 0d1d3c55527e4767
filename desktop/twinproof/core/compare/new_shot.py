"""A new shot, measured person to person: each image's own reading, compared.

Nothing here goes through a registration. Pixel comparisons (SSIM, MS-SSIM, ΔE maps, colour
cast, regional colour) do not apply and say so; identity is read on each face; the face is
compared by proportions of each image's own mesh in 3D that expressions hardly move (eye
width, iris, nose width, jaw and face width — not the lips, brows, eye opening or face length,
which a smile or a raised brow changes), the eye width followed by optical flow into the twin's
face laid on the real's (``eye_flow.py``: the meshes' shape prior hides an enlargement); skin
tone and texture in each image's own skin mask after its own white balance, at one
face-relative scale; the garment in each image's own
garment region after its own white balance (a warning at most: another shot may show other
clothes); the body by ratios of each image's own 3D pose, only joints both images show.
Limits are the policy's ``[new_shot]`` section, calibrated on real photographs of the same
people in different shots (docs/fidelity.md).
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core import colour
from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width
from twinproof.core.compare.readings import readings
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.policy import Policy
from twinproof.core.result import Mode, Unmeasured, judge
from twinproof.core.result.measurements import (
    Alignment,
    BodyProportions,
    Change,
    FaceProportions,
    GarmentColours,
    Skin,
    Texture,
)

NOT_APPLICABLE = "new shot: the twin is not the same frame, so its pixels cannot be compared with the real's"
WORDS = {"eye_width": ("eyes", "wider", "narrower"), "irises": ("irises", "larger", "smaller"),
         "nose_width": ("nose", "wider", "narrower"), "jaw_width": ("jaw", "wider", "narrower"),
         "face_width": ("face", "wider", "narrower"),
         "shoulder_to_hip": ("shoulders relative to hips", "wider", "narrower"),
         "torso_to_leg": ("torso relative to legs", "longer", "shorter"),
         "arm_to_torso": ("arms relative to torso", "longer", "shorter"),
         "shoulder_to_head": ("shoulders relative to head", "wider", "narrower")}


def _change(name: str, real: float, twin: float) -> Change:
    label, grow, shrink = WORDS[name]
    pct = 100.0 * (twin / real - 1.0)
    return Change(round(pct, 2), f"{label} {abs(pct):.0f}% {grow if pct >= 0 else shrink}")


def _why_not(real: object, twin: object) -> str:
    """A reading that has no value holds its reason: '<reason> in the real photograph'."""
    return f"{real} in the real photograph" if isinstance(real, str) else f"{twin} in the twin"


def shot_image_step(pair: AlignedPair, policy: Policy) -> StepResult:
    """What the attempted registration found (informational), and the pixel comparisons, which
    do not apply."""
    out = StepResult()
    reg = pair.registration
    out.metrics["alignment"] = Alignment(round(reg.confidence, 3), round(pair.overlap_fraction, 4), reg.method)
    for name in ("ssim", "ms_ssim", "colour"):
        out.metrics[name] = Unmeasured(NOT_APPLICABLE, not_applicable=True)
    return out


def shot_face_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    real, twin = (r.face for r in readings(pair, policy))
    if isinstance(real, str) or isinstance(twin, str):
        return out.unmeasured("face", _why_not(real, twin))
    changes: dict[str, Change | Unmeasured] = {}
    for name in ("eye_width", "irises", "nose_width", "jaw_width", "face_width"):
        if name in real.ratios and name in twin.ratios:
            changes[name] = _change(name, real.ratios[name], twin.ratios[name])
        else:
            changes[name] = Unmeasured("the irises are too small in one image to size")
    method = "each photograph's own face mesh, 3D distances over the eye distance"
    eyes = _tracked_eyes(pair, policy)
    if isinstance(eyes, TrackedEyes):
        label, grow, shrink = WORDS["eye_width"]
        word = grow if eyes.percent >= 0 else shrink
        changes["eye_width"] = Change(eyes.percent, f"{label} {abs(eyes.percent):.0f}% {word}")
        method += ("; eye width: the real's eye corners followed by optical flow into the twin's face, laid on the "
                   "real's by the two meshes")
    else:
        method += f"; eye width from each eye model's eyelids ({eyes})"
    out.metrics["face"] = FaceProportions(real.iod_px, twin.iod_px, real.yaw_deg, twin.yaw_deg, changes, method)
    for name, ch in changes.items():
        if isinstance(ch, Change):
            out.add(judge(f"face.proportions.{name}.percent", ch.percent, policy, name.split("_")[0], ch.text,
                          mode=Mode.NEW_SHOT))
    return out


def _tracked_eyes(pair: AlignedPair, policy: Policy) -> TrackedEyes | str:
    real, twin = (r.landmarks.face for r in readings(pair, policy))
    if real is None or twin is None:
        return "no face in one image"
    return tracked_eye_width(pair.real.pixels, real.points, pair.twin.pixels, twin.points)


def shot_skin_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    r_read, t_read = readings(pair, policy)
    real, twin = r_read.skin, t_read.skin
    if isinstance(real, str) or isinstance(twin, str):
        return out.unmeasured("skin", _why_not(real, twin)).unmeasured("texture", _why_not(real, twin))
    ita_r, ita_t = colour.ita_degrees(real.lab[0], real.lab[2]), colour.ita_degrees(twin.lab[0], twin.lab[2])
    de = round(float(colour.delta_e2000(real.lab, twin.lab)), 3)
    d_ita = round(ita_t - ita_r, 2)
    how = f"each photograph by its own neutral pixels (real: {r_read.white_balance}; twin: {t_read.white_balance})"
    skin = Skin(min(real.pixels, twin.pixels), [round(float(v), 2) for v in real.lab],
                [round(float(v), 2) for v in twin.lab], [round(float(v), 2) for v in twin.lab_as_shot],
                de, round(float(twin.lab[0] - real.lab[0]), 3), round(ita_r, 2), round(ita_t, 2), d_ita,
                colour.ita_class(ita_r), colour.ita_class(ita_t), how)
    out.metrics["skin"] = skin
    lighter = "lighter" if d_ita > 0 else "darker"
    found = [f for f in (
        judge("skin.ita_change", d_ita, policy, "face",
              f"skin {abs(d_ita):.1f}° ITA {lighter} ({skin.ita_class_real} → {skin.ita_class_twin}) across the shots",
              mode=Mode.NEW_SHOT),
        judge("skin.delta_e00", de, policy, "face", f"skin colour differs across the shots (ΔE00 {de:.1f})",
              mode=Mode.NEW_SHOT)) if f]
    if found:
        out.add(max(found, key=lambda f: f.severity == "fail"))
    if real.texture < 1e-7:
        out.unmeasured("texture", "the real skin shows no fine detail to compare")
        return out
    ratio = round(math.sqrt(twin.texture / real.texture), 4)
    out.metrics["texture"] = Texture(ratio, 1.0, 0.0, min(real.pixels, twin.pixels))
    out.add(judge("texture.ratio", ratio, policy, "face",
                  f"skin detail at {ratio:.0%} of the real photograph's (smoothed / airbrushed)", mode=Mode.NEW_SHOT))
    return out


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
    real, twin = (r.body for r in readings(pair, policy))
    if isinstance(real, str) or isinstance(twin, str):
        return out.unmeasured("body", _why_not(real, twin))
    changes: dict[str, Change | Unmeasured] = {}
    for name, r in real.items():
        t = twin.get(name)
        if isinstance(r, float) and isinstance(t, float) and r > 0:
            changes[name] = _change(name, r, t)
        else:
            changes[name] = Unmeasured(str(r if isinstance(r, str) else t) + " in one of the shots")
    out.metrics["body"] = BodyProportions(changes, "each photograph's own 3D pose (the model's world landmarks)")
    for name, ch in changes.items():
        if isinstance(ch, Change):
            out.add(judge(f"body.proportions.{name}.percent", ch.percent, policy, name, ch.text, mode=Mode.NEW_SHOT))
    return out
