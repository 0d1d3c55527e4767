"""What removing a reference portrait sends back to be analysed, asked of the staleness rule before
the removal (``review.stale_if_removed``: the app's confirmation names those pairs), and the
portrait files' state as the app sees it recorded (``review.record_reference_files``). On real
SQLite and PostgreSQL; the stored analyses are real results (tests/data/results)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.review.conftest import stored_result, write_files
from twinproof import review
from twinproof.hashing import file_sha256
from twinproof.review import staleness

NEW_SHOT = stored_result("v3_newshot_jaw")


def _analysed(store, pair_id: int) -> None:
    against = review.read_basis(store, review.get_pair(store, pair_id).talent_id)
    review.store_analysis(store, pair_id, dataclasses.replace(NEW_SHOT, basis=against.basis))


def _portrait(store, tmp_path, name: str, talent: str = "Ana Silva") -> review.ReferenceRecord:
    path = write_files(tmp_path / "portraits", name)[0]
    return review.add_reference(store, talent, path, file_sha256(path), [0.1] * 128, "m")


def test_the_pairs_named_before_a_removal_are_those_the_rule_then_calls_stale(store, consented, tmp_path):
    one, two = consented["look01"].id, consented["look02"].id
    first = _portrait(store, tmp_path, "p1.jpg")
    _analysed(store, one)  # read p1 only
    second = _portrait(store, tmp_path, "p2.jpg")  # look01 is stale now: p2 was added since
    _analysed(store, two)  # read both
    assert review.get_pair(store, one).stale == staleness.PORTRAITS
    # look01 is already out of date: removing p1 cannot make it so; look02 read it
    assert review.stale_if_removed(store, first.id) == ["look02"]
    assert review.stale_if_removed(store, second.id) == ["look02"]
    review.remove_reference(store, second.id)
    assert {p.name: p.stale for p in review.list_pairs(store)} == {
        "look01": None, "look02": staleness.PORTRAITS}  # look01 read exactly what is left
    assert review.stale_if_removed(store, second.id) == []  # already removed
    assert review.stale_if_removed(store, first.id) == ["look01"]
    with pytest.raises(review.NotFoundError):
        review.stale_if_removed(store, 9999)


def test_a_portrait_whose_file_was_already_left_out_still_counts_as_read(store, consented, tmp_path):
    """A portrait whose file was missing when analysed was read for its descriptor, not measured as
    her range: removing it still changes what the analysis read."""
    one = consented["look01"].id
    _portrait(store, tmp_path, "p1.jpg")
    gone = _portrait(store, tmp_path, "p2.jpg")
    (tmp_path / "portraits" / "p2.jpg").unlink()
    _analysed(store, one)
    assert review.get_pair(store, one).stale is None
    assert review.stale_if_removed(store, gone.id) == ["look01"]


def test_the_files_seen_are_recorded_once_and_audited(store, consented, tmp_path):
    one = consented["look01"].id
    ref = _portrait(store, tmp_path, "p1.jpg")
    _analysed(store, one)
    (tmp_path / "portraits" / "p1.jpg").write_bytes(b"retouched")
    talent = review.get_pair(store, one).talent_id
    seen = review.read_basis(store, talent).basis.observed
    assert seen == ((ref.id, "edited"),)
    assert review.record_reference_files(store, seen) == [ref.id]
    assert review.record_reference_files(store, seen) == []  # nothing new: nothing written
    assert [r.file_problem for r in review.list_references(store, talent)] == ["edited"]
    assert review.get_pair(store, one).stale == staleness.PORTRAIT_FILES
    events = [r for r in review.audit_rows(store) if r.event == "reference" and r.detail.get("file_problem")]
    assert len(events) == 1 and events[0].detail["reference_id"] == ref.id
