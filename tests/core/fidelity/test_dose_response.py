"""The measured size follows the applied size: each manipulation at three strengths on one real
photograph. A metric that only separated "changed" from "unchanged" would pass the single-size
table (test_manipulations.py) and fail here."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.fidelity.cases import eyes, lighten, read, smooth
from tests.core.photos import PHOTOS, jpeg_roundtrip, linear_gains, save
from twinproof.core.analysis import analyze_pair


def _measure(tmp_path, photo: str, twin: np.ndarray, metric: str) -> float:
    real = save(PHOTOS[photo](), tmp_path / "real.png")
    path = save(jpeg_roundtrip(twin, 92), tmp_path / "twin.png")
    value = read(analyze_pair(real, path).to_dict()["metrics"], metric)
    assert value is not None, metric
    return value


@pytest.mark.parametrize("applied", [5.0, 10.0, 15.0])
def test_eyes_enlarged_by_5_10_15_percent_are_measured_within_3_points(tmp_path, applied):
    measured = _measure(tmp_path, "hopper", eyes("hopper", PHOTOS["hopper"](), applied),
                        "face.changes.eyes.percent")
    assert abs(measured - applied) <= 3.0, measured


def test_skin_lightening_tracks_delta_l(tmp_path):
    applied = [2.0, 4.0, 8.0]
    measured = [_measure(tmp_path, "hopper", lighten("hopper", PHOTOS["hopper"](), d), "skin.delta_L")
                for d in applied]
    assert measured == sorted(measured)
    for a, m in zip(applied, measured, strict=True):
        assert 0.6 * a <= m <= 1.3 * a, (a, m)  # the mask's feathered edge dilutes a little


def test_stronger_airbrushing_leaves_less_texture(tmp_path):
    ratios = [_measure(tmp_path, "hopper", smooth("hopper", PHOTOS["hopper"](), s), "texture.ratio")
              for s in (1.0, 2.5, 5.0)]
    assert ratios[0] > ratios[1] > ratios[2]
    assert ratios[0] < 0.95 and ratios[2] < 0.4


def test_colour_cast_grows_with_the_gains_and_points_the_right_way(tmp_path):
    """Warm casts of growing strength: red up and blue down in linear light move a* and b*
    up; the measured cast grows with them."""
    photo = PHOTOS["astronaut"]()
    sizes = []
    for k in (0.04, 0.08, 0.16):
        real = save(photo, tmp_path / "real.png")
        twin = save(jpeg_roundtrip(linear_gains(photo, (1 + k, 1.0, 1 - k)), 92), tmp_path / "twin.png")
        cast = analyze_pair(real, twin).to_dict()["metrics"]["colour"]["cast"]
        assert cast["delta_b"] > 0 and cast["delta_a"] > 0, cast
        sizes.append(cast["magnitude"])
    assert sizes[0] < sizes[1] < sizes[2]
    assert 1.5 < sizes[2] / sizes[1] < 2.5  # about proportional at these sizes
