"""The new-shot eye width (``core/compare/eye_flow.py``) against known answers: a real
photograph moved by a known similarity, with and without its eyes enlarged by a known amount,
and meshes that do not follow the edit at all (the worst a shape prior can do)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.photos import PHOTOS, similarity, warp
from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width, warp_onto

#: Rotated 7°, 1.3× larger, moved: another framing of the same pixels (the 512 × 600
#: photograph lands whole inside a 900 × 900 frame).
MOVE = similarity(1.3, 7.0, (150.0, 150.0), (256.0, 300.0))
FRAME = (900, 900)


def _mesh() -> np.ndarray:
    return cases._face("hopper")


def _moved(points: np.ndarray) -> np.ndarray:
    return points @ MOVE[:, :2].T + MOVE[:, 2]


def test_the_piecewise_warp_lays_a_moved_photograph_back_on_itself():
    """Twin = the photograph under MOVE, its mesh = the real mesh under MOVE: warped back by
    the two meshes, the twin is the photograph again (inside and outside the mesh)."""
    arr = PHOTOS["hopper"]().astype(np.float32) / 255
    h, w = arr.shape[:2]
    twin = warp(arr, MOVE, FRAME)
    back = warp_onto(_mesh(), _moved(_mesh()), twin, (h, w))
    inner = np.abs(back - arr)[h // 8: -h // 8, w // 8: -w // 8]
    assert float(np.median(inner)) < 0.01 and float(np.percentile(inner, 95)) < 0.06


@pytest.mark.parametrize("pct", [0.0, 8.0, 16.0])
def test_the_eye_width_is_what_the_edit_made_it(pct):
    """The meshes never move with the edit here, so all of it must come from the flow."""
    arr = PHOTOS["hopper"]()
    edited = cases.eyes("hopper", arr.copy(), pct) if pct else arr
    twin = warp(edited, MOVE, FRAME)
    found = tracked_eye_width(arr, _mesh(), twin, _moved(_mesh()))
    assert isinstance(found, TrackedEyes), found
    assert abs(found.percent - pct) < 1.0, found
    assert found.fb_error_iod < 0.02


def test_a_twin_whose_face_is_noise_is_not_measured():
    """Nothing to follow: the flow's forward-backward check refuses, and says why."""
    arr = PHOTOS["hopper"]()
    noise = np.random.default_rng(3).integers(0, 256, arr.shape, dtype=np.uint8)
    found = tracked_eye_width(arr, _mesh(), noise, _mesh())
    assert isinstance(found, str) and "cannot be trusted" in found
