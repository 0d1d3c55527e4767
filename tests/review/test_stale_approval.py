"""A twin is never approved on an analysis that no longer holds (migration 0009): its files, its
control mark, its linked talent, the talent's reference portraits or their files changed since it was
made. The review layer refuses first, with the reason; the database refuses too, for a client
that goes around it (PostgreSQL in the layer's own words, SQLite with one fixed sentence). On
real SQLite and PostgreSQL; the stored analyses are real results (tests/data/results)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from tests.review.conftest import ON, stored_result, write_files
from twinproof import review
from twinproof.batch.planning import plan
from twinproof.hashing import file_sha256
from twinproof.review import models as m
from twinproof.review import staleness
from twinproof.review.migrations.basis_0009 import SQLITE_REFUSAL

NEW_SHOT = stored_result("v3_newshot_jaw")


def _approve(store, pair_id: int) -> review.DecisionRecord:
    return review.decide(store, pair_id, "approved", on=ON)


def _refused(store, pair_id: int, why: str) -> None:
    name = review.get_pair(store, pair_id).name
    with pytest.raises(review.StaleAnalysisError) as refusal:
        _approve(store, pair_id)
    assert str(refusal.value) == (f"cannot approve {name!r}: its analysis is stale ({why}): "
                                  "analyse the pair again, then approve")
    assert refusal.value.reason == why
    with pytest.raises(review.StaleAnalysisError):  # no justification overrides it
        review.decide(store, pair_id, "approved_with_changes", override="I know better", on=ON)
    assert review.get_pair(store, pair_id).state == "unreviewed"  # nothing was recorded


def _planned(store) -> dict[str, str]:
    policy = NEW_SHOT.result.policy
    return {t.name: t.reason for t in plan(store, "ss27", (policy.name, policy.version), models={}).tasks}


def _portrait(store, tmp_path, name: str, talent: str = "Ana Silva") -> review.ReferenceRecord:
    path = write_files(tmp_path / "portraits", name)[0]
    return review.add_reference(store, talent, path, file_sha256(path), [0.1] * 128, "m")


def _analysed(store, pair_id: int) -> None:
    """Analysed as the app does: what it is measured against read first, recorded with it."""
    against = review.read_basis(store, review.get_pair(store, pair_id).talent_id)
    review.store_analysis(store, pair_id, dataclasses.replace(NEW_SHOT, basis=against.basis))


def test_changed_files_refuse_an_approval_until_analysed_again(store, consented, shoot_dirs):
    one = consented["look01"].id
    _analysed(store, one)
    (shoot_dirs[1] / "look01.png").write_bytes(b"regenerated")
    review.check_files(store)
    _refused(store, one, staleness.FILES)
    assert review.decide(store, one, "rejected", reasons=["artefact"], on=ON).state == "rejected"
    _analysed(store, one)
    assert _approve(store, one).state == "approved"


def test_a_control_mark_since_refuses_an_approval(store, consented):
    one = consented["look01"]
    _analysed(store, one.id)
    review.set_control(store, one.id, True, review.get_pair(store, one.id).version)
    _refused(store, one.id, staleness.MARKED)


def test_a_talent_linked_after_the_analysis_refuses_an_approval(store, pairs, consented, tmp_path):
    """The pair was analysed before anyone said who she is (hole b). Linking a talent without
    reference portraits changes nothing the analysis measured (no portraits: the spread of other
    people either way), so it stays current: no re-analysis for every pair of a shoot linked after
    its batch. Linking one whose portraits would have been read (her portraits changed for this
    pair), or away from one whose portraits were (the talent changed), makes it stale."""
    review.add_talent(store, "Bea")
    _portrait(store, tmp_path, "bea.jpg", talent="Bea")
    one = pairs["look01"].id
    review.link_talent(store, [one], None)
    _analysed(store, one)
    assert review.get_pair(store, one).stale is None
    review.link_talent(store, [one], "Ana Silva")  # no portraits of her
    assert review.get_pair(store, one).stale is None and "look01" not in _planned(store)
    review.link_talent(store, [one], "Bea")  # her portrait would have been read
    assert review.get_pair(store, one).stale == staleness.PORTRAITS
    assert _planned(store)["look01"] == staleness.PORTRAITS
    _refused(store, one, staleness.PORTRAITS)
    _analysed(store, one)
    assert review.get_pair(store, one).stale is None
    review.link_talent(store, [one], "Ana Silva")  # measured against Bea's portrait, not hers
    assert review.get_pair(store, one).stale == staleness.TALENT == "the pair's talent changed since it was analysed"
    assert _planned(store)["look01"] == staleness.TALENT
    _refused(store, one, staleness.TALENT)
    _analysed(store, one)
    assert _approve(store, one).state == "approved"


def test_a_portrait_added_while_the_analysis_ran_makes_it_stale_when_stored(store, consented, tmp_path):
    """Read the talent's portraits, then one is added, then the analysis is stored (hole c): it was not
    measured against that portrait, whatever the times say."""
    one = consented["look01"].id
    _portrait(store, tmp_path, "p1.jpg")
    against = review.read_basis(store, review.get_pair(store, one).talent_id)
    _portrait(store, tmp_path, "p2.jpg")
    review.store_analysis(store, one, dataclasses.replace(NEW_SHOT, basis=against.basis))
    assert review.get_pair(store, one).stale == staleness.PORTRAITS
    _refused(store, one, staleness.PORTRAITS)


def test_a_portrait_added_by_a_client_whose_clock_is_behind_still_makes_it_stale(store, consented, tmp_path):
    """A reviewer's laptop an hour behind the server records the portrait's time an hour before
    the analysis' (hole d): staleness compares what was measured, never two clocks."""
    one = consented["look01"].id
    _analysed(store, one)
    ref = _portrait(store, tmp_path, "late.jpg")
    with store.transaction() as session:
        analysed_at = session.scalars(select(m.Analysis.created_at).order_by(m.Analysis.id.desc())).first()
        session.get(m.TalentReference, ref.id).created_at = analysed_at - timedelta(hours=1)
    assert review.get_pair(store, one).stale == staleness.PORTRAITS
    _refused(store, one, staleness.PORTRAITS)


