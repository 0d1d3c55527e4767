"""Migration 0009 on real SQLite and PostgreSQL: a record at 0008 upgrades with each pair's newest
analysis given the basis the time rule before it gave (nothing current becomes stale, nothing
stale becomes current; an analysis made before the talent was linked is now seen as such); the
database then refuses a stale approval; the downgrade restores 0008 exactly (PostgreSQL's 0003
store function, its text and its grants) and the rule goes with it; up again is the same."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from tests.review.migration_steps import downgrade, function_texts
from twinproof import review
from twinproof.review import staleness
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.migrate import current_revision, head_revision, upgrade

T = datetime(2026, 6, 1, 10, 0, 0)
TODAY = date.today()
#: (name, talent, analysed at, result): the pairs of the 0008 record.
PAIRS = [
    ("current", "Ana", T, {"verdict": "pass", "metrics": {"identity": {"distance": 0.3, "talent": {"name": "Ana"}}}}),
    ("portrait_after", "Bea", T, {"verdict": "pass"}),
    ("before_link", "Ana", T, {"verdict": "pass", "metrics": {"identity": {"distance": 0.3}}}),
    ("no_talent", None, T, {"verdict": "warn"}),
    ("twice", "Ana", T - timedelta(days=1), {"verdict": "fail"}),
]


def store_functions(engine) -> dict[str, str]:
    """PostgreSQL's own text of the twinproof_store_analysis functions of this schema, with their grants."""
    return function_texts(engine, "twinproof_store_analysis")


def approve_by_hand(engine, pair_id: int) -> str | None:
    """What the database says to an approving INSERT (None: accepted), rolled back either way."""
    with engine.connect() as conn:
        try:
            with conn.begin() as tx:
                conn.execute(text("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) "
                                  "VALUES (:p, 'approved', '[]', 'mallory', CURRENT_TIMESTAMP)"), {"p": pair_id})
                tx.rollback()
        except DBAPIError as exc:
            return str(exc.orig)
    return None


@pytest.fixture
def old_record(db_url):
    """A database at 0008: Ana's portrait enrolled before the analyses, Bea's after hers."""
    engine = make_engine(resolve_url(db_url))
    upgrade(engine, "0008")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO shoots (name, created_at) VALUES ('ss27', CURRENT_TIMESTAMP)"))
        talents = {}
        for name, enrolled in (("Ana", T - timedelta(hours=1)), ("Bea", T + timedelta(hours=1))):
            talents[name] = conn.execute(text("INSERT INTO talents (name, created_at, version) "
                                              "VALUES (:n, CURRENT_TIMESTAMP, 1) RETURNING id"), {"n": name}).scalar()
            conn.execute(text("INSERT INTO talent_references (talent_id, path, sha256, descriptor, model, quality, "
                              "created_at, created_by) VALUES (:t, :p, :h, '[0.1]', 'm', '{}', :at, 'alice')"),
                         {"t": talents[name], "p": f"/refs/{name}.jpg", "h": "1" * 64, "at": enrolled})
        for i, (name, talent, at, result) in enumerate(PAIRS):
            pair = conn.execute(text(
                "INSERT INTO pairs (shoot_id, name, real_path, real_sha256, twin_path, twin_sha256, talent_id, "
                "created_at, version) VALUES (1, :n, :r, :h, :t, :h, :talent, CURRENT_TIMESTAMP, 1) RETURNING id"),
                {"n": name, "r": f"/ss/real/{i}.jpg", "t": f"/ss/twin/{i}.png", "h": "0" * 64,
                 "talent": talents.get(talent)}).scalar()
            times = [at, at + timedelta(days=1)] if name == "twice" else [at]
            for when in times:
                conn.execute(text("INSERT INTO analyses (pair_id, result, verdict, policy_name, policy_version, "
                                  "model_versions, real_sha256, twin_sha256, created_at) "
                                  "VALUES (:p, :r, :v, 'p', '1', '{}', :h, :h, :at)"),
                             {"p": pair, "r": json.dumps(result), "v": result["verdict"], "h": "0" * 64, "at": when})
    yield engine
    engine.dispose()


