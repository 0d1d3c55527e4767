"""Skin tone and skin texture inside a skin mask drawn from the face mesh.

Mask: the face oval minus the eyes, brows and lips (each grown a little), eroded away from the
hairline and background; measured in the face crop (eyes 160 px apart, from full resolution).

- **Tone**: median CIELAB of real and (cast-corrected, see ``whitebalance.py``) twin skin;
  ΔE2000 between them and the Individual Typology Angle ITA° = atan((L* − 50)/b*) of each, with
  its dermatological class (very light > 55° … dark < −30°). Lightening raises ITA.
- **Texture** (retouching): band-pass (difference of Gaussians) energy of luma in the mask,
  at a scale tied to the face (σ = max(1 crop px, 0.8 source px), i.e. pores and fine lines),
  reported as twin ÷ real amplitude. Airbrushing drives it well below 1; noise or grain added by
  a generator pushes it above 1, which is not flagged.
"""

from __future__ import annotations

import numpy as np

from twinproof.core import colour
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity import whitebalance
from twinproof.core.fidelity.crops import PairCrop
from twinproof.core.fidelity.face_metrics import EYE_OUTER, MIN_IOD_PX, face_crop
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.flags import bounding_box
from twinproof.core.landmarks import topology as topo
from twinproof.core.policy import Policy
from twinproof.core.reading.face_size import too_small
from twinproof.core.reading.skin_pixels import band_energy, skin_mask
from twinproof.core.result import Unmeasured, judge
from twinproof.core.result.measurements import Skin, Texture
from twinproof.core.result.types import SEVERITY_RANK

MIN_SKIN_PIXELS = 200


def _skin_inputs(pair: AlignedPair) -> tuple[PairCrop, np.ndarray, float] | str:
    lm = pair_landmarks(pair)
    if lm.real.face is None:
        return f"{too_small(lm.real.face_reason or 'no face', pair.real)} in the real photograph"
    if lm.twin.face is None:
        return f"{too_small(lm.twin.face_reason or 'no face', pair.twin)} in the twin"
    mesh = lm.real.face.points
    iod = float(np.linalg.norm(mesh[EYE_OUTER[0], :2] - mesh[EYE_OUTER[1], :2]))
    if iod < MIN_IOD_PX:
        return f"face too small to measure skin (eyes {iod:.0f} px apart)"
    crop = face_crop(pair, mesh, iod)
    if pair.shared.skin_mask is None:
        pair.shared.skin_mask = skin_mask(crop, mesh, iod)
    mask = pair.shared.skin_mask
    if int(mask.sum()) < MIN_SKIN_PIXELS:
        return "too little visible skin on the face to measure"
    return crop, mask, iod


def real_skin_lab(pair: AlignedPair) -> np.ndarray | None:
    """The real photograph's median skin colour (CIELAB), or None without a measurable face:
    the garment step keeps skin-coloured arms and neck out of the garment with it."""
    if pair.shared.skin_lab_real is None:
        got = _skin_inputs(pair)
        if isinstance(got, str):
            return None
        crop, mask, _ = got
        pair.shared.skin_lab_real = np.median(colour.srgb_to_lab(crop.real[mask]), axis=0)
    return pair.shared.skin_lab_real


def skin_tone_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    got = _skin_inputs(pair)
    if isinstance(got, str):
        return out.unmeasured("skin", got)
    crop, mask, _ = got
    g, how = whitebalance.gains(pair)
    lab_r = real_skin_lab(pair)
    assert lab_r is not None
    lab_raw = np.median(colour.srgb_to_lab(crop.twin[mask]), axis=0)
    lab_t = np.median(colour.srgb_to_lab(whitebalance.corrected(crop.twin[mask], g)), axis=0)
    ita_r, ita_t = colour.ita_degrees(lab_r[0], lab_r[2]), colour.ita_degrees(lab_t[0], lab_t[2])
    de = round(float(colour.delta_e2000(lab_r, lab_t)), 3)
    conditioned = colour.ita_change(lab_r, lab_t)  # none where b* is too low, none past 90°
    d_ita: float | Unmeasured = round(conditioned, 2) if isinstance(conditioned, float) else Unmeasured(conditioned)
    skin = Skin(
        pixels=int(mask.sum()),
        real_lab=[round(float(v), 2) for v in lab_r],
        twin_lab=[round(float(v), 2) for v in lab_t],
        twin_lab_uncorrected=[round(float(v), 2) for v in lab_raw],
        delta_e00=de, delta_L=round(float(lab_t[0] - lab_r[0]), 3),
        ita_real=round(ita_r, 2), ita_twin=round(ita_t, 2), ita_change=d_ita,
        ita_class_real=colour.ita_class(ita_r), ita_class_twin=colour.ita_class(ita_t),
        cast_correction=how,
    )
    out.metrics["skin"] = skin
    found = [f for f in (
        judge("skin.ita_change", d_ita, policy, "face",
              f"skin {abs(d_ita):.1f}° ITA {'lighter' if d_ita > 0 else 'darker'} "
              f"({skin.ita_class_real} → {skin.ita_class_twin})") if isinstance(d_ita, float) else None,
        judge("skin.delta_e00", de, policy, "face", f"skin colour changed (ΔE00 {de:.1f})")) if f]
    # One flag per region: the more severe of the two (ITA first on a tie: it names the direction).
    if found:
        out.add(max(found, key=lambda f: SEVERITY_RANK[f.severity]).located(_face_box(pair)))
    return out


def texture_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    got = _skin_inputs(pair)
    if isinstance(got, str):
        return out.unmeasured("texture", got)
    crop, mask, _ = got
    sigma = max(1.0, 0.8 * crop.scale)
    e_r = band_energy(crop.real, mask, sigma)
    e_t = band_energy(crop.twin, mask, sigma)
    if e_r < 1e-7:
        return out.unmeasured("texture", "the real skin shows no fine detail to compare")
    ratio = round(float(np.sqrt(e_t / e_r)), 4)
    out.metrics["texture"] = Texture(ratio, round(sigma, 2), round(sigma / crop.scale, 2), int(mask.sum()))
    f = judge("texture.ratio", ratio, policy, "face",
              f"skin detail at {ratio:.0%} of the real photograph's (smoothed / airbrushed)")
    out.add(f.located(_face_box(pair)) if f else None)
    return out


def _face_box(pair: AlignedPair) -> tuple[float, float, float, float] | None:
    face = pair_landmarks(pair).real.face
    return None if face is None else bounding_box(face.points[list(topo.FACE_OVAL), :2])