def test_a_portrait_file_edited_on_disk_after_the_analysis_makes_it_stale(store, consented, tmp_path):
    """Hole a: her portrait was measured as hers; then its file is retouched. Checking the files
    (the app does it when it opens a shoot) records it, and the analysis no longer holds; the
    analysis made again leaves that portrait out and holds; the file restored counts again."""
    one = consented["look01"].id
    ref = _portrait(store, tmp_path, "p1.jpg")
    _portrait(store, tmp_path, "p2.jpg")
    _analysed(store, one)
    assert _planned(store).get("look01") is None
    path = tmp_path / "portraits" / "p1.jpg"
    enrolled = path.read_bytes()
    path.write_bytes(b"retouched")
    review.check_files(store)
    assert review.get_pair(store, one).stale == staleness.PORTRAIT_FILES
    assert _planned(store)["look01"] == staleness.PORTRAIT_FILES
    _refused(store, one, staleness.PORTRAIT_FILES)
    events = [e for e in review.audit_rows(store) if e.event == "reference" and "p1.jpg of Ana Silva" in e.summary]
    assert events[-1].summary == ("reference portrait p1.jpg of Ana Silva: its file no longer holds the content "
                                  "it was enrolled with; left out of the talent's own range until its file holds the "
                                  "enrolled content again")
    again = review.read_basis(store, review.get_pair(store, one).talent_id)
    assert again.basis.portraits == tuple(sorted(set(again.basis.references) - {ref.id}))
    assert str(path) not in again.files
    _analysed(store, one)
    assert review.get_pair(store, one).stale is None
    assert _approve(store, one).state == "approved"
    path.write_bytes(enrolled)
    review.check_files(store)
    assert review.get_pair(store, one).stale == staleness.PORTRAIT_FILES


def test_the_database_refuses_a_stale_approval_from_a_client_that_goes_around_the_layer(store, consented):
    one = consented["look01"]
    _analysed(store, one.id)
    review.set_control(store, one.id, True, review.get_pair(store, one.id).version)
    words = staleness.refusal("look01", staleness.MARKED)
    if store.backend == "postgresql":
        # the rule function, as psql would call it: refused, and the refusal is on the record (0010)
        with store.engine.begin() as conn:
            done = conn.execute(text("SELECT twinproof_decide(:p, 'approved', '[]', NULL, NULL, NULL, NULL, "
                                     ":on, NULL, 'mallory')"), {"p": one.id, "on": ON}).scalar_one()
        assert done == {"stale": staleness.MARKED, "pair": "look01"}
        assert [(r.reviewer, r.event) for r in review.audit_rows(store, one.id)][-1] == ("mallory", "stale_block")
        with store.engine.begin() as conn:
            assert conn.execute(text("SELECT twinproof_stale_reason(max(id)) FROM analyses WHERE pair_id = :p"),
                                {"p": one.id}).scalar_one() == staleness.MARKED
    insert = text("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
                  "VALUES (:p, :s, '[]', 'mallory', CURRENT_TIMESTAMP)")
    # even the schema's owner, by hand
    with pytest.raises(IntegrityError if store.backend == "sqlite" else DBAPIError) as raw, \
            store.engine.begin() as conn:
        conn.execute(insert, {"p": one.id, "s": "approved"})
    assert (SQLITE_REFUSAL if store.backend == "sqlite" else words) in str(raw.value.orig)
    # as the app sees it, whichever backend
    with pytest.raises(review.StaleAnalysisError), store.transaction() as session:
        session.execute(insert, {"p": one.id, "s": "approved_with_changes"})
    with store.engine.begin() as conn:  # rejecting a stale analysis is fine
        conn.execute(text("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
                          "VALUES (:p, 'rejected', '[\"artefact\"]', 'mallory', CURRENT_TIMESTAMP)"), {"p": one.id})
    review.set_control(store, one.id, False, review.get_pair(store, one.id).version)  # it holds again
    with store.engine.begin() as conn:
        conn.execute(insert, {"p": one.id, "s": "approved"})


