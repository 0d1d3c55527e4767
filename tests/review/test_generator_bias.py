"""A talent's control frame beside her new-shot twins (issue 23), on real analyses: a control
whose skin the "generator" lightened ΔL* +10 reads as that generator's own bias (+8 to +10 L*,
measured as a same frame), shown beside her new-shot twin, whose skin change across two lights
cannot be judged on its own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.core.fidelity import cases
from tests.core.photos import PHOTOS, jpeg_roundtrip, save
from twinproof import review
from twinproof.cli.shoot_controls import lines
from twinproof.core.analysis import analyze_pair
from twinproof.core.compare.generator_bias import UNKNOWN
from twinproof.core.imageio import load_image
from twinproof.review.controls import talent_bias

S2 = Path(__file__).resolve().parents[2].parent / "shared" / "faces-more" / "ramiz" / "s2"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")]


def test_control_bias_stands_beside_her_new_shots(store, tmp_path, monkeypatch):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir(), twin.mkdir()
    base = load_image(S2 / "1.jpg").pixels
    monkeypatch.setitem(PHOTOS, "bias:s2/1", lambda: base)
    cases.landmarks.cache_clear()
    save(base, real / "look01.png")
    save(jpeg_roundtrip(np.ascontiguousarray(cases.lighten("bias:s2/1", base.copy(), 10)), 92), twin / "look01.jpg")
    save(load_image(S2 / "2.jpg").pixels, real / "look02.png")
    save(load_image(S2 / "3.jpg").pixels, twin / "look02.png")
    ids = {p.name: p for p in review.import_shoot(store, real, twin).added}
    review.add_talent(store, "Elvis")
    review.link_talent(store, [p.id for p in ids.values()], "Elvis")
    review.set_control(store, ids["look01"].id, True)
    for name, pair in ids.items():
        result = analyze_pair(pair.real_path, pair.twin_path, control=name == "look01").result
        review.store_analysis(store, pair.id, review.RecordedAnalysis(result))
    talent, groups = talent_bias(store, "Elvis")
    assert talent == "Elvis" and [g.generator for g in groups] == [UNKNOWN]
    skin = groups[0].bias("skin lightness ΔL*")
    assert skin is not None and 8.0 <= skin <= 10.5
    assert [n for n, _v in groups[0].new_shots["skin lightness ΔL*"]] == ["look02"]
    text = "\n".join(lines(talent, groups))
    assert "control +" in text and "new shots: look02" in text


def test_no_control_frame_says_how_to_mark_one():
    assert "twinproof shoot control PAIR" in lines("Elvis", [])[0]