def test_an_0008_record_upgrades_with_the_staleness_it_had_and_the_database_holds_the_rule(old_record, db_url):
    postgres = old_record.dialect.name == "postgresql"
    before = store_functions(old_record) if postgres else {}
    ids = {}
    with old_record.connect() as conn:
        ids = dict(conn.execute(text("SELECT name, id FROM pairs")).all())
    assert approve_by_hand(old_record, ids["portrait_after"]) is None  # at 0008 nothing refuses it
    store = review.open_store(db_url, reviewer="alice")  # the app upgrades when it opens a shoot
    try:
        assert current_revision(store.engine) == head_revision()
        stale = {p.name: p.stale for p in review.list_pairs(store)}
        # before_link read none of Ana's portraits, which she had: her portraits changed for it
        assert stale == {"current": None, "portrait_after": staleness.PORTRAITS, "before_link": staleness.PORTRAITS,
                         "no_talent": None, "twice": None}
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT pair_id, talent_id, reference_ids, portrait_ids FROM analyses "
                                     "ORDER BY id")).all()
        older = rows[-2]  # 'twice': its first analysis is never read by the rule and keeps NULL
        assert older.pair_id == ids["twice"] and (older.talent_id, older.reference_ids, older.portrait_ids) == (
            None, None, None)
        assert approve_by_hand(store.engine, ids["current"]) is None
        for name in ("portrait_after", "before_link"):
            assert "cannot approve" in (approve_by_hand(store.engine, ids[name]) or "")
        if postgres:
            now = store_functions(store.engine)
            assert set(now) == set(before) | {
                "twinproof_store_analysis(integer,jsonb,text,text,jsonb,text,integer,jsonb,jsonb)"}
            assert all(now[k] == before[k] for k in before)  # the 0003 form is left as it was
    finally:
        store.close()
    downgrade(old_record, "0008")
    assert {"talent_id", "reference_ids", "portrait_ids"}.isdisjoint(
        c["name"] for c in inspect(old_record).get_columns("analyses"))
    assert "file_problem" not in {c["name"] for c in inspect(old_record).get_columns("talent_references")}
    assert approve_by_hand(old_record, ids["portrait_after"]) is None  # the rule went with 0009
    if postgres:
        assert store_functions(old_record) == before
        with old_record.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname IN ('twinproof_stale_reason', "
                                     "'twinproof_guard_stale_approval', 'twinproof_id_set', "
                                     "'twinproof_set_reference_file') "
                                     "AND pronamespace = current_schema()::regnamespace")).scalar() == 0
    upgrade(old_record)  # and up again: the same staleness
    store = review.open_store(db_url, reviewer="alice")
    try:
        assert {p.name: p.stale for p in review.list_pairs(store)}["portrait_after"] == staleness.PORTRAITS
    finally:
        store.close()


@pytest.mark.postgres
def test_a_team_database_upgraded_from_0008_lets_its_reviewers_store_analyses_with_their_basis(tmp_path):
    """The owner upgrades a 0008 team database whose reviewers were granted then: they may call the
    new store function and record a portrait file's state (audited, only through its function)
    without a new ``db grant``, and cannot approve a stale analysis, by the app or by hand."""
    from tests.review.conftest import PASS_RESULT, write_files
    from tests.review.test_roles import team_schema
    from twinproof.hashing import file_sha256

    if not (os.environ.get("TWINPROOF_TEST_PG_URL") and os.environ.get("TWINPROOF_TEST_PG_REVIEWER_URL")):
        pytest.skip("TWINPROOF_TEST_PG_URL / TWINPROOF_TEST_PG_REVIEWER_URL not set (scripts/start_postgres.sh)")
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    portrait = write_files(tmp_path / "refs", "ana.jpg")[0]
    with team_schema("0008") as (owner_url, reviewer_url):
        owner = make_engine(resolve_url(owner_url))
        try:
            upgrade(owner)
        finally:
            owner.dispose()
        store = review.open_store(reviewer_url, reviewer="carol")
        try:
            pair = review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]
            review.add_talent(store, "Ana Silva")
            review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=TODAY - timedelta(1),
                               expires_on=TODAY + timedelta(30),  # still valid if the run crosses midnight
                               no_release_reason="paper original")
            review.link_talent(store, [pair.id], "Ana Silva")
            review.add_reference(store, "Ana Silva", portrait, file_sha256(portrait), [0.1] * 4, "m")
            against = review.read_basis(store, review.get_pair(store, pair.id).talent_id)
            review.store_analysis(store, pair.id, dataclasses.replace(PASS_RESULT, basis=against.basis))
            assert review.get_pair(store, pair.id).up_to_date
            portrait.write_bytes(b"retouched")
            review.check_files(store)  # the reviewer records the file's state (through the database's door)
            assert review.get_pair(store, pair.id).stale == staleness.PORTRAIT_FILES
            (event,) = [r for r in review.audit_rows(store) if r.detail.get("file_problem") == "edited"]
            assert event.db_role and event.summary.startswith("reference portrait ana.jpg of Ana Silva: its file")
            # not by hand: a cleared state would make the stale analysis look current
            with pytest.raises(review.StorageError, match="permission denied"), store.transaction() as session:
                session.execute(text("UPDATE talent_references SET file_problem = NULL"))
            with pytest.raises(review.StaleAnalysisError):
                review.decide(store, pair.id, "approved")
            with store.transaction() as session:  # by hand: refused, and on the record since 0010
                done = session.execute(text("SELECT twinproof_decide(:p, 'approved', '[]', NULL, NULL, NULL, NULL, "
                                            "NULL, NULL, 'carol')"), {"p": pair.id}).scalar_one()
            assert done == {"stale": staleness.PORTRAIT_FILES, "pair": pair.name}
            assert [r.event for r in review.audit_rows(store, pair.id)].count("stale_block") == 2
            assert review.get_pair(store, pair.id).state == "unreviewed"
            against = review.read_basis(store, review.get_pair(store, pair.id).talent_id)
            review.store_analysis(store, pair.id, dataclasses.replace(PASS_RESULT, basis=against.basis))
            assert review.decide(store, pair.id, "approved").state == "approved"
        finally:
            store.close()
