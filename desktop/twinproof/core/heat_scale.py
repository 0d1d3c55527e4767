"""One heat-map scale for the app and the sheet: which value of a map gets no colour and which
gets full colour, said once.

Why: the app drew ΔE00 from 2 to 12 and local SSIM from 0.9 to 0.3, while the sheet drew ΔE00
from 0 to 10 (twice the policy's fail) and 1 − SSIM from 0 to 0.5 (issue 26): the same pixel had
another colour on paper than on screen. Below ``none`` nothing is worth pointing at (ΔE00 under
2 reads as a match in retail colour QC; local SSIM above 0.9 is the same structure); at
``full`` the difference is unmistakable. Each medium keeps its own ramp (a transparent overlay
on screen, an opaque panel on paper); the positions on it come from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class HeatScale:
    kind: str
    #: The map value drawn with no colour (the start of the ramp).
    none: float
    #: The map value drawn with full colour (the end of the ramp).
    full: float
    #: The legend: what the map shows, and the words at each end.
    label: str
    low_words: str
    high_words: str

    def position(self, values: np.ndarray) -> np.ndarray:
        """Each value's place on the ramp, 0 (no colour) to 1 (full); NaN (no data) stays NaN."""
        t = (np.asarray(values, dtype=np.float32) - self.none) / (self.full - self.none)
        return np.clip(t, 0.0, 1.0)


SCALES: dict[str, HeatScale] = {
    "ssim": HeatScale("ssim", 0.9, 0.3, "local SSIM  0.9 → 0.3", "same (≥ 0.9)", "≤ 0.3"),
    "delta_e": HeatScale("delta_e", 2.0, 12.0, "ΔE00  2 → 12", "match (≤ 2)", "≥ 12"),
}
