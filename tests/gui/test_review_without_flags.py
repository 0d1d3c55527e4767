"""A pair whose verdict is 'review' without a single flag (a measurement the policy requires
could not be made: a 24 px twin shows no face) says why, in the pair list and atop the evidence
panel; it read "no flags" beside a yellow 'review'."""

from __future__ import annotations

import shutil

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
