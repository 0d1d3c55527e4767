"""A pair marked a control frame is measured as a same frame (issue 23): the generator's twin
of this very real frame, whatever its registration found. Known answer: a photograph against
its mirror image is a new shot on its own; marked a control it is a same frame, and says why."""

from __future__ import annotations

import cv2
import numpy as np

from tests.conftest import DATA
from twinproof.core.analysis import CONTROL_REASON, analyze_pair
from twinproof.core.result import Mode


def test_a_control_frame_is_measured_as_a_same_frame(tmp_path):
    hopper = cv2.imread(str(DATA / "grace_hopper.jpg"))
    real, twin = tmp_path / "real.jpg", tmp_path / "twin.jpg"
    cv2.imwrite(str(real), hopper)
    cv2.imwrite(str(twin), np.ascontiguousarray(hopper[:, ::-1]))
    assert analyze_pair(real, twin).result.analysis.mode is Mode.NEW_SHOT
    marked = analyze_pair(real, twin, control=True).result
    assert marked.analysis.mode is Mode.SAME_FRAME
    assert marked.analysis.mode_reason == CONTROL_REASON
    assert marked.cannot_reveal is None
