"""Migration 0008 on real SQLite and PostgreSQL: a record an old import left with a twin in two
pairs (and a twin used as a real, a file paired with itself) upgrades; the later pair of each
collision is broken with its history kept and an audit event that says why and what to do;
the index then holds the rule; the downgrade restores 0007 exactly (the consent functions'
text of 0003/0006 on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tests.review.conftest import write_files
from tests.review.migration_steps import downgrade, function_texts
from twinproof import review
from twinproof.review import models as m
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.migrate import current_revision, head_revision, upgrade

INSERT = ("INSERT INTO pairs (shoot_id, name, real_path, real_sha256, twin_path, twin_sha256, broken_at, "
          "created_at, version) VALUES (:shoot, :name, :real, :h, :twin, :h, {broken}, CURRENT_TIMESTAMP, 3)")
#: (shoot, name, real, twin, broken): what imports before fix29 could leave.
OLD_PAIRS = [
    (1, "look01", "/ss/real/look01.jpg", "/ss/twin/look01.png", False),
    (1, "look01 (2)", "/ss/real/look01b.jpg", "/ss/twin/look01.png", False),  # the same twin again
    (1, "look01_twin2", "/ss/real/look01.jpg", "/ss/twin/look01_twin2.png", False),  # a real's 2nd twin: fine
    (1, "odd", "/ss/twin/look01.png", "/ss/twin/look09.png", False),  # a twin used as a real
    (1, "self", "/ss/real/look05.jpg", "/ss/real/look05.jpg", False),  # a file paired with itself
    (1, "old", "/ss/real/look07.jpg", "/ss/twin/look01.png", True),  # broken long ago: left alone
    (2, "look01", "/fw/real/look01.jpg", "/ss/twin/look01.png", False),  # another shoot: its own pairs
]


def consent_functions(engine) -> dict[str, str]:
    """PostgreSQL's own text of the twinproof_add_consent functions of this schema, with their grants."""
    return function_texts(engine, "twinproof_add_consent")


@pytest.fixture
def old_record(db_url):
    """A database at 0007 holding OLD_PAIRS and a decision on the duplicate 'look01 (2)'."""
    engine = make_engine(resolve_url(db_url))
    upgrade(engine, "0007")
    with engine.begin() as conn:
        for shoot in ("ss27", "fw26"):
            conn.execute(text("INSERT INTO shoots (name, created_at) VALUES (:n, CURRENT_TIMESTAMP)"), {"n": shoot})
        for shoot, name, real, twin, broken in OLD_PAIRS:
            conn.execute(text(INSERT.format(broken="CURRENT_TIMESTAMP" if broken else "NULL")),
                         {"shoot": shoot, "name": name, "real": real, "twin": twin, "h": "0" * 64})
        conn.execute(text("INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) VALUES "
                          "(2, 'rejected', '[\"artefact\"]', 'alice', CURRENT_TIMESTAMP)"))
    yield engine
    engine.dispose()


