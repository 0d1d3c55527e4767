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


def test_a_portrait_with_a_file_problem_is_listed_so_and_not_counted_for_her_range(tmp_path, capsys):
    """As the app's Portraits… and its enrolment line: the file's state as last seen, and her range
    counts only the portraits whose files hold."""
    db = str(tmp_path / "s.twinproof")
    store = review.open_store(db, reviewer="tester")
    review.add_talent(store, "Ana")
    refs = []
    for i, name in enumerate(("a.jpg", "b.jpg", "c.jpg")):
        path = tmp_path / name
        path.write_bytes(b"portrait %d" % i)
        refs.append(review.add_reference(store, "Ana", path, review.hash_file(path), [0.1 + i] * 128, "m"))
    (tmp_path / "b.jpg").unlink()
    review.record_reference_files(store, review.read_basis(store, refs[0].talent_id).basis.observed)
    store.close()
    assert main(["talent", "reference", "list", "Ana", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].strip() == ("its file is missing (as last seen; `shoot check` and the app's Portraits… look "
                                "again): left out of the talent's own range")
    assert not lines[1].strip().startswith("its file") and lines[3].lstrip().startswith("3  ")
    assert any(line.startswith("2 reference portraits: the talent's own range is the yardstick") and
               line.endswith("(1 more left out: a file problem)") for line in lines)
