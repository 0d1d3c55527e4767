"""No verdict the analysis cannot back, on real photographs (docs/fidelity.md, "the one rule").

- A row whose ± alone is wider than the strictest limit it could be judged by (the fail limit, or
  the warn limit of a finding capped at a warning, as skin across two shots is) reads "cannot
  judge" with why, never "ok"; a value beyond its ± and past the limit keeps its flag.
- A twin the identity step fails as another person (labelled different people of
  ``../shared/faces``) gets no face- or body-shape verdict: two people's proportions say nothing
  about an edit. The same person's slimmed jaw (the known-answer warp, read against his own
  portraits) keeps its flag.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.newshot.test_mode import FACES, needs_faces
from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.imageio import load_image
from twinproof.core.result import Mode, Severity, descriptor
from twinproof.core.result.judge import too_uncertain
from twinproof.core.result.rows import Status, rows

S2 = FACES.parent / "faces-more" / "ramiz" / "s2"
SHAPE = ("face_shape", "body_shape")
#: What a shape row says when the twin is another person (the words a reviewer reads).
NOT_THE_PERSON = "the twin is not the same person: shape is not compared"


def _no_ok_on_a_wide_range(result) -> list:
    """Rows that read "ok" though their ± alone is wider than the limit they are judged by."""
    return [(r.path, r.text, r.limits) for r in rows(result)
            if r.status is Status.OK and r.plus_minus is not None
            and too_uncertain(descriptor(r.path), r.plus_minus, result.policy, Mode.NEW_SHOT,
                              bool((u := result.uncertainty_of(r.path)) and u.at_most_warning))]


@pytest.mark.slow
@needs_faces
@pytest.mark.parametrize("real, twin", [("img21.jpg", "img16.jpg"), ("img21.jpg", "img17.jpg"),
                                        ("img20.jpg", "img1.jpg")])
def test_another_persons_twin_fails_on_identity_and_its_shape_is_not_judged(real, twin):
    """Labelled "No" in master.csv; before, these raised face-width, irises or jaw warnings."""
    result = analyze_pair(FACES / real, FACES / twin).result
    assert result.mode is Mode.NEW_SHOT
    assert [f for f in result.flags if f.metric == "identity.distance" and f.severity is Severity.FAIL]
    assert result.verdict == "fail"
    assert not [f for f in result.flags if f.category in SHAPE], result.flags
    shape = [r for r in rows(result) if r.path.startswith(("face.proportions.", "body.proportions."))
             and r.value is not None]
    assert shape and all(r.status is Status.CANNOT_JUDGE and r.reason == NOT_THE_PERSON for r in shape), \
        [(r.path, r.status, r.reason) for r in shape]
    assert not _no_ok_on_a_wide_range(result)


@pytest.mark.slow
@needs_faces
def test_the_same_persons_rows_never_read_ok_on_a_range_wider_than_their_limit():
    """Two shots of one person (master.csv "Yes"): skin across two lights is at most a warning,
    and its ± (tens of ITA degrees) is wider than the warn limit: "cannot judge", not "ok"."""
    result = analyze_pair(FACES / "img1.jpg", FACES / "img2.jpg").result
    assert result.mode is Mode.NEW_SHOT and result.metrics.identity.same_person
    assert not _no_ok_on_a_wide_range(result)
    cannot = {r.path: r.reason for r in rows(result) if r.status is Status.CANNOT_JUDGE}
    assert any(p.startswith("skin.") for p in cannot), cannot


@pytest.mark.slow
@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_the_same_persons_slimmed_jaw_keeps_its_flag(tmp_path):
    """The known-answer jaw warp (−10 %) of one man's photograph, read against the real photograph
    and 3 more of his portraits: the same person, so his shape is judged, and the jaw is caught."""
    base = load_image(S2 / "1.jpg").pixels
    key = "no-verdict:s2/1.jpg"
    PHOTOS[key] = lambda: base
    cases.landmarks.cache_clear()
    twin = save(np.ascontiguousarray(cases.jaw(key, base.copy(), -10)), tmp_path / "jaw.png")
    result = analyze_pair(S2 / "2.jpg", twin, references=[S2 / n for n in ("3.jpg", "6.jpg", "7.jpg")]).result
    assert result.mode is Mode.NEW_SHOT
    assert not [f for f in result.flags if f.metric == "identity.distance" and f.severity is Severity.FAIL]
    assert [f for f in result.flags if f.metric == "face.identity_edits.jaw_width.percent"], result.flags
    jaw = next(r for r in rows(result) if r.path == "face.identity_edits.jaw_width.percent")
    assert jaw.status in (Status.WARN, Status.FAIL) and NOT_THE_PERSON not in jaw.reason
    assert not _no_ok_on_a_wide_range(result)