def test_the_later_pair_of_each_collision_is_broken_and_said_so(old_record, db_url):
    postgres = old_record.dialect.name == "postgresql"
    before = consent_functions(old_record) if postgres else {}
    store = review.open_store(db_url, reviewer="alice")  # the app upgrades when it opens a shoot
    try:
        assert current_revision(store.engine) == head_revision()
        if postgres:  # both functions changed (the release check), so the equality below means restored
            now = consent_functions(store.engine)
            assert now.keys() == before.keys() and all(now[k] != before[k] for k in now)
        assert [(p.shoot_id, p.name) for p in review.list_pairs(store)] == [
            (1, "look01"), (1, "look01_twin2"), (2, "look01")]
        every = {p.name: p for p in review.list_pairs(store, 1, include_broken=True)}
        assert every["look01 (2)"].state == "rejected"  # its history is kept
        events = {r.pair_id: r for r in review.audit_rows(store) if r.event == "pair_broken"}
        assert sorted(events) == [2, 4, 5]
        assert events[2].summary == (
            "look01 (2): unpaired by the database upgrade (look01.png is already the twin of pair 'look01': "
            "a twin is in one pair only); to keep this pair instead, break pair 'look01' and pair the files "
            "again by hand")
        assert events[2].detail["kept_pair_id"] == 1 and events[2].reviewer == "TwinProof database upgrade 0008"
        assert "look01.png is the twin in pair 'look01': it cannot be the real photograph" in events[4].summary
        assert events[5].detail["reason"] == "/ss/real/look05.jpg is paired with itself"
        assert events[5].detail["kept_pair_id"] is None
        with store.engine.connect() as conn:
            versions = dict(conn.execute(text("SELECT id, version FROM pairs")).all())
        assert versions == {1: 3, 2: 4, 3: 3, 4: 4, 5: 4, 6: 3, 7: 3}  # a reviewer's stale view conflicts
        # from now on the database holds the rule: a raw insert of the twin again is refused
        with pytest.raises(review.PairingError, match=r"^look01_twin2\.png is already the twin of pair "
                           r"'look01_twin2': a twin is in one pair only \(break that pair first\)$"), \
                store.transaction() as session:
            if store.backend == "postgresql":  # past the trigger: the index alone (as under a race)
                session.execute(text("ALTER TABLE pairs DISABLE TRIGGER pairs_one_role_per_file"))
            session.add(m.Pair(shoot_id=1, name="again", real_path="/ss/real/x.jpg",
                               twin_path="/ss/twin/look01_twin2.png", real_sha256="0" * 64, twin_sha256="0" * 64))
    finally:
        store.close()
    downgrade(old_record, "0007")
    assert "uq_pairs_active_twin" not in {i["name"] for i in inspect(old_record).get_indexes("pairs")}
    if postgres:
        assert len(before) == 2 and consent_functions(old_record) == before
        with old_record.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_trigger WHERE tgname = 'pairs_one_role_per_file' "
                                     "AND tgrelid = 'pairs'::regclass")).scalar() == 0
    upgrade(old_record)  # and up again: nothing left to break
    with old_record.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events WHERE event = 'pair_broken'")).scalar() == 3


def test_a_record_that_keeps_the_rule_upgrades_untouched(db_url):
    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine, "0007")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO shoots (name, created_at) VALUES ('ss27', CURRENT_TIMESTAMP)"))
            for _shoot, name, real, twin, _broken in OLD_PAIRS[:1] + OLD_PAIRS[2:3]:
                conn.execute(text(INSERT.format(broken="NULL")),
                             {"shoot": 1, "name": name, "real": real, "twin": twin, "h": "0" * 64})
            rows = conn.execute(text("SELECT * FROM pairs ORDER BY id")).all()
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT * FROM pairs ORDER BY id")).all() == rows
            assert conn.execute(text("SELECT count(*) FROM audit_events")).scalar() == 0
    finally:
        engine.dispose()


def test_a_broken_pair_cannot_come_back_over_its_twin_new_pair(store, tmp_path):
    """Un-breaking a pair (a raw change; the app has no such command) whose twin has been
    paired again since: the index (SQLite) or the trigger (PostgreSQL) refuses, and the store
    says it as the pair rule does, not as a raw IntegrityError; nothing changes."""
    real, twin = tmp_path / "real", tmp_path / "twin"
    write_files(real, "look01.jpg", "look01b.jpg")
    write_files(twin, "look01.png")
    shoot = review.import_shoot(store, real, twin).shoot.id
    first = review.list_pairs(store)[0]
    review.break_pair(store, first.id)
    second = review.make_pair(store, shoot, real / "look01b.jpg", twin / "look01.png", name="again")
    with pytest.raises(review.PairingError, match=r"a twin is in one pair only \(break that pair first\)$"), \
            store.transaction() as session:
        session.get(m.Pair, first.id).broken_at = None
    assert [(p.id, p.name) for p in review.list_pairs(store)] == [(second.id, "again")]
