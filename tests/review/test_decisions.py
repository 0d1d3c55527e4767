"""Decision rules: reasons, the failed-verdict override, consent, and their audit events."""

from __future__ import annotations

from datetime import date

import pytest

from tests.review.conftest import FAIL_RESULT, ON, PASS_RESULT, stored_result
from twinproof import review
from twinproof.core.result import Category
from twinproof.review import DecisionState, Reason
from twinproof.review.decisions import CATEGORY_REASONS, REASON_WORDS


def events(store, pair_id=None):
    return [e.event for e in review.audit_rows(store, pair_id)]


@pytest.mark.parametrize("state", ["rejected", "changes_requested"])
def test_reject_and_changes_need_a_reason(store, pairs, state):
    pair = pairs["look01"]
    with pytest.raises(review.ReasonRequiredError, match="at least one reason"):
        review.decide(store, pair.id, state)
    with pytest.raises(review.ReasonRequiredError, match="'other' needs"):
        review.decide(store, pair.id, state, reasons=["other"])
    with pytest.raises(review.ReviewError, match="reasons are"):
        review.decide(store, pair.id, state, reasons=["ugly"])
    rec = review.decide(store, pair.id, state, reasons=["face_altered", "other"],
                        reason_text="necklace missing", comment="see pin 3")
    assert rec.reasons == ["face_altered", "other"] and rec.reviewer == "alice"
    assert review.get_pair(store, pair.id).state == state
    assert events(store, pair.id) == ["decision"]


def test_approving_a_failed_verdict_needs_a_written_override(store, consented):
    pair = consented["look01"]
    review.store_analysis(store, pair.id, FAIL_RESULT)
    with pytest.raises(review.OverrideRequiredError, match="failed the analysis"):
        review.decide(store, pair.id, "approved", on=ON)
    with pytest.raises(review.OverrideRequiredError):
        review.decide(store, pair.id, "approved_with_changes", override="   ", on=ON)
    assert review.get_pair(store, pair.id).state == "unreviewed"
    rec = review.decide(store, pair.id, "approved", override="eyes match the shoot-day makeup",
                        on=ON)
    assert rec.override_justification == "eyes match the shoot-day makeup"
    assert rec.verdict_at_decision == "fail"
    assert events(store, pair.id)[-2:] == ["decision", "override"]
    override = review.audit_rows(store, pair.id)[-1]
    assert override.detail["justification"] == "eyes match the shoot-day makeup"
    assert override.reviewer == "alice"


def test_passing_verdict_approves_without_override(store, consented):
    pair = consented["look02"]
    review.store_analysis(store, pair.id, PASS_RESULT)
    rec = review.decide(store, pair.id, DecisionState.APPROVED, on=ON)
    assert rec.state == "approved" and rec.verdict_at_decision == "pass"
    assert "override" not in events(store, pair.id)


def test_approval_without_talent_is_blocked_and_audited(store, pairs):
    pair = pairs["look01"]
    with pytest.raises(review.ConsentError, match="linked to no talent") as info:
        review.decide(store, pair.id, "approved", on=ON, override="trust me")
    assert info.value.missing == ["pair 'look01' is linked to no talent: say who the real "
                                  "person is"]
    assert review.get_pair(store, pair.id).state == "unreviewed"
    block = review.audit_rows(store, pair.id)[-1]
    assert block.event == "consent_block" and block.detail["override_offered"] == "trust me"
    # Refusing is not consent-checked.
    review.decide(store, pair.id, "rejected", reasons=[Reason.ARTEFACT])


def test_approval_needs_a_consent_valid_on_the_day_and_for_the_campaign(store, pairs):
    pair = pairs["look01"]
    review.add_talent(store, "Ana Silva")
    review.link_talent(store, [pair.id], "Ana Silva")
    with pytest.raises(review.ConsentError, match="no recorded consent"):
        review.decide(store, pair.id, "approved", on=ON)
    c = review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                           expires_on=date(2026, 3, 31), campaigns=["AW26"],
                           channels=["web"], no_release_reason="paper original")
    with pytest.raises(review.ConsentError) as info:
        review.decide(store, pair.id, "approved", on=ON)
    message = str(info.value)
    assert "expired on 2026-03-31" in message and "campaign 'SS27'" in message
    with pytest.raises(review.ConsentError, match="starts only on 2026-01-01"):
        review.decide(store, pair.id, "approved", on=date(2025, 12, 31))
    review.add_consent(store, "Ana Silva", contract_ref="C-2", starts_on=date(2026, 4, 1),
                       expires_on=date(2026, 12, 31), campaigns=["SS27"], channels=["web"],
                       no_release_reason="paper original")
    with pytest.raises(review.ConsentError, match="channel 'print'"):
        review.decide(store, pair.id, "approved", on=ON, channel="print")
    rec = review.decide(store, pair.id, "approved_with_changes", on=ON, channel="web")
    assert rec.state == "approved_with_changes"
    review.revoke_consent(store, c.id + 1)
    with pytest.raises(review.ConsentError, match="C-1 of Ana Silva expired"):
        review.decide(store, pair.id, "approved", on=ON)
    review.revoke_consent(store, c.id)
    with pytest.raises(review.ConsentError, match="all revoked"):
        review.decide(store, pair.id, "approved", on=ON)
    assert events(store, pair.id).count("consent_block") == 6


