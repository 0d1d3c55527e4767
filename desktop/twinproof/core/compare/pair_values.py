"""The raw numbers a new shot compares, from two readings alone (no policy, no judgement).

Kept apart from the steps so the calibration (``benchmarks/calibrate_new_shot.py``) measures
exactly what the product measures, on every same-person pair of the calibration sets.
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core import colour
from twinproof.core.reading.parts import FaceShape, SkinSample


def face_percents(real: FaceShape, twin: FaceShape) -> dict[str, float]:
    """Each proportion both faces have, in % of the real's (+ larger in the twin)."""
    return {n: 100.0 * (twin.ratios[n] / real.ratios[n] - 1.0) for n in real.ratios
            if n in twin.ratios and real.ratios[n] > 0}


def hue_deg(lab: np.ndarray) -> float:
    return math.degrees(math.atan2(float(lab[2]), float(lab[1])))


def skin_values(real: SkinSample, twin: SkinSample) -> dict[str, float | str]:
    """ΔL*, hue change (°), ITA change (°, or why it is not read) and ΔE00 of the two skins."""
    out: dict[str, float | str] = {
        "delta_L": float(twin.lab[0] - real.lab[0]),
        "hue_change": (hue_deg(twin.lab) - hue_deg(real.lab) + 180.0) % 360.0 - 180.0,
        "delta_e00": float(colour.delta_e2000(real.lab, twin.lab)),
    }
    change = colour.ita_change(real.lab, twin.lab)
    out["ita_change"] = float(change) if isinstance(change, float) else change
    return out


def texture_ratio(real: SkinSample, twin: SkinSample) -> float | None:
    """Fine skin detail of the twin as a share of the real's (None: the real shows none)."""
    return math.sqrt(twin.texture / real.texture) if real.texture >= 1e-7 else None
