"""The database enforces the review rules (migration 0003), tried as the reviewer role that
``db upgrade --reviewers`` sets up, with plain SQL on the real PostgreSQL server: every write
issue 25 found possible is refused, and the record and the audit trail are left unchanged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.review.conftest import FAIL_RESULT, PASS_RESULT, write_files
from tests.review.test_roles import REVIEWER_URL, pytestmark, team_schema  # noqa: F401 (marks)
from twinproof import review

TABLES = ("pairs", "decisions", "consents", "analyses", "audit_events", "talents")


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY id"))] for t in TABLES}


@pytest.fixture
def team(tmp_path):
    """A team schema with, as reviewer carol: look01 approved on consent C-1 (passing
    analysis), look02 rejected (failing analysis), look03 linked to a talent with no consent,
    look04 failing and consented, undecided; then C-1 revoked.
    Yields (owner engine, reviewer engine, {name: pair id}, consent id)."""
    write_files(tmp_path / "real", "look01.jpg", "look02.jpg", "look03.jpg", "look04.jpg")
    write_files(tmp_path / "twin", "look01.png", "look02.png", "look03.png", "look04.png")
    with team_schema() as (owner_url, reviewer_url):
        store = review.open_store(reviewer_url, reviewer="carol")
        try:
            ids = {p.name: p.id for p in review.import_shoot(store, tmp_path / "real", tmp_path / "twin",
                                                              campaign="SS27").added}
            review.add_talent(store, "Ana Silva")
            review.add_talent(store, "Bo Lin")
            today = date.today()
            consent = review.add_consent(store, "Ana Silva", contract_ref="C-1",
                                         starts_on=today - timedelta(days=30),
                                         expires_on=today + timedelta(days=30), no_release_reason="paper original")
            review.link_talent(store, [ids["look01"], ids["look02"]], "Ana Silva")
            review.link_talent(store, [ids["look03"]], "Bo Lin")
            review.add_talent(store, "Cy Ray")
            review.add_consent(store, "Cy Ray", contract_ref="C-9", starts_on=today,
                               expires_on=today + timedelta(days=30), no_release_reason="paper original")
            review.link_talent(store, [ids["look04"]], "Cy Ray")
            review.store_analysis(store, ids["look04"], FAIL_RESULT)
            review.store_analysis(store, ids["look01"], PASS_RESULT)
            review.store_analysis(store, ids["look02"], FAIL_RESULT)
            review.decide(store, ids["look01"], "approved")
            review.decide(store, ids["look02"], "rejected", reasons=["face_altered"])
            assert review.revoke_consent(store, consent.id, "talent withdrew") == [ids["look01"]]
        finally:
            store.close()
        owner, reviewer = create_engine(owner_url), create_engine(reviewer_url)
        try:
            yield owner, reviewer, ids, consent.id
        finally:
            owner.dispose()
            reviewer.dispose()


FORBIDDEN = [
    # the issue's un-revocation
    ("UPDATE consents SET revoked_at = NULL WHERE id = :consent", "permission denied"),
    ("DELETE FROM consents", "permission denied"),
    ("INSERT INTO consents (talent_id, contract_ref, starts_on, expires_on, campaigns, channels, "
     "created_at, recorded_by) SELECT talent_id, 'C-forged', starts_on, expires_on, campaigns, channels, "
     "created_at, 'carol' FROM consents", "permission denied"),
    # a rejected twin made to look approved: there is no state column to set
    ("UPDATE pairs SET state = 'approved', version = version + 1 WHERE id = :look02", "does not exist"),
    # a decision forged in another reviewer's name, past the override and consent rules
    ("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
     "VALUES (:look03, 'approved', '[]', 'bob', now())", "permission denied"),
    ("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
     "VALUES (:look02, 'approved', '[]', 'bob', now())", "permission denied"),
    ("UPDATE decisions SET reviewer = 'bob'", "permission denied"),
    # a pair's twin path and hash, an analysis with verdict pass
    ("UPDATE pairs SET twin_path = '/tmp/other.png', twin_sha256 = repeat('0', 64) WHERE id = :look02",
     "permission denied"),
    ("UPDATE pairs SET real_sha256 = repeat('0', 64)", "permission denied"),
    ("INSERT INTO analyses (pair_id, result, verdict, model_versions, real_sha256, twin_sha256, created_at) "
     "SELECT id, '{\"verdict\": \"pass\"}', 'pass', '{}', real_sha256, twin_sha256, now() FROM pairs",
     "permission denied"),
    ("UPDATE analyses SET verdict = 'pass'", "permission denied"),
    # an audit event the rules write, forged
    ("INSERT INTO audit_events (at, reviewer, event, pair_id, summary, detail) "
     "VALUES (now(), 'bob', 'decision', :look03, 'look03: approved', '{}')", "own rules"),
    ("INSERT INTO audit_events (at, reviewer, event, summary, detail) "
     "VALUES (now(), 'bob', 'consent', 'consent C-1 reinstated', '{}')", "own rules"),
    # a refused approval of a stale analysis (migration 0010), forged or written as something else
    ("INSERT INTO audit_events (at, reviewer, event, pair_id, summary, detail) "
     "VALUES (now(), 'bob', 'stale_block', :look03, 'look03: approval refused', '{}')", "own rules"),
    # around the doors: the rule functions refuse what the rules refuse
    ("SELECT twinproof_decide(:look04, 'approved', '[]', NULL, NULL, NULL, NULL, NULL, NULL, 'bob')",
     "needs --override"),
    ("SELECT twinproof_decide(:look04, 'approved', '[]', NULL, NULL, '  ', NULL, NULL, NULL, 'bob')",
     "needs --override"),
    ("SELECT twinproof_decide(:look04, 'approved', '[]', NULL, NULL, NULL, 1, NULL, NULL, 'bob')",
     "changed by another reviewer"),
    ("SELECT twinproof_decide(:look01, 'suspended', '[]', NULL, NULL, NULL, NULL, NULL, NULL, 'bob')",
     "only by revoking"),
    ("SELECT twinproof_decide(:look01, 'approved', '[]', NULL, NULL, NULL, NULL, DATE '2026-01-01', "
     "NULL, 'bob')", "a reviewer decides as of today"),
    ("SELECT twinproof_decide(:look02, 'rejected', '[]', NULL, NULL, NULL, NULL, NULL, NULL, 'bob')",
     "at least one reason"),
    ("SELECT twinproof_revoke_consent(:consent, NULL, 'bob')", "already revoked"),
    # and the doors cannot be changed or bypassed
    ("CREATE OR REPLACE FUNCTION twinproof_is_owner() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$",
     "permission denied for schema"),
    ("ALTER FUNCTION twinproof_decide(integer, text, jsonb, text, text, text, integer, date, text, text) "
     "SECURITY INVOKER", "must be owner"),
    ("DROP TRIGGER consents_revocation_final ON consents", "must be owner"),
    ("ALTER TABLE audit_events DISABLE TRIGGER audit_events_reserved", "must be owner"),
]


def test_every_forbidden_write_is_refused_and_changes_nothing(team):
    owner, reviewer, ids, consent = team
    params = {"consent": consent, **ids}
    before = snapshot(owner)
    assert [r for r in before["decisions"] if r[1] == ids["look01"]][-1][2] == "suspended"
    for statement, refusal in FORBIDDEN:
        wanted = {k: v for k, v in params.items() if f":{k}" in statement}
        with pytest.raises(DBAPIError) as caught, reviewer.begin() as conn:
            conn.execute(text(statement), wanted)
            pytest.fail(f"not refused: {statement}")
        assert refusal in str(caught.value.orig), (statement, str(caught.value.orig))
        assert snapshot(owner) == before, statement


def test_the_issue_scenario_reads_back_as_the_rules_say(team, tmp_path):
    owner, reviewer, ids, consent = team
    url = reviewer.url.render_as_string(hide_password=False)
    store = review.open_store(url, reviewer="carol")
    try:
        states = {p.name: p.state for p in review.list_pairs(store)}
        assert states == {"look01": "suspended", "look02": "rejected", "look03": "unreviewed",
                          "look04": "unreviewed"}
        assert review.list_talent(store)[0].consents[0].revoked
        with pytest.raises(review.ConsentError, match="all revoked"):
            review.decide(store, ids["look01"], "approved")
        with pytest.raises(review.ConsentError, match="Bo Lin has no recorded consent"):
            review.decide(store, ids["look03"], "approved", override="looks fine")
        block = review.audit_rows(store, ids["look03"])[-1]  # a refusal by the database, audited
        assert block.event == "consent_block" and block.detail["override_offered"] == "looks fine"
        assert review.decision_history(store, ids["look03"]) == []
        with pytest.raises(review.ReviewError, match="as of today"):
            review.decide(store, ids["look03"], "rejected", reasons=["artefact"], on=date(2026, 1, 1))
        # the audit names the login as well as the name the client gave
        login = reviewer.url.username
        rows = review.audit_rows(store)
        assert {r.db_role for r in rows} == {login}
        suspended = [r for r in rows if r.event == "suspended"]
        assert len(suspended) == 1 and suspended[0].pair_id == ids["look01"]
        assert "consent C-1 of Ana Silva revoked" in suspended[0].summary
        history = review.decision_history(store, ids["look01"])
        assert [(d.state, d.reviewer, d.db_role, d.consent_id) for d in history] == [
            ("approved", "carol", login, consent), ("suspended", "carol", login, consent)]
        assert history[1].reason_text.endswith(": talent withdrew")
        # the exports read the same record: the state from the decisions, the login beside the name
        from twinproof.export.data import pair_json
        from twinproof.export.records import collect, select_pairs
        from twinproof.export.xmp import _summary

        items = {i.pair.name: i for i in collect(store, select_pairs(store))}
        said = pair_json(items["look02"])
        assert said["state"] == said["decision"]["state"] == "rejected" and said["cleared_for_use"] is False
        assert said["decision"]["db_role"] == login
        assert _summary(items["look01"], "twin")["Decision"] == "suspended"
        assert _summary(items["look02"], "twin")["ReviewerLogin"] == login
    finally:
        store.close()
    # even the owner cannot un-revoke without dropping the trigger (stated in docs/review.md)
    with pytest.raises(DBAPIError, match="revocation is final"), owner.begin() as conn:
        conn.execute(text("UPDATE consents SET revoked_at = NULL WHERE id = :c"), {"c": consent})


def test_a_new_consent_lets_the_suspended_twin_be_approved_again(team):
    _owner, reviewer, ids, _consent = team
    store = review.open_store(reviewer.url.render_as_string(hide_password=False), reviewer="dan")
    try:
        today = date.today()
        review.add_consent(store, "Ana Silva", contract_ref="C-2", starts_on=today,
                           expires_on=today + timedelta(days=10), no_release_reason="paper original")
        again = review.decide(store, ids["look01"], "approved")
        assert again.consent_id is not None and again.reviewer == "dan"
        assert review.get_pair(store, ids["look01"]).state == "approved"
    finally:
        store.close()


def test_a_pair_is_relinked_or_unpaired_only_through_the_rules(team):
    """A raw ``UPDATE pairs SET talent_id`` would let an approval rest on someone else's
    consent; ``broken_at`` would hide a twin from every export. Both go through audited
    functions; relinking an approved pair suspends its approval."""
    owner, reviewer, ids, _consent = team
    before = snapshot(owner)
    for statement in ("UPDATE pairs SET talent_id = 3 WHERE id = :look03",
                      "UPDATE pairs SET broken_at = now() WHERE id = :look02"):
        with pytest.raises(DBAPIError, match="permission denied"), reviewer.begin() as conn:
            conn.execute(text(statement), ids)
        assert snapshot(owner) == before
    store = review.open_store(reviewer.url.render_as_string(hide_password=False), reviewer="carol")
    try:
        review.decide(store, ids["look04"], "approved", override="the shoot's own light")
        review.link_talent(store, [ids["look04"]], "Bo Lin")
        after = review.get_pair(store, ids["look04"])
        assert after.state == "suspended" and after.talent_name == "Bo Lin"
        last = review.decision_history(store, ids["look04"])[-1]
        assert last.reason_text == ("the pair was relinked from Cy Ray to Bo Lin: the approval rested on "
                                    "Cy Ray's consent")
        review.break_pair(store, ids["look02"])
        assert ids["look02"] not in [p.id for p in review.list_pairs(store)]
        assert {r.db_role for r in review.audit_rows(store)} == {reviewer.url.username}
        assert [r.event for r in review.audit_rows(store)][-3:] == ["talent", "suspended", "pair_broken"]
    finally:
        store.close()
