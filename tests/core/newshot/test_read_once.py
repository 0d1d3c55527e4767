"""Read once (issue 27's seam, as a new shot needs it): a new shot computes one identity
descriptor per image, not two, and analysing the same files again reads nothing again."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.conftest import DATA
from twinproof.core.analysis import analyze_pair
from twinproof.core.reading import cache
from twinproof.core.result import Mode


def test_a_new_shot_reads_each_photograph_once(tmp_path, monkeypatch):
    """The hopper photograph against itself mirrored (a new shot): 2 descriptors, and none and
    no landmarks the second time; the result is the same."""
    import twinproof.core.identity.read as identity_read
    import twinproof.core.landmarks as landmarks

    hopper = cv2.imread(str(DATA / "grace_hopper.jpg"))
    real, twin = tmp_path / "real.jpg", tmp_path / "twin.jpg"
    cv2.imwrite(str(real), hopper)
    cv2.imwrite(str(twin), np.ascontiguousarray(hopper[:, ::-1]))
    calls = {"describe": 0, "landmarks": 0}
    describe, detect = identity_read.describe, landmarks.detect_landmarks

    def counting_describe(*args, **kwargs):
        calls["describe"] += 1
        return describe(*args, **kwargs)

    def counting_detect(*args, **kwargs):
        calls["landmarks"] += 1
        return detect(*args, **kwargs)

    monkeypatch.setattr(identity_read, "describe", counting_describe)
    monkeypatch.setattr(landmarks, "detect_landmarks", counting_detect)
    cache.clear()
    first = analyze_pair(real, twin).result
    if first.mode is not Mode.NEW_SHOT:
        pytest.fail(f"the mirrored photograph should be a new shot: {first.analysis.mode_reason}")
    assert calls == {"describe": 2, "landmarks": 2}
    again = analyze_pair(real, twin).result
    assert calls == {"describe": 2, "landmarks": 2}
    assert again.metrics == first.metrics and again.flags == first.flags
    assert first.uncertainty and "face.proportions.jaw_width.percent" in first.uncertainty
    cache.clear()
