"""A value far past its limit is a finding even when its ± is wide; a value whose ± is unknown is not
(``core/result/judge.py``, docs/fidelity.md "The one rule").

Known answers on a real photograph (the U.S. Navy portrait of Grace Hopper) and its mirror image, a
new shot of the same woman that needs no shared data, with the twin's face made small:

- airbrushed (the tests' skin blur, σ 6 px) and shrunk to 0.35×: the faces' resolutions differ 3×, so
  the skin-detail ratio's ± alone is wider than its fail limit. It used to read "cannot be judged"
  however smooth the skin; it reads about 0.11, past the 0.4 fail limit even at the edge of its ±:
  a fail. The same twin unedited (about 0.68) stays "cannot judge", with no flag.
- its jaw slimmed 20 % and shrunk until the eyes are under the 42 px the uncertainty model was
  fitted on: the model has no ± to state there, so no shape verdict, however large the change.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.photos import hopper, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.compare.uncertainty import load_model
from twinproof.core.result import Mode, Severity, descriptor
from twinproof.core.result.judge import clears_fail, too_uncertain
from twinproof.core.result.rows import Status, rows

pytestmark = pytest.mark.slow


def _twin(arr: np.ndarray, scale: float, path: Path) -> Path:
    mirrored = np.ascontiguousarray(arr[:, ::-1])
    size = (round(arr.shape[1] * scale), round(arr.shape[0] * scale))
    return save(cv2.resize(mirrored, size, interpolation=cv2.INTER_AREA), path)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    return save(hopper(), tmp_path_factory.mktemp("backed") / "hopper.png")


def _texture(result):
    return result.metrics.texture.ratio, result.uncertainty_of("texture.ratio")


def test_skin_airbrushed_far_past_its_wide_uncertainty_is_flagged(real, tmp_path):
    result = analyze_pair(real, _twin(cases.smooth("hopper", hopper(), 6.0), 0.35, tmp_path / "smooth.png")).result
    assert result.mode is Mode.NEW_SHOT
    ratio, unc = _texture(result)
    desc = descriptor("texture.ratio")
    assert ratio < 0.2, ratio
    assert too_uncertain(desc, unc.plus_minus, result.policy, Mode.NEW_SHOT), unc  # the wide ± of the known answer
    assert clears_fail(desc, ratio, unc.plus_minus, result.policy, Mode.NEW_SHOT)
    flag = next((f for f in result.flags if f.metric == "texture.ratio"), None)
    assert flag is not None and flag.severity is Severity.FAIL, result.flags
    assert "by more than its ±" in flag.message
    row = next(r for r in rows(result) if r.path == "texture.ratio")
    assert row.status is Status.FAIL


def test_the_same_twin_unedited_stays_cannot_judge(real, tmp_path):
    result = analyze_pair(real, _twin(hopper(), 0.35, tmp_path / "plain.png")).result
    ratio, unc = _texture(result)
    assert ratio > 0.5, ratio
    assert too_uncertain(descriptor("texture.ratio"), unc.plus_minus, result.policy, Mode.NEW_SHOT), unc
    assert not [f for f in result.flags if f.metric == "texture.ratio"], result.flags
    row = next(r for r in rows(result) if r.path == "texture.ratio")
    assert row.status is Status.CANNOT_JUDGE, (row.status, row.reason)


def test_a_face_smaller_than_the_model_knows_gets_no_shape_verdict(real, tmp_path):
    """Eyes under ``min_iod_px`` apart in the twin: a 20 % slimmer jaw is not judged (no ± to state)."""
    scale = 0.3
    result = analyze_pair(real, _twin(cases.jaw("hopper", hopper(), -20), scale, tmp_path / "jaw.png")).result
    assert result.mode is Mode.NEW_SHOT
    assert result.metrics.face.iod_px_twin < load_model().min_iod_px
    assert not [f for f in result.flags if f.category == "face_shape"], result.flags
    jaw = next(r for r in rows(result) if r.path == "face.proportions.jaw_width.percent")
    assert jaw.status is Status.CANNOT_JUDGE and "px wide" in jaw.reason, (jaw.status, jaw.reason)


def test_only_a_predicted_wide_uncertainty_asks_for_the_margin():
    """A jaw reading −10 % with ±8 (wider than the ±7 fail limit), as a twin slimmed 10 % reads along
    the talent's own direction with few portraits (docs/fidelity.md): outside her own range, it is
    flagged; the same numbers from the uncertainty model's prediction are not past the fail limit by
    more than the ± (10 − 8 < 7), and are not."""
    from twinproof.core.policy import load_policy
    from twinproof.core.result import judge
    from twinproof.core.result.measurements import Uncertainty

    policy, unc = load_policy(), Uncertainty(8.0, 0.99, ["why"])
    args = ("face.identity_edits.jaw_width.percent", -10.0, policy, "jaw", "jaw 10% narrower")
    assert judge(*args, mode=Mode.NEW_SHOT, uncertainty=unc) is not None
    assert judge(*args, mode=Mode.NEW_SHOT, uncertainty=unc, predicted=True) is None
    far = judge("face.identity_edits.jaw_width.percent", -16.0, policy, "jaw", "jaw 16% narrower",
                mode=Mode.NEW_SHOT, uncertainty=unc, predicted=True)
    assert far is not None and far.severity is Severity.FAIL and "by more than its ±8" in far.message
