"""Her own portraits as the yardstick in the identity descriptor's space (issue 23): a twin whose
jaw is slimmed 10 % (the tests' own warp, not the probe's) reads outside his range across 4
portraits and across 2; the unedited twin and an eye edit raise no jaw flag. Known answers from
controlled edits of real photographs (``../shared/faces-more``: one man, photographs of one shoot)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.photos import PHOTOS
from twinproof.core.compare.descriptor_yardstick import direction_findings, load_prior, plus_minus, t_multiple
from twinproof.core.identity import FaceIdentity, read_identity
from twinproof.core.identity.edit_directions import TWIN_JOINS, combine, learn, mirrored_descriptor, probe_portrait
from twinproof.core.imageio import load_image
from twinproof.core.landmarks import detect_landmarks
from twinproof.core.policy import load_policy
from twinproof.core.result import Severity
from twinproof.core.result.rows import CANNOT_PREFIX

MORE = Path(__file__).resolve().parents[3].parent / "shared" / "faces-more"
S2 = MORE / "ramiz" / "s2"
AZURE = MORE / "azure"


def test_pooled_range_tends_to_the_normal_multiple_with_many_portraits():
    """With a known σ and many degrees of freedom, ±U is 2.576 σ √(1 + 1/n) at 0.99."""
    pm, sigma = plus_minus(tuple([0.0] * 400), 2.0, (2.0, 10_000.0), 0.99)
    assert sigma == pytest.approx(2.0, rel=1e-3)
    assert pm == pytest.approx(2.5758 * 2.0 * math.sqrt(1 + 1 / 400), rel=2e-3)
    assert t_multiple(0.99, 4) == pytest.approx(4.604, abs=1e-3)  # the published t table


def test_fewer_than_two_identifiable_portraits_say_why():
    assert "at least 2" in str(learn([]))


@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_the_mirror_averaged_descriptor_does_not_depend_on_which_way_the_face_looks():
    """A photograph and its mirror image are the same face: their averaged descriptors agree far
    more closely than the two raw descriptors do (a turned face reads differently each way)."""
    pixels = load_image(S2 / "6.jpg").pixels  # head turned ~6° and tilted: the two ways differ
    flipped = np.ascontiguousarray(pixels[:, ::-1])
    face, face_flipped = detect_landmarks(pixels).face, detect_landmarks(flipped).face
    raw = [read_identity(p, f) for p, f in ((pixels, face), (flipped, face_flipped))]
    assert all(isinstance(r, FaceIdentity) for r in raw)
    raw_gap = float(np.linalg.norm(np.subtract(raw[0].descriptor, raw[1].descriptor)))  # type: ignore[union-attr]
    averaged = [mirrored_descriptor(pixels, face), mirrored_descriptor(flipped, face_flipped)]
    assert averaged[0] is not None and averaged[1] is not None
    assert float(np.linalg.norm(averaged[0] - averaged[1])) < 0.2 * raw_gap


def _portraits(folder: Path, names: tuple[str, ...]) -> list:
    out = []
    for name in names:
        pixels = load_image(folder / name).pixels
        face = detect_landmarks(pixels).face
        assert face is not None
        out.append((pixels, face))
    return out


@cache
def _read_twins(folder: Path, twin: str, names: tuple[str, ...]):
    """Slimmed jaw, unedited and eyes +16 % twins of ``twin`` read against the portraits ``names``."""
    policy = load_policy()
    probes = [probe_portrait(pixels, face) for pixels, face in _portraits(folder, names)]
    assert all(p is not None for p in probes)
    base = load_image(folder / twin).pixels
    key = f"edit-directions:{folder.name}/{twin}"
    PHOTOS[key] = lambda: base
    cases.landmarks.cache_clear()

    def read(arr: np.ndarray):
        """As ``identity_edit_findings``: the twin probed like a portrait."""
        face = detect_landmarks(arr).face
        assert face is not None
        twin = probe_portrait(arr, face, names=TWIN_JOINS)
        assert twin is not None
        directions = combine(probes, twin=twin)  # type: ignore[arg-type]
        assert not isinstance(directions, str) and directions.portraits == len(names)
        return direction_findings(directions, twin.descriptor, policy, load_prior())

    return (read(np.ascontiguousarray(cases.jaw(key, base.copy(), -10))), read(base),
            read(np.ascontiguousarray(cases.eyes(key, base.copy(), 16))))


JAW = "face.identity_edits.jaw_width.percent"


@pytest.mark.slow
@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_slimmed_jaw_stands_out_of_his_range_across_4_portraits_and_the_unedited_twin_does_not():
    slim, control, eyes = _read_twins(S2, "1.jpg", ("2.jpg", "3.jpg", "6.jpg", "7.jpg"))
    assert not [f for f in control.flags if f.severity is Severity.FAIL]
    assert abs(control.metric["jaw_width"].percent) < control.uncertainty[JAW].plus_minus
    # the reading follows the edit: −10 % read as −6..−14 % beyond the unedited twin's own offset
    assert -14.0 < slim.metric["jaw_width"].percent - control.metric["jaw_width"].percent < -6.0
    flagged = [f for f in slim.flags if f.metric == JAW]
    assert flagged and "outside the talent's own range across 4 portraits" in flagged[0].message
    assert not [f for f in eyes.flags if f.metric == JAW]


@pytest.mark.slow
@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
@pytest.mark.skipif(not (AZURE / "Family2-Lady1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_slimmed_jaw_stands_out_of_her_range_across_2_portraits():
    """The issue's case: a woman with three photographs, the first the twin and the other two her
    only portraits. With 2 portraits about 1 jaw edit in 10 is still missed (the benchmark; her
    father's first photograph, Family1-Dad1, is one: his unedited twin already reads +4 %)."""
    slim, control, eyes = _read_twins(AZURE, "Family2-Lady1.jpg", ("Family2-Lady2.jpg", "woman1-person-group.jpg"))
    assert not control.flags
    assert -14.0 < slim.metric["jaw_width"].percent - control.metric["jaw_width"].percent < -6.0
    assert [f for f in slim.flags if f.metric == JAW]
    assert not [f for f in eyes.flags if f.metric == JAW]


@pytest.mark.slow
@pytest.mark.skipif(not (AZURE / "Family2-Lady1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_a_reading_whose_range_is_wider_than_the_fail_limit_is_not_called_ok():
    """The one rule on her range: the face width's ± across 2 portraits (σ₀ 2.4 % pooled) is wider
    than its fail limit (±5 %), so the unedited twin's face width reads "cannot be judged" and
    why, never "ok" (the benchmark: every such case); the jaw edit, beyond its ± and the limit,
    stays caught."""
    slim, control, _eyes = _read_twins(AZURE, "Family2-Lady1.jpg", ("Family2-Lady2.jpg", "woman1-person-group.jpg"))
    face = control.uncertainty["face.identity_edits.face_width.percent"]
    assert face.plus_minus > 5.0 and abs(control.metric["face_width"].percent) < 5.0
    assert face.cannot_judge is not None and face.cannot_judge.startswith(CANNOT_PREFIX)
    assert "the talent's own range across 2 portraits" in face.cannot_judge
    jaw = slim.uncertainty[JAW]
    assert [f for f in slim.flags if f.metric == JAW] and jaw.cannot_judge is None
