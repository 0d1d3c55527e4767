"""Whole-image measurement steps: alignment quality, structure (SSIM, MS-SSIM) and colour.

Each step reads the :class:`~twinproof.core.analysis.AlignedPair` at the working size and
only the overlap counts, so a reframed twin is judged on what both images show.
"""

from __future__ import annotations

import numpy as np

from twinproof.core import colour, ssim
from twinproof.core.analysis import AlignedPair, Measurement, StepResult
from twinproof.core.flags import Flag, check_above, check_below
from twinproof.core.policy import Policy

SSIM_VARIANT = "luma BT.601 of sRGB-encoded values, Gaussian σ=1.5 (11 taps), data range 1"


def registration_step(pair: AlignedPair, policy: Policy) -> StepResult:
    """Flag an alignment the reviewer should check, and a twin that hides part of the frame."""
    out = StepResult()
    reg = pair.registration
    min_conf = policy.number("registration", "min_confidence")
    if reg.confidence < min_conf:
        out.flags.append(Flag(
            "structure", "registration", "warn", reg.confidence, min_conf,
            f"alignment uncertain (confidence {reg.confidence:.2f}, {reg.method}): "
            "check it or align by hand",
        ))
    min_overlap = policy.number("registration", "min_overlap_warn")
    if pair.overlap_fraction < min_overlap:
        out.flags.append(Flag(
            "structure", "framing", "warn", pair.overlap_fraction, min_overlap,
            f"the twin covers only {pair.overlap_fraction:.0%} of the real frame",
        ))
    return out


def structure_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    x = ssim.luma(pair.real_work)
    y = ssim.luma(pair.twin_work)
    value, smap = ssim.ssim(x, y, pair.overlap)
    smap[~pair.overlap] = np.nan
    out.maps["ssim"] = smap
    w, h = pair.working_size
    if value is None:
        reason = "the aligned images do not overlap enough to measure structure"
        out.measurements.append(Measurement("ssim", None, reason))
        out.measurements.append(Measurement("ms_ssim", None, reason))
        out.required_missing.append("ssim")
        return out
    out.measurements.append(Measurement("ssim", {
        "value": round(value, 5),
        "variant": SSIM_VARIANT,
        "working_size": [w, h],
    }))
    ms = ssim.ms_ssim(x, y, pair.overlap)
    if ms is None:
        out.measurements.append(Measurement(
            "ms_ssim", None, "image too small for five scales (needs 176 px on the short side)"))
    else:
        out.measurements.append(Measurement("ms_ssim", {
            "value": round(ms, 5), "scales": 5, "weights": list(ssim.MS_SSIM_WEIGHTS)}))
    flag = check_below(
        "structure", "image", value,
        policy.number("structure", "ssim_warn"), policy.number("structure", "ssim_fail"),
        f"structure differs from the real photograph (SSIM {value:.3f})",
    )
    if flag:
        out.flags.append(flag)
    return out


def colour_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    mask = pair.overlap
    if mask.sum() < 64:
        out.measurements.append(Measurement("colour", None, "no overlap to compare colour in"))
        out.required_missing.append("colour")
        return out
    lab_r, lab_t, de = colour.lab_and_delta_e(pair.real_work, pair.twin_work)
    pair.cache["lab_real"] = lab_r
    pair.cache["lab_twin"] = lab_t
    vals = de[mask]
    mean = float(vals.mean())
    p95 = float(np.percentile(vals, 95))
    cast = colour.colour_cast(lab_r, lab_t, mask)
    de_map = de.copy()
    de_map[~mask] = np.nan
    out.maps["delta_e"] = de_map
    value: dict[str, object] = {
        "delta_e00_mean": round(mean, 4),
        "delta_e00_p95": round(p95, 4),
        "cast": cast.to_dict(),
        "space": "CIELAB D65 from linearised sRGB; CIEDE2000 (kL=kC=kH=1)",
    }
    # The policy judges colour at the scale of regions, not pixels: a per-pixel ΔE also rises
    # when an edge moves by a pixel or two, which is structure (SSIM's job), not colour. With a
    # person found, it is judged on the scene around them: skin and garment colour have their
    # own categories and must not be flagged twice.
    regional = _regional_delta_e(pair)
    judge_mask, region = mask, "image"
    person = pair.cache.get("person_mask")
    if person is not None:
        scene = mask & ~_around(person >= 0.2, 0.05 * max(pair.working_size))
        if scene.sum() >= 0.1 * mask.sum():
            judge_mask, region = scene, "scene"
            value["delta_e00_mean_scene"] = round(float(de[scene].mean()), 4)
    judged = float(regional[judge_mask].mean())
    value["delta_e00_regional"] = round(judged, 4)
    value["regional_sigma_px"] = round(_regional_sigma(pair), 2)
    out.measurements.append(Measurement("colour", value))
    f1 = check_above(
        "colour", region, judged,
        policy.number("colour", "delta_e00_regional_warn"),
        policy.number("colour", "delta_e00_regional_fail"),
        f"colours differ from the real photograph (regional ΔE00 {judged:.1f} over the {region})",
    )
    f2 = check_above(
        "colour", "white balance", cast.magnitude,
        policy.number("colour", "cast_warn"), policy.number("colour", "cast_fail"),
        f"colour cast {_cast_words(cast)} (Δa* {cast.delta_a:+.1f}, Δb* {cast.delta_b:+.1f})",
    )
    out.flags.extend(f for f in (f1, f2) if f)
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
    a = cv2.GaussianBlur(cv2.resize(pair.real_work, size, interpolation=cv2.INTER_AREA), (0, 0), s / f)
    b = cv2.GaussianBlur(cv2.resize(pair.twin_work, size, interpolation=cv2.INTER_AREA), (0, 0), s / f)
    small = colour.lab_and_delta_e(a, b)[2]
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _cast_words(cast: colour.ColourCast) -> str:
    parts = []
    if abs(cast.delta_b) >= 1:
        parts.append("warmer/yellower" if cast.delta_b > 0 else "cooler/bluer")
    if abs(cast.delta_a) >= 1:
        parts.append("more magenta" if cast.delta_a > 0 else "greener")
    return " and ".join(parts) or "slight"
