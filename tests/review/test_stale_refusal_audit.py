"""A refused approval of a stale analysis is on the record (migration 0010), and a decision's audit
event says what its analysis was compared against: the analysis id, whether it holds by the whole
rule of 0009, why not, and the talent and portrait ids compared. Real SQLite and PostgreSQL; the
stored analyses are real results (tests/data/results)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.review.conftest import ON, stored_result, write_files
from twinproof import review
from twinproof.hashing import file_sha256
from twinproof.review import staleness

NEW_SHOT = stored_result("v3_newshot_jaw")


def _analysed(store, pair_id: int) -> int:
    against = review.read_basis(store, review.get_pair(store, pair_id).talent_id)
    review.store_analysis(store, pair_id, dataclasses.replace(NEW_SHOT, basis=against.basis))
    return max(r.detail["analysis_id"] for r in review.audit_rows(store, pair_id) if r.event == "analysis")


def _portrait(store, tmp_path, name: str) -> review.ReferenceRecord:
    path = write_files(tmp_path / "portraits", name)[0]
    return review.add_reference(store, "Ana Silva", path, file_sha256(path), [0.1] * 128, "m")


def _events(store, pair_id: int, kind: str) -> list[review.AuditRow]:
    return [r for r in review.audit_rows(store, pair_id) if r.event == kind]


def test_a_refused_stale_approval_is_on_the_record_with_what_was_compared(store, consented, tmp_path):
    one = consented["look01"].id
    ref = _portrait(store, tmp_path, "p1.jpg")
    analysis = _analysed(store, one)
    review.remove_reference(store, ref.id)
    with pytest.raises(review.StaleAnalysisError):
        review.decide(store, one, "approved", on=ON)
    with pytest.raises(review.StaleAnalysisError):
        review.decide(store, one, "approved_with_changes", override="I know better", on=ON)
    assert review.get_pair(store, one).state == "unreviewed"  # refused: no decision
    first, second = _events(store, one, "stale_block")
    assert first.reviewer == "alice" and first.summary == (
        "look01: approval refused - its analysis is stale (the talent's reference portraits changed "
        "since it was analysed)")
    talent = review.get_pair(store, one).talent_id
    assert first.detail == {
        "attempted": "approved", "override_offered": None, "analysis_id": analysis, "analysis_current": False,
        "stale_reason": staleness.PORTRAITS,
        "analysed": {"talent_id": talent, "reference_ids": [ref.id], "portrait_ids": [ref.id]},
        "now": {"talent_id": talent, "reference_ids": [], "portrait_ids": []}}
    assert second.detail["attempted"] == "approved_with_changes"
    assert second.detail["override_offered"] == "I know better"
    # a rejection of the stale analysis is not refused, and says it rested on a stale analysis
    review.decide(store, one, "rejected", reasons=["face_altered"], on=ON)
    decision = _events(store, one, "decision")[-1].detail
    assert (decision["analysis_id"], decision["analysis_current"], decision["stale_reason"]) == (
        analysis, False, staleness.PORTRAITS)


def test_a_decision_says_which_analysis_and_portraits_it_rested_on(store, consented, tmp_path):
    one = consented["look01"].id
    refs = [_portrait(store, tmp_path, name).id for name in ("p1.jpg", "p2.jpg")]
    (tmp_path / "portraits" / "p2.jpg").unlink()  # left out of her range: read, not measured
    analysis = _analysed(store, one)
    review.decide(store, one, "approved", on=ON)
    detail = _events(store, one, "decision")[-1].detail
    talent = review.get_pair(store, one).talent_id
    basis = {"talent_id": talent, "reference_ids": refs, "portrait_ids": refs[:1]}
    assert {k: detail[k] for k in ("analysis_id", "analysis_current", "stale_reason", "analysed", "now")} == {
        "analysis_id": analysis, "analysis_current": True, "stale_reason": None, "analysed": basis, "now": basis}
    assert _events(store, one, "stale_block") == []


def test_a_decision_without_an_analysis_says_so(store, consented):
    one = consented["look02"].id
    review.decide(store, one, "rejected", reasons=["artefact"], on=ON)
    detail = _events(store, one, "decision")[-1].detail
    assert (detail["analysis_id"], detail["analysis_current"], detail["analysed"]) == (None, False, None)
    assert detail["now"] == {"talent_id": review.get_pair(store, one).talent_id, "reference_ids": [],
                             "portrait_ids": []}
