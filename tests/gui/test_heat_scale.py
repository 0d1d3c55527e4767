"""One heat-map scale for the app and the sheet (issue 26: the app drew ΔE00 2 → 12, the sheet
0 → 10): a value gets the same place on the ramp on screen and on paper."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtGui import QColor

from twinproof.core.heat_scale import SCALES
from twinproof.export.images import RAMP, heat_png
from twinproof.gui.imaging import HEAT_LUT, heat_image


def _sheet_pixels(kind: str, values: np.ndarray) -> np.ndarray:
    return np.asarray(Image.open(heat_png(kind, values)).convert("RGB"), dtype=np.int32)


def test_a_value_has_the_same_place_on_the_ramp_in_the_app_and_on_the_sheet():
    for kind, scale in SCALES.items():
        middle = (scale.none + scale.full) / 2
        values = np.array([[scale.none, middle, scale.full, np.nan]], dtype=np.float32)
        app = heat_image(values, kind)
        alphas = [QColor.fromRgba(app.pixel(x, 0)).alpha() for x in range(4)]
        assert alphas[0] == 0 and alphas[2] >= 254 and alphas[3] == 0, kind  # none, full, no data
        full = QColor.fromRgba(app.pixel(2, 0))
        rgb = np.array([full.red(), full.green(), full.blue()])
        assert np.abs(rgb - HEAT_LUT[255].astype(int)).max() <= 5  # premultiplied at alpha 254
        sheet = _sheet_pixels(kind, values)[0]
        assert np.abs(sheet[0] - RAMP[0]).max() <= 1 and np.abs(sheet[2] - RAMP[-1]).max() <= 1, kind
        halfway = RAMP[(len(RAMP) - 1) // 2] * 0.5 + RAMP[len(RAMP) // 2] * 0.5
        assert np.abs(sheet[1] - halfway).max() <= 2, kind
        # beyond the ends: clamped, never wrapped
        span = scale.full - scale.none
        beyond = np.array([[scale.none - span, scale.full + span]], dtype=np.float32)
        assert np.abs(_sheet_pixels(kind, beyond)[0] - np.array([RAMP[0], RAMP[-1]])).max() <= 1


def test_the_scale_reads_the_maps_as_the_review_means_them():
    de, ssim = SCALES["delta_e"], SCALES["ssim"]
    # ΔE00 under 2 (a match in retail QC) gets no colour; SSIM above 0.9 (same structure) neither
    assert de.position(np.array([1.5, 2.0]))[0] == 0 and ssim.position(np.array([0.95]))[0] == 0
    assert de.position(np.array([7.0]))[0] == 0.5 and abs(ssim.position(np.array([0.6]))[0] - 0.5) < 1e-6
    assert np.isnan(de.position(np.array([np.nan]))[0])
