"""Garment colour: is the product the colour it really is?

Region: the real image's person mask (from the body model) minus the head and hair (the face
mesh's box grown upwards and sideways), minus skin-coloured pixels (within ΔE 14 of the face's
median skin colour — arms, hands, neck), eroded away from the background. Compared with the
aligned twin after taking out any global cast (``whitebalance.py``), so a recoloured product
is caught even when the person and the light are unchanged, and a cast is not flagged twice.

Reported: ΔE2000 between the garment's median colours (what the product "is"; this is what
the policy limits, because a per-pixel difference also rises when the body or the folds move a
little, which is a shape change, not a colour change), the per-pixel ΔE2000 mean and 95th
percentile, and the hue shift (chroma-weighted circular mean of the per-pixel hue-angle
difference, degrees; + is counter-clockwise in a*b*), which a recolour moves and a small
displacement within one fabric does not.
"""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core import colour, real_memo
from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity import whitebalance
from twinproof.core.fidelity.landmark_step import pair_landmarks, person_mask
from twinproof.core.fidelity.skin import real_skin_lab
from twinproof.core.flags import bounding_box
from twinproof.core.measure_image import real_lab
from twinproof.core.policy import Policy
from twinproof.core.result import Unmeasured, judge
from twinproof.core.result.measurements import Garment
from twinproof.core.result.types import SEVERITY_RANK

GREY = ("the garment is grey, black or white (too little colour for a hue): "
        "its change is in the ΔE00 figures")

MIN_FRACTION = 0.01
SKIN_DE76 = 14.0
MIN_CHROMA_FOR_HUE = 8.0
MAX_SAMPLES = 250_000


def garment_mask(pair: AlignedPair) -> np.ndarray | str:
    """Boolean garment region at the working size, or the reason there is none."""
    if pair.shared.garment_mask is not None:
        return pair.shared.garment_mask
    person = person_mask(pair)
    if person is None:
        lm = pair_landmarks(pair)
        return f"no person found in the real photograph ({lm.real.body_reason or 'no body'})"
    skin = real_skin_lab(pair)
    # the real's own part is made once for its five twins (core/real_memo.py); an erosion of an
    # intersection is the intersection of the erosions, so the twin's overlap is eroded apart
    name = "garment" if skin is None else f"garment skin {skin.astype(np.float64).tobytes().hex()}"
    region = real_memo.derived(pair.real_work, name, lambda: _real_garment(pair, person, skin))
    if not pair.overlap.all():
        region = region & (cv2.erode(pair.overlap.astype(np.uint8), ERODE) > 0)
    if region.mean() < MIN_FRACTION:
        return "the garment region is too small to measure (under 1% of the frame)"
    pair.shared.garment_mask = region
    return region


ERODE = np.ones((9, 9), np.uint8)


def _real_garment(pair: AlignedPair, person: np.ndarray, skin: np.ndarray | None) -> np.ndarray:
    """The real photograph's garment region before the twin's overlap: its person (> 0.5,
    eroded), less a box around the head and the pixels within ΔE76 14 of its median skin."""
    w, h = pair.working_size
    region = cv2.erode((person > 0.5).astype(np.uint8), ERODE) > 0
    lm = pair_landmarks(pair)
    if lm.real.face is not None:
        f = pair.factor
        pts = lm.real.face.points[:, :2] * f
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        fw, fh = x1 - x0, y1 - y0
        head = np.zeros((h, w), bool)
        head[max(0, int(y0 - 0.8 * fh)):max(0, int(y1 + 0.05 * fh)),
             max(0, int(x0 - 0.35 * fw)):max(0, int(x1 + 0.35 * fw))] = True
        region &= ~head
    lab = real_lab(pair)
    if skin is not None:
        ys, xs = np.nonzero(region)
        skinlike = np.linalg.norm(lab[ys, xs] - skin[None, :], axis=1) <= SKIN_DE76
        region[ys[skinlike], xs[skinlike]] = False
    return region