@pytest.mark.parametrize("cause", ["files", "control", "talent", "portrait", "portrait_file", "current"])
def test_the_database_and_the_layer_agree_cause_by_cause(store, consented, shoot_dirs, tmp_path, cause):
    """The database's triggers refuse a written approval exactly when ``review.staleness`` says
    stale, and PostgreSQL's ``twinproof_stale_reason`` gives the layer's reason."""
    one = consented["look01"].id
    ref = _portrait(store, tmp_path, "p1.jpg")
    _analysed(store, one)
    if cause == "files":
        (shoot_dirs[0] / "look01.jpg").write_bytes(b"re-exported")
        review.check_files(store)
    elif cause == "control":
        review.set_control(store, one, True, review.get_pair(store, one).version)
    elif cause == "talent":
        review.add_talent(store, "Bea")
        review.link_talent(store, [one], "Bea")
    elif cause == "portrait":
        review.remove_reference(store, ref.id)
    elif cause == "portrait_file":
        (tmp_path / "portraits" / "p1.jpg").unlink()
        review.check_files(store)
    pair = review.get_pair(store, one)
    layer = None if pair.up_to_date else (pair.stale or staleness.FILES)
    assert (layer is None) == (cause == "current")
    if store.backend == "postgresql":
        with store.engine.begin() as conn:
            assert conn.execute(text("SELECT twinproof_stale_reason(max(id)) FROM analyses WHERE pair_id = :p"),
                                {"p": one}).scalar_one() == layer
    insert = text("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
                  "VALUES (:p, 'approved', '[]', 'mallory', CURRENT_TIMESTAMP)")
    try:
        with store.engine.begin() as conn:
            conn.execute(insert, {"p": one})
        refused = None
    except DBAPIError as exc:
        refused = str(exc.orig)
    assert (refused is None) == (layer is None), refused


def test_an_analysis_stored_without_its_basis_through_the_old_function_is_not_approved(store, consented):
    """A script calling the 0003 form cannot say what it measured against: the rule does not take
    it as current."""
    if store.backend != "postgresql":
        pytest.skip("the 0003 store function is PostgreSQL's")
    one = consented["look01"].id
    with store.engine.begin() as conn:
        conn.execute(text("SELECT twinproof_store_analysis(:p, CAST(:r AS jsonb), 'p', '1', '{}', 'script')"),
                     {"p": one, "r": '{"verdict": "pass"}'})
    assert review.get_pair(store, one).stale == staleness.UNRECORDED
    _refused(store, one, staleness.UNRECORDED)


def test_a_portrait_missing_when_analysed_leaves_the_analysis_current(store, consented, tmp_path):
    """A portrait whose file was already gone when the analysis read it (an unmounted drive) was
    left out; the analysis holds, and is not planned again and again."""
    one = consented["look01"].id
    _portrait(store, tmp_path, "p1.jpg")
    gone = _portrait(store, tmp_path, "p2.jpg")
    (tmp_path / "portraits" / "p2.jpg").unlink()
    _analysed(store, one)
    assert review.get_pair(store, one).stale is None and "look01" not in _planned(store)
    assert [r.summary for r in review.audit_rows(store) if r.event == "reference"][-1] == (
        "reference portrait p2.jpg of Ana Silva: its file is missing; left out of the talent's own range until "
        "its file holds the enrolled content again")
    assert _approve(store, one).state == "approved"
    assert gone.id not in review.read_basis(store, review.get_pair(store, one).talent_id).basis.portraits
