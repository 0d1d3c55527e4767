"""The talent registry as the app's Talent & consent panel uses it: editing a person, which
pairs a consent covers, a link checked before it is made, linking undone."""

from __future__ import annotations

from datetime import date

import pytest

from twinproof import review
from twinproof.review import commands as cmd


def test_editing_a_talent_is_audited_and_refuses_a_taken_name_or_a_stale_view(store, other_store):
    ana = review.add_talent(store, "Ana Silva", agency="Elite")
    review.add_talent(store, "Eileen Collins")
    edited = review.update_talent(store, ana.id, name="Ana Sílva", agency="Elite Paris",
                                  expected_version=ana.version)
    assert (edited.name, edited.agency) == ("Ana Sílva", "Elite Paris")
    row = [r for r in review.audit_rows(store) if r.event == "talent"][-1]
    assert row.detail["before"] == {"name": "Ana Silva", "agency": "Elite"}
    assert row.detail["after"] == {"name": "Ana Sílva", "agency": "Elite Paris"}
    with pytest.raises(review.ReviewError, match="already in the registry"):
        review.update_talent(store, ana.id, name="Eileen Collins")
    with pytest.raises(review.ConflictError):
        review.update_talent(other_store, ana.id, agency="", expected_version=ana.version)
    assert review.update_talent(store, ana.id, agency="").agency is None
    events = len(review.audit_rows(store))
    review.update_talent(store, ana.id, name="Ana Sílva")  # nothing changes: nothing recorded
    assert len(review.audit_rows(store)) == events


def test_a_consent_covers_the_pairs_of_its_talent_within_term_and_campaign(store, pairs):
    review.add_talent(store, "Ana Silva")
    ids = [p.id for p in pairs.values()]
    review.link_talent(store, ids, "Ana Silva")
    ss27 = review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                              expires_on=date(2026, 6, 30), campaigns=["SS27"], no_release_reason="paper original")
    fw26 = review.add_consent(store, "Ana Silva", contract_ref="C-2", starts_on=date(2026, 1, 1),
                              expires_on=date(2026, 12, 31), campaigns=["FW26"], no_release_reason="paper original")
    inside = review.consent_coverage(store, ss27.id, on=date(2026, 3, 1))
    assert [(c.pair_name, c.covered) for c in inside] == [("look01", True), ("look02", True)]
    after = review.consent_coverage(store, ss27.id, on=date(2026, 7, 1))
    assert not any(c.covered for c in after) and "expired on 2026-06-30" in after[0].why_not
    other = review.consent_coverage(store, fw26.id, on=date(2026, 3, 1))
    assert not other[0].covered and "does not cover campaign 'SS27'" in other[0].why_not
    review.revoke_consent(store, ss27.id, reason="talent withdrew")
    revoked = review.consent_coverage(store, ss27.id, on=date(2026, 3, 1))
    assert not revoked[0].covered and "revoked" in revoked[0].why_not
    with pytest.raises(review.ReviewError, match="already revoked"):
        review.revoke_consent(store, ss27.id)
    assert review.audit_rows(store)[-1].detail["reason"] == "talent withdrew"
    # the revoked consent stays on record
    (ana,) = review.list_talent(store)
    assert [c.revoked for c in ana.consents] == [True, False]


def test_a_link_is_checked_before_it_is_made(store, pairs):
    pair = pairs["look01"]
    review.add_talent(store, "Eileen Collins")
    assert "no recorded consent" in review.consent_check_for(store, pair.id, "Eileen Collins")[0]
    review.add_consent(store, "Eileen Collins", contract_ref="C-9", starts_on=date(2020, 1, 1),
                       expires_on=date(2099, 1, 1), no_release_reason="paper original")
    assert review.consent_check_for(store, pair.id, "Eileen Collins") == []
    assert review.get_pair(store, pair.id).talent_id is None  # nothing was linked by asking


def test_linking_talent_undoes_and_redoes_and_never_unlinks_a_colleagues_link(store, other_store, pairs):
    pair = pairs["look01"]
    grace = review.add_talent(store, "Grace Hopper")
    eileen = review.add_talent(store, "Eileen Collins")
    stack = review.UndoStack(store)
    stack.push(cmd.LinkTalent(pair.id, "Grace Hopper"))
    assert review.get_pair(store, pair.id).talent_id == grace.id
    stack.push(cmd.LinkTalent(pair.id, None))
    assert review.get_pair(store, pair.id).talent_id is None
    stack.undo()
    assert review.get_pair(store, pair.id).talent_id == grace.id
    stack.undo()
    assert review.get_pair(store, pair.id).talent_id is None
    stack.redo()
    assert review.get_pair(store, pair.id).talent_id == grace.id
    events = [r.summary for r in review.audit_rows(store, pair.id) if r.event == "talent"]
    assert events == ["look01: talent Grace Hopper", "look01: talent unlinked",
                      "look01: talent Grace Hopper", "look01: talent unlinked",
                      "look01: talent Grace Hopper"]
    review.link_talent(other_store, [pair.id], "Eileen Collins")
    with pytest.raises(review.ConflictError):
        stack.undo()
    assert review.get_pair(store, pair.id).talent_id == eileen.id


