"""Another person's twin: identity first, and nothing else judged (docs/fidelity.md, "New shots").

A new shot whose twin the identity step fails as not the same person gets no skin, shape or edit
verdict: skin lighter or darker, a jaw narrower, about someone who is not the person says nothing
about an edit. Every such row keeps its value and reads "cannot judge" with why; the result's
"cannot reveal" is one line that says so, with no advice to add portraits or a control frame; the
talent's portraits are not read for it (neither her range nor her edit directions, ~8 descriptor
reads). Labelled real photographs: a "No" pair of ``../shared/faces/master.csv`` and two different
people of ``../shared/faces-more/people.csv`` (one of them against a man with three reference
portraits).
"""

from __future__ import annotations

import csv

import pytest

from tests.core.newshot.test_mode import FACES, needs_faces
from twinproof.core.analysis import analyze_pair
from twinproof.core.compare.blind_spots import NOT_THE_PERSON_LINE
from twinproof.core.compare.new_shot import NOT_THE_PERSON, NOT_THE_PERSONS_SKIN
from twinproof.core.result import Mode, Severity
from twinproof.core.result.rows import Status, rows

MORE = FACES.parent / "faces-more"
S2 = MORE / "ramiz" / "s2"
needs_more = pytest.mark.skipif(not (MORE / "people.csv").is_file(), reason=f"../shared/faces-more absent at {MORE}")
JUDGED_ON_THE_PERSON = ("skin_tone", "skin_texture", "face_shape", "body_shape")


def _labelled_different(real: str, twin: str) -> bool:
    """What the sets' own labels say about the two photographs."""
    if "/" not in real and "/" not in twin:
        with open(FACES / "master.csv", encoding="utf-8") as f:
            return any({r["file_x"], r["file_y"]} == {real, twin} and r["Decision"] == "No" for r in csv.DictReader(f))
    with open(MORE / "people.csv", encoding="utf-8") as f:
        person = {r["path"]: r["person"] for r in csv.DictReader(f)}
    return person.get(real, real) != person.get(twin, twin)


def _where(name: str):
    return FACES / name if "/" not in name else MORE / name


def _assert_only_identity_judged(result) -> None:
    assert result.mode is Mode.NEW_SHOT
    assert result.metrics.identity.call == "not the same person"
    assert [f for f in result.flags if f.metric == "identity.distance" and f.severity is Severity.FAIL]
    assert result.verdict == "fail"
    assert not [f for f in result.flags if f.category in JUDGED_ON_THE_PERSON], result.flags
    person_rows = [r for r in rows(result) if r.value is not None and r.path.startswith(
        ("skin.", "texture.", "face.proportions.", "face.identity_edits.", "body.proportions."))]
    assert any(r.path.startswith("skin.") for r in person_rows), person_rows
    for r in person_rows:
        want = NOT_THE_PERSONS_SKIN if r.path.startswith(("skin.", "texture.")) else NOT_THE_PERSON
        assert r.status is Status.CANNOT_JUDGE and r.reason == want, (r.path, r.status, r.reason)
    assert result.cannot_reveal == [NOT_THE_PERSON_LINE], result.cannot_reveal
    said = " ".join(result.cannot_reveal)
    assert "portrait" not in said and "control frame" not in said


@pytest.mark.slow
@needs_faces
@needs_more
@pytest.mark.parametrize("real, twin", [("img20.jpg", "img1.jpg"), ("azure/Family1-Dad1.jpg", "ramiz/s1/1.jpg")])
def test_another_persons_twin_gets_no_skin_shape_or_edit_verdict(real, twin):
    assert _labelled_different(real, twin)
    _assert_only_identity_judged(analyze_pair(_where(real), _where(twin)).result)


@pytest.mark.slow
@needs_faces
@needs_more
def test_another_persons_twin_is_not_read_against_the_talents_portraits():
    """A man with three reference portraits, and a woman's photograph as his twin: his range and
    his edit directions are not computed, and the face says why."""
    assert _labelled_different("ramiz/s2/2.jpg", "azure/Family2-Lady1.jpg")
    result = analyze_pair(S2 / "2.jpg", MORE / "azure" / "Family2-Lady1.jpg",
                          references=[S2 / n for n in ("3.jpg", "6.jpg", "7.jpg")]).result
    _assert_only_identity_judged(result)
    face = result.metrics.face
    assert face.identity_edits is None and face.yardstick is None, (face.identity_edits, face.yardstick)
    assert face.method.endswith("not judged against the talent's portraits: the twin is not the same person")