def test_shoot_without_campaign_cannot_use_campaign_scoped_consent(store, consented):
    pair = consented["look01"]
    review.set_campaign(store, pair.shoot_id, None)
    with pytest.raises(review.ConsentError, match="no campaign set"):
        review.decide(store, pair.id, "approved", on=ON)


def test_decisions_are_a_history_and_reset_is_allowed(store, consented):
    pair = consented["look01"]
    review.decide(store, pair.id, "changes_requested", reasons=["skin_retouched"], on=ON)
    review.decide(store, pair.id, "approved", on=ON)
    review.decide(store, pair.id, "unreviewed")
    history = review.decision_history(store, pair.id)
    assert [d.state for d in history] == ["changes_requested", "approved", "unreviewed"]
    assert review.get_pair(store, pair.id).version == pair.version + 3


def test_unknown_state_and_pair(store, pairs):
    with pytest.raises(review.ReviewError, match="unknown decision"):
        review.decide(store, pairs["look01"].id, "maybe")
    with pytest.raises(review.NotFoundError):
        review.decide(store, 999, "rejected", reasons=["other"], reason_text="x")


def test_suggested_reasons_follow_the_core_flag_categories():
    assert review.suggest_reasons(FAIL_RESULT.result) == [Reason.FACE_ALTERED]
    lightened = stored_result("v2_look04").result  # skin lightened ΔL* +6 and airbrushed
    assert review.suggest_reasons(lightened) == [Reason.SKIN_TONE_SHIFTED, Reason.SKIN_RETOUCHED]
    assert review.suggest_reasons(lightened.to_json()) == review.suggest_reasons(lightened)
    # exhaustive: every category of the core has its entry, every reason its words
    assert set(CATEGORY_REASONS) == set(Category)
    assert set(REASON_WORDS) == set(Reason)
    # a scene's colour cast is not a garment fault; an uncertain alignment is no reason at all
    assert review.reason_for_flag("colour") is Reason.SCENE_COLOUR
    assert review.reason_for_flag("garment_colour") is Reason.GARMENT_COLOUR_WRONG
    assert review.reason_for_flag("alignment") is None
    assert review.reason_for_flag("identity") is Reason.NOT_THE_PERSON
    assert review.reason_for_flag("something_new") is None


def test_decide_command_undo_restores_previous_decision_as_new_history(store, other_store,
                                                                      pairs):
    from twinproof.review.commands import Decide

    pid = pairs["look01"].id
    stack = review.UndoStack(store)
    stack.push(Decide(pid, "rejected", reasons=("artefact",), expected_version=1))
    stack.push(Decide(pid, "changes_requested", reasons=("other",), reason_text="hem"))
    stack.undo()
    assert review.get_pair(store, pid).state == "rejected"
    last = review.decision_history(store, pid)[-1]
    assert (last.state, last.reasons, last.comment) == ("rejected", ["artefact"], "undo")
    stack.redo()
    assert review.get_pair(store, pid).state == "changes_requested"
    stack.undo()
    stack.undo()
    assert review.get_pair(store, pid).state == "unreviewed"
    assert len(review.decision_history(store, pid)) == 6
    stack.redo()
    review.decide(other_store, pid, "rejected", reasons=["face_altered"])
    with pytest.raises(review.ConflictError, match="decided on this pair since"):
        stack.undo()
    assert review.get_pair(store, pid).state == "rejected"
    assert review.decision_history(store, pid)[-1].reviewer == "bob"


def test_decide_returns_the_new_pair_version(store, pairs):
    pair = pairs["look02"]
    rec = review.decide(store, pair.id, "rejected", reasons=["artefact"],
                        expected_version=pair.version)
    assert rec.pair_version == pair.version + 1
    review.decide(store, pair.id, "rejected", reasons=["body_altered"],
                  expected_version=rec.pair_version)


def test_consent_check_is_the_same_rule_without_audit(store, consented, pairs):
    pair = consented["look01"]
    assert review.consent_check(store, pair.id, on=ON) == []
    assert "expired on 2026-12-31" in review.consent_check(store, pair.id,
                                                           on=date(2027, 1, 1))[0]
    review.link_talent(store, [pair.id], None)
    assert "linked to no talent" in review.consent_check(store, pair.id, on=ON)[0]
    assert "consent_block" not in events(store, pair.id)


def test_every_reason_the_app_offers_is_one_the_database_accepts(store, pairs):
    """On PostgreSQL the rule function keeps its own list of reasons (migration 0003): a reason
    added to ``Reason`` without a migration would be refused there."""
    pair = pairs["look01"]
    for reason in Reason:
        review.decide(store, pair.id, "rejected", reasons=[reason], reason_text="why, in words")
    assert [d.reasons for d in review.decision_history(store, pair.id)] == [[r.value] for r in Reason]
