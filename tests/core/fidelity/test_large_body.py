"""A body edit on a large photograph, and the photograph as its own twin.

The manipulation table's 8 % torso slimming (a JPEG at q92), on Grace Hopper's portrait enlarged four times
(2048 × 2400, as a real shoot's file is large): the body's crop is then a reduction of the file,
and the real's and the twin's crops must stand on the same pixels. Before they did (stop 34), the
two were made by different steps and sat a fraction of a pixel apart: this slimming read +0.9 %
and passed, and the unedited photograph read its own eyes 0.16 % smaller."""

from __future__ import annotations

import cv2
import pytest

from tests.core.fidelity.cases import CASES, twin_of
from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair

UP = 4


def _large(arr):
    h, w = arr.shape[:2]
    return cv2.resize(arr, (w * UP, h * UP), interpolation=cv2.INTER_CUBIC)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    return save(_large(PHOTOS["hopper"]()), tmp_path_factory.mktemp("large") / "real.png")


def test_an_8_percent_slimming_on_a_large_photograph_is_read_and_flagged(real, tmp_path):
    case = next(c for c in CASES if c.name == "torso slimmed 8%")
    twin = save(_large(twin_of(case, "hopper")), tmp_path / "twin.png")  # edited, then saved as a JPEG (q92)
    result = analyze_pair(real, twin).to_dict()
    assert result["analysis"]["mode"] == "same_frame"
    assert -9 <= result["metrics"]["body"]["widths"]["chest"]["percent"] <= -7
    assert {f["category"] for f in result["flags"]} == {"body_shape"}


def test_the_photograph_as_its_own_twin_changes_nothing(real):
    result = analyze_pair(real, real).to_dict()
    metrics = result["metrics"]
    changes = {**metrics["face"]["changes"], **metrics["body"]["widths"], **metrics["body"]["proportions"]}
    read = {name: c["percent"] for name, c in changes.items() if "percent" in c}
    assert len(read) >= 8, changes
    assert all(v == 0 for v in read.values()), read
    assert result["verdict"] == "pass" and not result["flags"]
