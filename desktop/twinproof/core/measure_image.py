"""Whole-image measurement steps: alignment quality, structure (SSIM, MS-SSIM) and colour.

Each step reads the :class:`~twinproof.core.context.AlignedPair` at the working size and
only the overlap counts, so a reframed twin is judged on what both images show.
"""

from __future__ import annotations

import numpy as np

from twinproof.core import colour, real_memo, ssim
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.policy import Policy
from twinproof.core.result import judge
from twinproof.core.result.measurements import Alignment, Colour, ColourCast, MsSsim, Ssim

SSIM_VARIANT = "luma BT.601 of sRGB-encoded values, Gaussian σ=1.5 (11 taps), data range 1"


def registration_step(pair: AlignedPair, policy: Policy) -> StepResult:
    """How far the alignment can be trusted, and how much of the frame the twin covers."""
    out = StepResult()
    reg = pair.registration
    confidence, overlap = round(reg.confidence, 3), round(pair.overlap_fraction, 4)
    out.metrics["alignment"] = Alignment(confidence, overlap, reg.method)
    out.add(
        judge("alignment.confidence", confidence, policy, "registration",
              f"alignment uncertain (confidence {confidence:.2f}, {reg.method}): check it or align by hand"),
        judge("alignment.overlap_fraction", overlap, policy, "framing",
              f"the twin covers only {overlap:.0%} of the real frame"),
    )
    return out


def structure_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    # the real's own side (its luma, local means and variances at every scale) is kept for its
    # next twin (core/real_memo.py)
    x_terms = real_memo.derived(pair.real_work, "ssim terms", lambda: ssim.pyramid_terms(ssim.luma(pair.real_work)))
    y = ssim.luma(pair.twin_work)
    value, smap, ms = ssim.ssim_and_ms_ssim(x_terms[0].x, y, pair.overlap, x_terms=x_terms)
    smap[~pair.overlap] = np.nan
    out.maps["ssim"] = smap
    w, h = pair.working_size
    if value is None:
        reason = "the aligned images do not overlap enough to measure structure"
        out.unmeasured("ssim", reason).unmeasured("ms_ssim", reason)
        out.required_missing.append("ssim")
        return out
    value = round(value, 5)
    out.metrics["ssim"] = Ssim(value, SSIM_VARIANT, (w, h))
    if ms is None:
        out.unmeasured("ms_ssim", "image too small for five scales (needs 176 px on the short side)")
    else:
        out.metrics["ms_ssim"] = MsSsim(round(ms, 5), 5, list(ssim.MS_SSIM_WEIGHTS))
    out.add(judge("ssim.value", value, policy, "image",
                  f"structure differs from the real photograph (SSIM {value:.3f})"))
    return out


def real_lab(pair: AlignedPair) -> np.ndarray:
    """The real's CIELAB at the working size: kept with the real by its first twin's colour step
    (core/real_memo.py), else made with the pair's (:func:`colour_lab`)."""
    kept = real_memo.kept(pair.real_work, "lab")
    return colour_lab(pair)[0] if kept is None else kept


def colour_lab(pair: AlignedPair) -> tuple[np.ndarray, np.ndarray]:
    """CIELAB of both working images, computed once per pair."""
    sh = pair.shared
    if sh.lab_real is None or sh.lab_twin is None:
        sh.lab_real, sh.lab_twin, _ = colour.lab_and_delta_e(pair.real_work, pair.twin_work)
    return sh.lab_real, sh.lab_twin


