"""``twinproof talent reference``: enrolment says how many portraits her own range needs and
what fewer cannot show, as they are added, listed and removed (real photographs of one man,
``../shared/faces-more``; the numbers are ``core.enrolment``'s, read by the app too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinproof import review
from twinproof.cli import main
from twinproof.core.enrolment import recommended

S2 = Path(__file__).resolve().parents[2].parent / "shared" / "faces-more" / "ramiz" / "s2"


@pytest.mark.skipif(not (S2 / "3.jpg").is_file(), reason="../shared/faces-more is absent")
def test_adding_listing_and_removing_portraits_says_what_her_range_needs(tmp_path, capsys):
    db = str(tmp_path / "s.twinproof")
    store = review.open_store(db, reviewer="tester")
    review.create_shoot(store, "SS27")
    store.close()
    assert main(["talent", "add", "Elvis", "--db", db]) == 0
    assert main(["talent", "reference", "list", "Elvis", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "0 reference portraits: add 2 more for the talent's own range to be the yardstick" in out
    assert "a jaw slimmed 10 % caught in 0 of 8 twins against one photograph" in out
    assert main(["talent", "reference", "add", "Elvis", str(S2 / "3.jpg"), str(S2 / "6.jpg"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.count("reference #") == 2
    assert f"2 reference portraits: the talent's own range is the yardstick ({recommended()} recommended)" in out
    assert "a jaw slimmed 10 % caught in" in out and "photographs of the talent" in out  # the measured rates
    assert main(["talent", "reference", "remove", "1", "--db", db]) == 0
    assert "1 reference portrait: add 1 more" in capsys.readouterr().out
