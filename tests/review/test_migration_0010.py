"""Migration 0010 on real SQLite and PostgreSQL: a refused approval of a stale analysis is audited
by the database (``stale_block``, an event only the rules write) and a decision says what it was
compared against; the downgrade restores 0003's text of ``twinproof_decide`` and of the audit guard
exactly (with their grants) and the 0009 refusal with it, the events already written stay; up
again is the same. On a team database, as the reviewer role ``db grant`` set up at 0009."""

from __future__ import annotations

import dataclasses
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.review.conftest import stored_result, write_files
from tests.review.migration_steps import downgrade, function_texts
from twinproof import review
from twinproof.review import staleness
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.migrate import current_revision, head_revision, upgrade

NAMES = ("twinproof_decide", "twinproof_guard_audit")
DECIDE = "SELECT twinproof_decide(:p, 'approved', '[]', NULL, NULL, NULL, NULL, NULL, NULL, 'carol')"


def _texts(engine) -> dict[str, dict[str, str]]:
    return {n: function_texts(engine, n) for n in NAMES}


def test_0010_up_and_down_on_either_backend(db_url):
    """SQLite holds no event rule: 0010 only moves the revision there, both ways."""
    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine, "0009")
        before = _texts(engine) if engine.dialect.name == "postgresql" else {}
        upgrade(engine)
        assert current_revision(engine) == head_revision() == "0010"
        downgrade(engine, "0009")
        assert current_revision(engine) == "0009"
        if before:
            assert _texts(engine) == before
        upgrade(engine)
        assert current_revision(engine) == "0010"
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_team_database_upgraded_from_0009_audits_its_reviewers_refused_approvals(tmp_path):
    from tests.review.test_roles import team_schema

    if not (os.environ.get("TWINPROOF_TEST_PG_URL") and os.environ.get("TWINPROOF_TEST_PG_REVIEWER_URL")):
        pytest.skip("TWINPROOF_TEST_PG_URL / TWINPROOF_TEST_PG_REVIEWER_URL not set (scripts/start_postgres.sh)")
    real, twin = write_files(tmp_path / "real", "look01.jpg"), write_files(tmp_path / "twin", "look01.png")
    with team_schema("0009") as (owner_url, reviewer_url):
        owner = make_engine(resolve_url(owner_url))
        try:
            at_0009 = _texts(owner)
            upgrade(owner)
            at_0010 = _texts(owner)
            # the same functions, the same grants (CREATE OR REPLACE keeps them), a new text
            for name in NAMES:
                assert set(at_0010[name]) == set(at_0009[name]) and at_0010[name] != at_0009[name]
                assert all(t.endswith(at_0009[name][k].rsplit("$function$", 1)[-1])
                           for k, t in at_0010[name].items())
            store = review.open_store(reviewer_url, reviewer="carol")
            try:
                pair = review.import_shoot(store, real[0].parent, twin[0].parent).added[0]
                review.add_talent(store, "Ana Silva")
                review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=date.today() - timedelta(1),
                                   expires_on=date.today() + timedelta(30), no_release_reason="paper original")
                review.link_talent(store, [pair.id], "Ana Silva")
                against = review.read_basis(store, review.get_pair(store, pair.id).talent_id)
                review.store_analysis(store, pair.id, dataclasses.replace(stored_result("v3_newshot_jaw"),
                                                                          basis=against.basis))
                review.set_control(store, pair.id, True, review.get_pair(store, pair.id).version)
                with pytest.raises(review.StaleAnalysisError):
                    review.decide(store, pair.id, "approved")
                (block,) = [r for r in review.audit_rows(store, pair.id) if r.event == "stale_block"]
                assert block.reviewer == "carol" and block.db_role  # the login that tried, stamped
                assert block.detail["stale_reason"] == staleness.MARKED
                with pytest.raises(review.StorageError, match="own rules"), store.transaction() as session:
                    session.execute(text("INSERT INTO audit_events (at, reviewer, event, summary, detail) VALUES "
                                         "(now(), 'carol', 'stale_block', 'forged', '{}')"))
            finally:
                store.close()
            downgrade(owner, "0009")
            assert _texts(owner) == at_0009
            reviewer = make_engine(resolve_url(reviewer_url))
            try:  # 0009's refusal again: raised, so it leaves no trace; the event written stays
                with pytest.raises(DBAPIError) as refused, reviewer.begin() as conn:
                    conn.execute(text(DECIDE), {"p": pair.id})
                assert refused.value.orig.sqlstate == "TP006"
                with reviewer.connect() as conn:
                    assert conn.execute(text("SELECT count(*) FROM audit_events WHERE event = 'stale_block'")
                                        ).scalar() == 1
            finally:
                reviewer.dispose()
            upgrade(owner)
            assert _texts(owner) == at_0010
        finally:
            owner.dispose()