def colour_step(pair: AlignedPair, policy: Policy) -> StepResult:
    from twinproof.core.fidelity.landmark_step import person_mask

    out = StepResult()
    mask = pair.overlap
    if np.count_nonzero(mask) < 64:
        out.unmeasured("colour", "no overlap to compare colour in")
        out.required_missing.append("colour")
        return out
    # the real's side (its Lab, its neutral pixels) is kept for its next twin (core/real_memo.py)
    lab_r, lab_t, de = colour.lab_and_delta_e(pair.real_work, pair.twin_work,
                                              lab1=real_memo.kept(pair.real_work, "lab"))
    real_memo.keep(pair.real_work, "lab", lab_r)
    pair.shared.lab_real, pair.shared.lab_twin = lab_r, lab_t
    vals = de.reshape(-1) if mask.all() else de[mask]  # the same values in the same order
    neutral = real_memo.derived(pair.real_work, "neutral", lambda: colour.neutral_pixels(lab_r))
    cast = colour.colour_cast(lab_r, lab_t, mask, neutral)
    de_map = de.copy()
    de_map[~mask] = np.nan
    out.maps["delta_e"] = de_map
    # The policy judges colour at the scale of regions, not pixels: a per-pixel ΔE also rises
    # when an edge moves by a pixel or two, which is structure (SSIM's job), not colour. With a
    # person found, it is judged on the scene around them: skin and garment colour have their
    # own categories and must not be flagged twice.
    regional = _regional_delta_e(pair)
    judge_mask, region, scene_mean = mask, "image", None
    person = person_mask(pair)
    if person is not None:
        margin = 0.05 * max(pair.working_size)
        # the person is the real's: so is the region around it (kept for its next twin)
        near = real_memo.derived(pair.real_work, f"around person {margin}", lambda: _around(person >= 0.2, margin))
        scene = mask & ~near
        if np.count_nonzero(scene) >= 0.1 * np.count_nonzero(mask):
            judge_mask, region = scene, "scene"
            scene_mean = round(float(de[scene].mean()), 4)
    judged = round(float(regional[judge_mask].mean()), 4)
    cast_d = cast.to_dict()
    cast_m = ColourCast(**cast_d)  # type: ignore[arg-type]
    out.metrics["colour"] = Colour(
        delta_e00_mean=round(float(vals.mean()), 4), delta_e00_p95=round(float(np.percentile(vals, 95)), 4),
        cast=cast_m,
        space="CIELAB D65 from linearised sRGB; CIEDE2000 (kL=kC=kH=1)",
        delta_e00_regional=judged, judged_over=region,
        regional_sigma_px=round(_regional_sigma(pair), 2), delta_e00_mean_scene=scene_mean)
    out.add(
        judge("colour.delta_e00_regional", judged, policy, region,
              f"colours differ from the real photograph (regional ΔE00 {judged:.1f} over the {region})"),
        judge("colour.cast.magnitude", cast_m.magnitude, policy, "white balance",
              f"colour cast {_cast_words(cast)} (Δa* {cast.delta_a:+.1f}, Δb* {cast.delta_b:+.1f})"),
    )
    return out


def _around(region: np.ndarray, margin: float) -> np.ndarray:
    """``region`` grown by ``margin`` px: edits to a body (liquify) drag the background near it."""
    import cv2

    # A distance transform costs the same for any margin; a 200-px dilation kernel does not.
    outside = (~region).astype(np.uint8)
    return cv2.distanceTransform(outside, cv2.DIST_L2, 3) <= margin


def _regional_sigma(pair: AlignedPair) -> float:
    return max(2.0, 0.005 * max(pair.working_size))


def _regional_delta_e(pair: AlignedPair) -> np.ndarray:
    """ΔE2000 between the two images blurred to regions (σ = 0.5% of the long side).

    Computed on a copy shrunk 4x (area averaging, then σ/4), which a region-scale blur does not
    notice, at 1/16 of the cost, and brought back to the working size for masking.
    """
    import cv2

    s = _regional_sigma(pair)
    w, h = pair.working_size
    f = 4 if min(w, h) >= 256 else 1
    size = (max(1, w // f), max(1, h // f))
    name = f"regional {size} {s / f}"  # the real's side is kept for its next twin
    a = real_memo.derived(pair.real_work, name, lambda: cv2.GaussianBlur(
        cv2.resize(pair.real_work, size, interpolation=cv2.INTER_AREA), (0, 0), s / f))
    b = cv2.GaussianBlur(cv2.resize(pair.twin_work, size, interpolation=cv2.INTER_AREA), (0, 0), s / f)
    lab_a, _lab_b, small = colour.lab_and_delta_e(a, b, lab1=real_memo.kept(pair.real_work, f"{name} lab"))
    real_memo.keep(pair.real_work, f"{name} lab", lab_a)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _cast_words(cast: colour.ColourCast) -> str:
    parts = []
    if abs(cast.delta_b) >= 1:
        parts.append("warmer/yellower" if cast.delta_b > 0 else "cooler/bluer")
    if abs(cast.delta_a) >= 1:
        parts.append("more magenta" if cast.delta_a > 0 else "greener")
    return " and ".join(parts) or "slight"
