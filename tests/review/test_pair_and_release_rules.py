"""Migration 0008 on the real PostgreSQL server, tried as the reviewer role with plain SQL
(what psql, a script or an older TwinProof can send): a consent needs its signed release or a
reason, a twin is in one active pair, no file is the real of one pair and the twin of another,
no file is paired with itself. Each refusal is SQLSTATE TP005 in the client's words, and the
record is left unchanged."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.review.conftest import write_files
from tests.review.test_database_rules import snapshot
from tests.review.test_roles import pytestmark, team_schema  # noqa: F401 (marks)
from twinproof import review
from twinproof.review import models as m
from twinproof.review.migrate import upgrade

TODAY = date.today()
CONSENT = ("SELECT twinproof_add_consent(:talent, 'C-7', CAST(:starts AS date), CAST(:expires AS date), "
           "'[]', '[]', :release, :sha, 'carol'{why})")


@pytest.fixture
def team(tmp_path):
    """A team schema at head; as reviewer carol: look01 and look02 imported, talent Ana Silva.
    Yields (owner engine, reviewer engine, store as carol, {name: pair}, real folder, twin folder)."""
    real, twin = tmp_path / "real", tmp_path / "twin"
    write_files(real, "look01.jpg", "look02.jpg")
    write_files(twin, "look01.png", "look02.png", "look03.png")
    with team_schema() as (owner_url, reviewer_url):
        store = review.open_store(reviewer_url, reviewer="carol")
        owner, reviewer = create_engine(owner_url), create_engine(reviewer_url)
        try:
            pairs = {p.name: p for p in review.import_shoot(store, real, twin).added}
            review.add_talent(store, "Ana Silva")
            yield owner, reviewer, store, pairs, real, twin
        finally:
            store.close()
            owner.dispose()
            reviewer.dispose()


def refused(owner, reviewer, statement: str, params: dict, words: str) -> DBAPIError:
    """Run ``statement`` as the reviewer: it must be refused with TP005 and change nothing."""
    before = snapshot(owner)
    with pytest.raises(DBAPIError) as caught, reviewer.begin() as conn:
        conn.execute(text(statement), params)
        pytest.fail(f"not refused: {statement} {params}")
    assert caught.value.orig.sqlstate == "TP005", str(caught.value.orig)
    assert words in caught.value.orig.diag.message_primary
    assert snapshot(owner) == before
    return caught.value


def consent_params(release: str | None, why: str | None = None, talent: int = 1) -> dict:
    return {"talent": talent, "starts": TODAY, "expires": TODAY + timedelta(days=9), "release": release,
            "sha": None if release is None else "0" * 64, "why": why}


def test_a_consent_without_release_or_reason_is_refused_by_both_functions(team):
    owner, reviewer, *_ = team
    ten, nine = CONSENT.format(why=", CAST(:why AS text)"), CONSENT.format(why="")
    for release, why in ((None, None), (None, ""), (None, "  \t\n\u00a0"), ("", None), (" \t", None),
                         ("", "paper original")):
        refused(owner, reviewer, ten, consent_params(release, why),
                "Attach the signed release, or say why there is none.")
    for release in (None, "", "\t"):
        error = refused(owner, reviewer, nine, consent_params(release),
                        "this client is too old to record a reason: update TwinProof")
    assert error.orig.diag.message_primary.startswith("Attach the signed release, or say why there is none")
    with reviewer.begin() as conn:  # either one of the two is enough, through both forms
        ids = [conn.execute(text(ten), consent_params(None, "paper original, in the agency's safe")).scalar(),
               conn.execute(text(ten), consent_params("/releases/c7.pdf")).scalar(),
               conn.execute(text(nine), consent_params("/releases/c7.pdf")).scalar()]
        rows = conn.execute(text("SELECT summary FROM audit_events WHERE event = 'consent' ORDER BY id")).scalars()
        assert [s.endswith("no signed release: paper original, in the agency's safe") for s in rows] == [
            True, False, False]
    assert len(set(ids)) == 3


def test_the_app_sees_the_database_refusal_in_its_own_words(team):
    """Through the store's transaction (as a client of this release that skipped its own
    check would reach it): TP005 reads as a ReviewError with the database's message, and the
    pair rule's as a PairingError."""
    _owner, _reviewer, store, pairs, real, twin = team
    with pytest.raises(review.ReviewError, match=r"^Attach the signed release, or say why there is none\.$"), \
            store.transaction() as session:
        session.execute(text(CONSENT.format(why=", CAST(:why AS text)")), consent_params(None, " "))
    with pytest.raises(review.PairingError, match=r"^look01\.png is already the twin of pair 'look01': a twin "
                       r"is in one pair only \(break that pair first\)$"), store.transaction() as session:
        session.add(m.Pair(shoot_id=pairs["look01"].shoot_id, name="again", real_path=str(real / "x.jpg"),
                                       twin_path=str(twin / "look01.png"), real_sha256="0" * 64,
                                       twin_sha256="0" * 64))
    assert [p.name for p in review.list_pairs(store)] == ["look01", "look02"]


