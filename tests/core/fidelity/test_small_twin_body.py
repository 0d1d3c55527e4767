"""How small a twin may be and still show a body edit, and what is said below that.

A torso slimmed 8 % (the manipulation table's case), delivered as a smaller file: registered onto
the real photograph, the real's landmarks tracked into the upscaled twin still read the slimming
at 80 px between the shoulders. Shrunk to 25 px, the pair no longer registers and is compared as
a new shot, whose body readings are too uncertain to judge: no body flag, no pass."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.core.fidelity.cases import landmarks, slim
from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair


def _twin_with_shoulders(photo: str, shoulders_px: float) -> np.ndarray:
    real = PHOTOS[photo]()
    body = landmarks(photo).body
    assert body is not None
    f = shoulders_px / float(np.linalg.norm(body.points[11, :2] - body.points[12, :2]))
    edited = slim(photo, real.copy(), 8)
    size = (round(edited.shape[1] * f), round(edited.shape[0] * f))
    return cv2.resize(edited, size, interpolation=cv2.INTER_AREA)


def _analysed(tmp_path, photo: str, shoulders_px: float) -> dict:
    real = save(PHOTOS[photo](), tmp_path / "real.png")
    twin = save(_twin_with_shoulders(photo, shoulders_px), tmp_path / "twin.png")
    return analyze_pair(real, twin).to_dict()


@pytest.mark.parametrize("photo", ["astronaut", "hopper"])
def test_an_8_percent_slimming_shows_at_80_px_between_the_shoulders(tmp_path, photo):
    result = _analysed(tmp_path, photo, 80)
    assert result["analysis"]["mode"] == "same_frame"
    assert -11 <= result["metrics"]["body"]["widths"]["chest"]["percent"] <= -5
    assert "body_shape" in {f["category"] for f in result["flags"]}


@pytest.mark.parametrize("photo", ["astronaut", "hopper"])
def test_at_25_px_the_body_is_not_judged_and_nothing_passes(tmp_path, photo):
    result = _analysed(tmp_path, photo, 25)
    assert result["analysis"]["mode"] == "new_shot"
    assert not [f for f in result["flags"] if f["category"] == "body_shape"]
    read = {name: v for name, v in result["metrics"]["body"]["proportions"].items() if "percent" in v}
    uncertainty = result.get("uncertainty") or {}
    for name in read:
        assert uncertainty[f"body.proportions.{name}.percent"]["cannot_judge"], name
    assert result["verdict"] != "pass"
