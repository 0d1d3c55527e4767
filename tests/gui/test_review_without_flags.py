"""A pair whose verdict is 'review' without a single flag (a measurement the policy requires
could not be made: a 24 px twin shows no face) says why, in the pair list and atop the evidence
panel; it read "no flags" beside a yellow 'review'."""

from __future__ import annotations

import shutil

import pytest

from tests.gui.conftest import SAMPLE, open_plan, wait_idle
from twinproof.gui.pairlist import detail_text


def test_a_review_without_flags_says_what_was_not_measured(window, qtbot, tmp_path):
    from PIL import Image

    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    for n in ("01", "04"):
        shutil.copy(SAMPLE / f"look{n}_real.jpg", real / f"look{n}.jpg")
    shutil.copy(SAMPLE / "look01_twin.jpg", twin / "look01.jpg")  # a faithful twin: pass
    Image.open(SAMPLE / "look04_twin.jpg").resize((24, 24)).save(twin / "look04.jpg")
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    s = window.session
    states = {s.pairs[i].record.name: s.pairs[i] for i in s.order}
    qtbot.waitUntil(lambda: all(p.analysed for p in states.values()), timeout=60_000)
    tiny = states["look04"]
    assert tiny.record.verdict == "review" and not tiny.typed.flags
    assert tiny.typed.missing_required  # the reason the verdict is 'review'
    said = detail_text(tiny)
    assert said.startswith("not measured: ") and all(m in said for m in tiny.typed.missing_required), said
    assert detail_text(states["look01"]) == "no flags"  # a pass without flags stays as it was
    s.set_current(tiny.record.id)
    qtbot.waitUntil(lambda: "Not measured" in window.metrics.verdict.text())
    assert all(m in window.metrics.verdict.text() for m in tiny.typed.missing_required)


def test_a_pair_without_a_face_says_face_not_eye_width(window, qtbot, tmp_path):
    """A photograph without a person (a pen, shot on a phone): the core's one row for the whole
    face is "Face", not measured; the panel renamed it by its first measurement's plain words,
    "Eye width (face to face, new shot)" on a same-frame pair, and "Body" became "Body: shoulder
    to hip ratio"."""
    from PIL import Image

    from tests.conftest import DATA
    from twinproof.core.imageio import load_image

    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copy(DATA / "phone" / "xiaomi_m2012k11ag.heic", real / "pen.heic")
    Image.fromarray(load_image(real / "pen.heic").pixels).save(twin / "pen.jpg", quality=92)
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    s = window.session
    qtbot.waitUntil(lambda: s.current is not None and s.current.analysed, timeout=60_000)
    s.set_current(s.current.record.id)
    tree = window.metrics.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 10)
    labels = [" ".join(tree.topLevelItem(i).text(0).split()) for i in range(tree.topLevelItemCount())]
    assert "Face" in labels and "Body" in labels, labels
    assert not any(t.startswith(("Eye width", "Body: ")) for t in labels), labels


@pytest.mark.parametrize("broken", ["twin", "real"])
def test_a_pair_that_cannot_be_shown_says_why_inside_each_pane(window, qtbot, tmp_path, broken):
    """A truncated file: "Cannot show this pair: … is truncated or corrupt …" was one centred
    line wider than the pane, cut at both edges ("cated or corrupt: the file ends before the pi").
    A truncated twin leaves the real photograph on screen and its own pane says why; a truncated
    real leaves nothing to show, and each pane says why."""
    from twinproof.gui.theme import CANVAS_GREY

    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    for folder, role in ((real, "real"), (twin, "twin")):
        data = (SAMPLE / f"look02_{role}.jpg").read_bytes()
        (folder / "look02.jpg").write_bytes(data[:3000] if role == broken else data)
    window.resize(1280, 720)
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    model = window.compare.model
    if broken == "twin":
        qtbot.waitUntil(lambda: model.shown.images is not None and not model.shown.images.preview, timeout=30_000)
        assert model.shown.images.twin is None
        text = f"The twin cannot be shown: {model.shown.images.twin_problem}"
        pane = window.compare.right
    else:
        qtbot.waitUntil(lambda: "Cannot show this pair" in model.shown.message, timeout=30_000)
        text, pane = model.shown.message, window.compare.left
    assert "truncated or corrupt" in text
    image = pane.grab().toImage()
    assert pane.fontMetrics().horizontalAdvance(text) > pane.width()  # the case
    for x in (0, 1, 2, image.width() - 3, image.width() - 2, image.width() - 1):
        for y in range(0, image.height(), 2):
            assert image.pixelColor(x, y) == CANVAS_GREY, (x, y)  # no text runs into the pane's edges
