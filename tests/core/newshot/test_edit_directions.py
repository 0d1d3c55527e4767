"""Her own portraits as the yardstick in the identity descriptor's space (issue 23): a twin whose
jaw is slimmed 10 % (the tests' own warp, not the probe's) reads outside her range across 4
portraits; the unedited twin stays inside it. Known answers from controlled edits of real
photographs (``../shared/faces-more``: one man, six photographs of one shoot)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.photos import PHOTOS
from twinproof.core.compare.descriptor_yardstick import direction_findings, load_prior, plus_minus, t_multiple
from twinproof.core.identity import FaceIdentity, read_identity
from twinproof.core.identity.edit_directions import learn
from twinproof.core.imageio import load_image
from twinproof.core.landmarks import detect_landmarks
from twinproof.core.policy import load_policy
from twinproof.core.result import Severity

S2 = Path(__file__).resolve().parents[3].parent / "shared" / "faces-more" / "ramiz" / "s2"


def test_pooled_range_tends_to_the_normal_multiple_with_many_portraits():
    """With a known σ and many degrees of freedom, ±U is 2.576 σ √(1 + 1/n) at 0.99."""
    pm, sigma = plus_minus(tuple([0.0] * 400), 2.0, (2.0, 10_000.0), 0.99)
    assert sigma == pytest.approx(2.0, rel=1e-3)
    assert pm == pytest.approx(2.5758 * 2.0 * math.sqrt(1 + 1 / 400), rel=2e-3)
    assert t_multiple(0.99, 4) == pytest.approx(4.604, abs=1e-3)  # the published t table


def test_fewer_than_two_identifiable_portraits_say_why():
    assert "at least 2" in str(learn([]))


@pytest.mark.slow
@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_slimmed_jaw_stands_out_of_her_range_and_the_unedited_twin_does_not():
    policy = load_policy()
    portraits = []
    for name in ("2.jpg", "3.jpg", "6.jpg", "7.jpg"):
        pixels = load_image(S2 / name).pixels
        face = detect_landmarks(pixels).face
        assert face is not None
        portraits.append((pixels, face))
    directions = learn(portraits)
    assert not isinstance(directions, str) and directions.portraits == 4
    base = load_image(S2 / "1.jpg").pixels
    PHOTOS["edit-directions:s2/1"] = lambda: base
    cases.landmarks.cache_clear()

    def read(arr: np.ndarray):
        identity = read_identity(arr, detect_landmarks(arr).face)
        assert isinstance(identity, FaceIdentity)
        return direction_findings(directions, identity.descriptor, policy, load_prior())

    control = read(base)
    slim = read(np.ascontiguousarray(cases.jaw("edit-directions:s2/1", base.copy(), -10)))
    path = "face.identity_edits.jaw_width.percent"
    assert not [f for f in control.flags if f.severity is Severity.FAIL]
    assert abs(control.metric["jaw_width"].percent) < control.uncertainty[path].plus_minus
    assert slim.metric["jaw_width"].percent < -7.0
    flagged = [f for f in slim.flags if f.metric == path]
    assert flagged and "outside her own range across 4 portraits" in flagged[0].message