def _real_samples(pair: AlignedPair, region: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The garment's sampled pixels (rows, columns), the real's CIELAB there and its median.

    Statistics of a garment need no more than ~250k of its pixels: an even subsample keeps the
    full-frame cost bounded at 24 MP and beyond. When the twin covers the whole frame the
    region is the real's own, and so is all of this: kept for its next twin."""

    def make() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        ys, xs = np.nonzero(region)
        step = max(1, len(ys) // MAX_SAMPLES)
        ys, xs = ys[::step], xs[::step]
        lab_r = real_lab(pair)[ys, xs]
        return ys, xs, lab_r, np.median(lab_r, axis=0)

    if not pair.overlap.all():
        return make()
    skin = real_skin_lab(pair)
    name = "garment samples" if skin is None else f"garment samples {skin.astype(np.float64).tobytes().hex()}"
    found: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = real_memo.derived(pair.real_work, name, make)
    return found


def _hue_shift(lab_r: np.ndarray, lab_t: np.ndarray) -> float | None:
    c = np.minimum(np.hypot(lab_r[:, 1], lab_r[:, 2]), np.hypot(lab_t[:, 1], lab_t[:, 2]))
    sel = c > MIN_CHROMA_FOR_HUE
    if sel.sum() < 50:
        return None
    d = np.arctan2(lab_t[sel, 2], lab_t[sel, 1]) - np.arctan2(lab_r[sel, 2], lab_r[sel, 1])
    wgt = c[sel]
    return float(np.degrees(np.arctan2((wgt * np.sin(d)).sum(), (wgt * np.cos(d)).sum())))


def garment_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    region = garment_mask(pair)
    if isinstance(region, str):
        return out.unmeasured("garment", region)
    g, how = whitebalance.gains(pair)
    ys, xs, lab_r, med_r = _real_samples(pair, region)
    # the twin's CIELAB of just these pixels, not the colour step's of the whole frame: the
    # garment of a kept real's next twin need not wait for that step (core/analysis.py)
    lab_raw = colour.srgb_to_lab(pair.twin_work[ys, xs])
    lab_t = colour.srgb_to_lab(whitebalance.corrected(pair.twin_work[ys, xs], g))
    de = colour.delta_e2000(lab_r, lab_t)
    de_raw = colour.delta_e2000(lab_r, lab_raw)
    hue = _hue_shift(lab_r, lab_t)
    med_t = np.median(lab_t, axis=0)
    de_median = round(float(colour.delta_e2000(med_r, med_t)), 3)
    hue_value = Unmeasured(GREY) if hue is None else round(hue, 2)
    out.metrics["garment"] = Garment(
        fraction_of_frame=round(float(region.mean()), 4),
        delta_e00_median_colour=de_median,
        delta_e00_mean=round(float(de.mean()), 3), delta_e00_p95=round(float(np.percentile(de, 95)), 3),
        delta_e00_mean_uncorrected=round(float(de_raw.mean()), 3),
        hue_shift_deg=hue_value,
        real_lab_median=[round(float(v), 2) for v in med_r],
        twin_lab_median=[round(float(v), 2) for v in med_t],
        cast_correction=how,
    )
    found = [judge("garment.delta_e00_median_colour", de_median, policy, "garment",
                   f"garment colour differs from the product (ΔE00 {de_median:.1f})")]
    if isinstance(hue_value, float):
        found.append(judge("garment.hue_shift_deg", hue_value, policy, "garment",
                           f"garment hue shifted {hue_value:+.0f}°"))
    flags = [f for f in found if f]
    if flags:
        ys, xs = np.nonzero(region)
        box = bounding_box(np.column_stack([xs, ys]) / pair.factor)
        out.add(max(flags, key=lambda f: SEVERITY_RANK[f.severity]).located(box))
    return out
