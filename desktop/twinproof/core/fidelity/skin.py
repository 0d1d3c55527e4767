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

import cv2
import numpy as np

from twinproof.core import colour
from twinproof.core.analysis import AlignedPair, Measurement, StepResult
from twinproof.core.fidelity import whitebalance
from twinproof.core.fidelity.crops import PairCrop
from twinproof.core.fidelity.face_metrics import EYE_OUTER, MIN_IOD_PX, face_crop
from twinproof.core.fidelity.landmark_step import pair_landmarks
from twinproof.core.flags import bounding_box, check_above, check_below
from twinproof.core.landmarks import topology as topo
from twinproof.core.policy import Policy

MIN_SKIN_PIXELS = 200


def skin_mask(crop: PairCrop, mesh: np.ndarray, iod: float) -> np.ndarray:
    """Boolean skin mask in crop pixels from the real face mesh."""
    h, w = crop.real.shape[:2]
    pts = crop.to_crop(mesh)
    m = np.zeros((h, w), np.uint8)
    cv2.fillPoly(m, [np.round(pts[list(topo.FACE_OVAL)]).astype(np.int32)], 1)
    holes = np.zeros_like(m)
    brows = [topo.RIGHT_EYEBROW[0] + topo.RIGHT_EYEBROW[1][::-1], topo.LEFT_EYEBROW[0] + topo.LEFT_EYEBROW[1][::-1]]
    for poly in (topo.RIGHT_EYE, topo.LEFT_EYE, topo.LIPS_OUTER, *brows):
        cv2.fillPoly(holes, [np.round(pts[list(poly)]).astype(np.int32)], 1)
    grow = max(1, round(0.06 * iod * crop.scale))
    grown = cv2.dilate(holes, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    shrink = max(1, round(0.05 * iod * crop.scale))
    inner = cv2.erode(m, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * shrink + 1, 2 * shrink + 1)))
    return np.asarray((inner > 0) & (grown == 0) & crop.valid)


def _skin_inputs(pair: AlignedPair) -> tuple[PairCrop, np.ndarray, float] | str:
    lm = pair_landmarks(pair)
    if lm.real.face is None:
        return f"{lm.real.face_reason or 'no face'} in the real photograph"
    if lm.twin.face is None:
        return f"{lm.twin.face_reason or 'no face'} in the twin"
    mesh = lm.real.face.points
    iod = float(np.linalg.norm(mesh[EYE_OUTER[0], :2] - mesh[EYE_OUTER[1], :2]))
    if iod < MIN_IOD_PX:
        return f"face too small to measure skin (eyes {iod:.0f} px apart)"
    crop = face_crop(pair, mesh, iod)
    mask = pair.cache.get("skin_mask")
    if mask is None:
        mask = skin_mask(crop, mesh, iod)
        pair.cache["skin_mask"] = mask
    if int(mask.sum()) < MIN_SKIN_PIXELS:
        return "too little visible skin on the face to measure"
    return crop, mask, iod


def skin_tone_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    got = _skin_inputs(pair)
    if isinstance(got, str):
        out.measurements.append(Measurement("skin", None, got))
        return out
    crop, mask, _ = got
    g, how = whitebalance.gains(pair)
    lab_r = np.median(colour.srgb_to_lab(crop.real[mask]), axis=0)
    lab_raw = np.median(colour.srgb_to_lab(crop.twin[mask]), axis=0)
    lab_t = np.median(colour.srgb_to_lab(whitebalance.corrected(crop.twin[mask], g)), axis=0)
    pair.cache["skin_lab_real"] = lab_r
    ita_r, ita_t = colour.ita_degrees(lab_r[0], lab_r[2]), colour.ita_degrees(lab_t[0], lab_t[2])
    de = float(colour.delta_e2000(lab_r, lab_t))
    d_ita = ita_t - ita_r
    value = {
        "pixels": int(mask.sum()),
        "real_lab": [round(float(v), 2) for v in lab_r],
        "twin_lab": [round(float(v), 2) for v in lab_t],
        "twin_lab_uncorrected": [round(float(v), 2) for v in lab_raw],
        "delta_e00": round(de, 3),
        "delta_L": round(float(lab_t[0] - lab_r[0]), 3),
        "ita_real": round(ita_r, 2), "ita_twin": round(ita_t, 2), "ita_change": round(d_ita, 2),
        "ita_class_real": colour.ita_class(ita_r), "ita_class_twin": colour.ita_class(ita_t),
        "cast_correction": how,
    }
    out.measurements.append(Measurement("skin", value))
    lighter = "lighter" if d_ita > 0 else "darker"
    f1 = check_above("skin_tone", "face", abs(d_ita), policy.number("skin", "ita_change_warn_deg"),
                     policy.number("skin", "ita_change_fail_deg"),
                     f"skin {abs(d_ita):.1f}° ITA {lighter} ({value['ita_class_real']} → {value['ita_class_twin']})")
    f2 = check_above("skin_tone", "face", de, policy.number("skin", "delta_e00_warn"),
                     policy.number("skin", "delta_e00_fail"), f"skin colour changed (ΔE00 {de:.1f})")
    # One flag per region: the more severe of the two (ITA first on a tie: it names the direction).
    found = [f for f in (f1, f2) if f]
    if found:
        out.flags.append(max(found, key=lambda f: f.severity == "fail").located(_face_box(pair)))
    return out


def _band_energy(rgb: np.ndarray, mask: np.ndarray, sigma: float) -> float:
    y = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
    band = cv2.GaussianBlur(y, (0, 0), sigma) - cv2.GaussianBlur(y, (0, 0), 2 * sigma)
    return float(np.mean(band[mask].astype(np.float64) ** 2))


def texture_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    got = _skin_inputs(pair)
    if isinstance(got, str):
        out.measurements.append(Measurement("texture", None, got))
        return out
    crop, mask, _ = got
    sigma = max(1.0, 0.8 * crop.scale)
    e_r = _band_energy(crop.real, mask, sigma)
    e_t = _band_energy(crop.twin, mask, sigma)
    if e_r < 1e-7:
        out.measurements.append(Measurement("texture", None, "the real skin shows no fine detail to compare"))
        return out
    ratio = float(np.sqrt(e_t / e_r))
    out.measurements.append(Measurement("texture", {
        "ratio": round(ratio, 4), "sigma_crop_px": round(sigma, 2),
        "sigma_source_px": round(sigma / crop.scale, 2), "pixels": int(mask.sum()),
    }))
    f = check_below("skin_texture", "face", ratio, policy.number("texture", "ratio_warn"),
                    policy.number("texture", "ratio_fail"),
                    f"skin detail at {ratio:.0%} of the real photograph's (smoothed / airbrushed)")
    if f:
        out.flags.append(f.located(_face_box(pair)))
    return out


def _face_box(pair: AlignedPair) -> tuple[float, float, float, float] | None:
    face = pair_landmarks(pair).real.face
    return None if face is None else bounding_box(face.points[list(topo.FACE_OVAL), :2])