def test_resolving_a_mark_undoes_and_refuses_a_colleagues_change(store, other_store, pairs):
    pair = pairs["look01"]
    mark = review.add_annotation(store, pair.id, "pin", {"x": 10, "y": 20}, image_size=(100, 100),
                                 text="jaw line")
    stack = review.UndoStack(store)
    stack.push(cmd.Resolve(mark.id))
    assert review.get_annotation(store, mark.id).resolved_by == "alice"
    stack.undo()
    assert not review.get_annotation(store, mark.id).resolved
    stack.redo()
    review.set_resolved(other_store, mark.id, False)  # bob reopens it
    with pytest.raises(review.ConflictError):
        stack.undo()
    actions = [r.detail.get("action") for r in review.audit_rows(store, pair.id) if r.event == "annotation"]
    assert actions == ["added", "resolved", "reopened", "resolved", "reopened"]


def test_revoking_a_consent_suspends_the_approvals_that_rested_on_it(store, pairs):
    """Both backends: the approval resting on C-1 becomes ``suspended`` (a decision the record
    writes, audited); a rejection and an approval on another consent are left as they were."""
    from datetime import timedelta

    today = date.today()
    review.add_talent(store, "Ana Silva")
    review.add_talent(store, "Bo Lin")
    one = review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=today,
                             expires_on=today + timedelta(days=9), no_release_reason="paper original")
    review.add_consent(store, "Bo Lin", contract_ref="B-1", starts_on=today,
                       expires_on=today + timedelta(days=9), no_release_reason="paper original")
    look01, look02 = pairs["look01"].id, pairs["look02"].id
    review.link_talent(store, [look01], "Ana Silva")
    review.link_talent(store, [look02], "Bo Lin")
    approved = review.decide(store, look01, "approved_with_changes", comment="crop")
    review.decide(store, look02, "approved")
    assert approved.consent_id == one.id
    assert review.revoke_consent(store, one.id, "talent withdrew") == [look01]
    after = review.get_pair(store, look01)
    assert after.state == "suspended" and after.version == approved.pair_version + 1
    assert review.get_pair(store, look02).state == "approved"
    last = review.decision_history(store, look01)[-1]
    assert last.state == "suspended" and last.consent_id == one.id and last.reviewer == "alice"
    assert last.reason_text.startswith("consent C-1 of Ana Silva revoked on ")
    event = review.audit_rows(store, look01)[-1]
    assert event.event == "suspended" and "approved with changes suspended" in event.summary
    assert event.detail["suspended_decision_id"] == approved.id
    with pytest.raises(review.ReviewError, match="only by revoking"):
        review.decide(store, look02, "suspended")
    with pytest.raises(review.ConsentError, match="all revoked"):
        review.decide(store, look01, "approved")


def test_a_revocation_is_final_even_in_plain_sql(store, pairs):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    review.add_talent(store, "Ana Silva")
    c = review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                           expires_on=date(2026, 12, 31), no_release_reason="paper original")
    review.revoke_consent(store, c.id)
    for statement in ("UPDATE consents SET revoked_at = NULL", "DELETE FROM consents",
                      "UPDATE consents SET expires_on = '2030-01-01'"):
        with pytest.raises(DBAPIError), store.engine.begin() as conn:
            conn.execute(text(statement))
    assert review.list_talent(store)[0].consents[0].revoked


def test_relinking_an_approved_pair_suspends_its_approval(store, pairs):
    """Both backends: the approval rested on the first person's consent."""
    from datetime import timedelta

    today = date.today()
    for name in ("Ana Silva", "Bo Lin"):
        review.add_talent(store, name)
        review.add_consent(store, name, contract_ref=f"C-{name[:2]}", starts_on=today,
                           expires_on=today + timedelta(days=9), no_release_reason="paper original")
    look01 = pairs["look01"].id
    review.link_talent(store, [look01], "Ana Silva")
    approved = review.decide(store, look01, "approved")
    review.link_talent(store, [look01], "Ana Silva")  # the same person again: nothing changes
    assert review.get_pair(store, look01).state == "approved"
    review.link_talent(store, [look01], "Bo Lin")
    pair = review.get_pair(store, look01)
    assert pair.state == "suspended" and pair.talent_name == "Bo Lin"
    last = review.decision_history(store, look01)[-1]
    assert last.consent_id == approved.consent_id
    assert "relinked from Ana Silva to Bo Lin" in last.reason_text
    assert [e.event for e in review.audit_rows(store, look01)][-2:] == ["talent", "suspended"]
    review.decide(store, look01, "approved")  # Bo's own consent covers it now
    assert review.get_pair(store, look01).state == "approved"


def test_a_consent_needs_its_signed_release_or_why_there_is_none(store, tmp_path):
    """The review layer refuses what the app's form refuses, in its words: the CLI, an import
    script and the team database's client path cannot record a consent nothing documents."""
    review.add_talent(store, "Ana Silva")
    for why in (None, "", "  \t "):
        with pytest.raises(review.ReviewError) as info:
            review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                               expires_on=date(2026, 12, 31), no_release_reason=why)
        assert str(info.value) == "Attach the signed release, or say why there is none."
    assert review.list_talent(store)[0].consents == []
    assert [e.event for e in review.audit_rows(store)] == ["talent"]
    review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                       expires_on=date(2026, 12, 31), no_release_reason=" paper original,\n in the safe ")
    release = tmp_path / "release.pdf"
    release.write_bytes(b"%PDF signed")
    with_release = review.add_consent(store, "Ana Silva", contract_ref="C-2", starts_on=date(2026, 1, 1),
                                      expires_on=date(2026, 12, 31), release=release)
    assert with_release.release_sha256 is not None
    summaries = [e.summary for e in review.audit_rows(store) if e.event == "consent"]
    assert summaries == ["consent C-1 for Ana Silva: 2026-01-01 to 2026-12-31; no signed release: "
                         "paper original, in the safe",
                         "consent C-2 for Ana Silva: 2026-01-01 to 2026-12-31"]