INSERT = ("INSERT INTO pairs (shoot_id, name, real_path, real_sha256, twin_path, twin_sha256, created_at, "
          "version) VALUES (:shoot, :name, :real, repeat('0', 64), :twin, repeat('0', 64), now(), 1)")


def test_a_pair_breaking_the_rule_is_refused_by_the_database(team):
    owner, reviewer, store, pairs, real, twin = team
    shoot = pairs["look01"].shoot_id
    cases = [  # (real, twin, the client's words)
        (real / "look02.jpg", twin / "look01.png", "look01.png is already the twin of pair 'look01': a twin is "
         "in one pair only (break that pair first)"),
        (twin / "look01.png", twin / "look03.png", "look01.png is the twin in pair 'look01': it cannot be the "
         "real photograph of another pair (break that pair first)"),
        (twin / "look03.png", real / "look02.jpg", "look02.jpg is the real photograph of pair 'look02': it "
         "cannot be a twin (break that pair first)"),
        (twin / "look03.png", twin / "look03.png", f"{twin / 'look03.png'} cannot be paired with itself: "
         "choose the real photograph and its twin"),
    ]
    for one, other, words in cases:
        error = refused(owner, reviewer, INSERT, {"shoot": shoot, "name": "forged", "real": str(one),
                                                  "twin": str(other)}, words)
        assert error.orig.diag.table_name == "pairs"
        # the same client-side check says the same thing (review.pair_rules)
        with pytest.raises(review.PairingError) as client:
            review.make_pair(store, shoot, one, other)
        assert str(client.value) == words
    # moving a pair's file onto another pair's goes through twinproof_set_files: held there too
    refused(owner, reviewer, "SELECT twinproof_set_files(:pair, 'twin', :path, repeat('0', 64), 's', 'w', 'carol')",
            {"pair": pairs["look02"].id, "path": str(twin / "look01.png")}, "already the twin of pair 'look01'")
    # allowed: a second twin of one real frame; a twin again once its pair is broken
    with reviewer.begin() as conn:
        conn.execute(text(INSERT), {"shoot": shoot, "name": "look01_twin2", "real": str(real / "look01.jpg"),
                                    "twin": str(twin / "look03.png")})
    review.break_pair(store, pairs["look02"].id)
    with reviewer.begin() as conn:
        conn.execute(text(INSERT), {"shoot": shoot, "name": "look02 again", "real": str(real / "look02.jpg"),
                                    "twin": str(twin / "look02.png")})
    assert [p.name for p in review.list_pairs(store)] == ["look01", "look01_twin2", "look02 again"]


def test_two_reviewers_pairing_crosswise_at_once_cannot_both_succeed(team):
    """A: look03.png as the twin of x.jpg; B at the same moment: look03.png as the real of
    y.png. B's trigger waits on the shoot's lock until A commits, then sees A's pair."""
    _owner, reviewer, _store, pairs, real, twin = team
    shoot, outcome = pairs["look01"].shoot_id, {}
    first = reviewer.connect()
    try:
        first.begin()
        first.execute(text(INSERT), {"shoot": shoot, "name": "a", "real": str(real / "x.jpg"),
                                     "twin": str(twin / "look03.png")})

        def second() -> None:
            try:
                with reviewer.begin() as conn:
                    conn.execute(text(INSERT), {"shoot": shoot, "name": "b", "real": str(twin / "look03.png"),
                                                "twin": str(twin / "y.png")})
                outcome["b"] = "saved"
            except DBAPIError as exc:
                outcome["b"] = exc.orig.diag.message_primary
        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(1.5)
        assert waiting.is_alive(), "B did not wait for A's transaction"
        first.commit()
        waiting.join(30)
    finally:
        first.close()
    assert outcome["b"] == ("look03.png is the twin in pair 'a': it cannot be the real photograph of another "
                            "pair (break that pair first)")


def test_a_team_database_upgraded_from_0007_keeps_its_reviewers_grants(tmp_path):
    """The owner upgrades a 0007 team database whose reviewers were granted then: CREATE OR
    REPLACE keeps the consent functions' EXECUTE grants, so reviewers work on without a new
    ``db grant``, and the new rules hold for them at once."""
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    with team_schema("0007") as (owner_url, reviewer_url):
        owner = create_engine(owner_url)
        try:
            upgrade(owner)
        finally:
            owner.dispose()
        store = review.open_store(reviewer_url, reviewer="carol")
        try:
            pair = review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]
            review.add_talent(store, "Ana Silva")
            review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=TODAY, expires_on=TODAY,
                               no_release_reason="paper original")
            with pytest.raises(review.ReviewError, match="update TwinProof"), store.transaction() as session:
                session.execute(text(CONSENT.format(why="")), consent_params(None))
            with pytest.raises(review.PairingError, match="already the twin of pair 'look01'"), \
                    store.transaction() as session:
                session.execute(text(INSERT), {"shoot": pair.shoot_id, "name": "x", "real": "/x.jpg",
                                               "twin": str(tmp_path / "twin" / "look01.png")})
        finally:
            store.close()
