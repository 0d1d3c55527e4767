"""A reference portrait that is the twin itself is not counted, and the result says so.

The talent's own range is how her photographs differ; the twin against a copy of itself differs
by nothing, narrowing her range onto the twin. Known answers on real photographs:

- one man's studio portraits (``../shared/faces-more/ramiz/s2``): the twin given again as his third
  reference, as the same file and as a lossless copy of its pixels: his range is the real one and
  the two other references (3 photographs, not 4), and the face's yardstick names the portrait left
  out and why;
- the astronaut's portrait and its JPEG copy as the twin, with the twin's own descriptor among the
  talent's reference descriptors (as ``talent reference add`` of the twin file records it): the
  likeness is read against her other portrait only (nearest 0.0 before), and its words say why.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from tests.core.newshot.test_mode import FACES
from tests.core.photos import astronaut, jpeg_roundtrip, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.identity.likeness import TalentReferences
from twinproof.core.imageio import load_image
from twinproof.core.portrait_skin import read_reference
from twinproof.core.result import Mode, Unmeasured

S2 = FACES.parent / "faces-more" / "ramiz" / "s2"
needs_s2 = pytest.mark.skipif(not (S2 / "7.jpg").is_file(), reason="../shared/faces-more is absent")


def _portraits_counted(result) -> set[int]:
    return {u.portraits for u in (result.uncertainty or {}).values() if u.portraits is not None}


@pytest.mark.slow
@needs_s2
@pytest.mark.parametrize("copy", ["the same file", "the same pixels"])
def test_a_reference_that_is_the_twin_is_not_counted(copy, tmp_path):
    twin = S2 / "1.jpg"
    again = twin if copy == "the same file" else save(np.ascontiguousarray(load_image(twin).pixels),
                                                      tmp_path / "portrait.png")
    if copy == "the same pixels":
        assert np.array_equal(np.asarray(Image.open(again)), load_image(twin).pixels)
    result = analyze_pair(S2 / "2.jpg", twin, references=[S2 / "3.jpg", S2 / "6.jpg", again]).result
    assert result.mode is Mode.NEW_SHOT
    face = result.metrics.face
    assert face.references == 2, face.references
    assert face.yardstick.startswith("the talent's own range across 3 photographs (the real one and 2 references)")
    assert f"not counted: reference 3 ({again.name}) is the twin itself ({copy})" in face.yardstick, face.yardstick
    assert _portraits_counted(result) == {3}, _portraits_counted(result)


@pytest.mark.slow
@needs_s2
def test_without_a_copy_of_the_twin_every_portrait_counts():
    """The control: the same man, three references that are other photographs of him."""
    result = analyze_pair(S2 / "2.jpg", S2 / "1.jpg", references=[S2 / n for n in ("3.jpg", "6.jpg", "7.jpg")]).result
    assert result.metrics.face.references == 3
    assert "not counted" not in result.metrics.face.yardstick
    assert _portraits_counted(result) == {4}


def test_the_twins_own_descriptor_among_the_talents_is_not_counted(tmp_path):
    real = save(astronaut(), tmp_path / "real.png")
    twin = save(jpeg_roundtrip(astronaut(), 92), tmp_path / "twin.jpg")
    other = save(jpeg_roundtrip(astronaut(), 70), tmp_path / "portrait.jpg")
    (of_twin, _), (of_other, _) = read_reference(twin), read_reference(other)
    refs = TalentReferences("Eileen Collins", (of_twin.descriptor, of_other.descriptor), of_twin.model)
    talent = analyze_pair(real, twin, talent=refs).result.metrics.identity.talent
    assert talent.references == 1 and talent.nearest > 0.01, talent
    assert "1 of Eileen Collins's reference portraits not counted: the twin's own picture" in talent.text, talent.text

    alone = TalentReferences("Eileen Collins", (of_twin.descriptor,), of_twin.model)
    talent = analyze_pair(real, twin, talent=alone).result.metrics.identity.talent
    assert isinstance(talent, Unmeasured), talent
    assert "no other reference portrait on record" in talent.reason, talent.reason
