"""Who made a pair's twin, as a reviewer names it (``pairs.generator``, migration 0007): set and
cleared with the pair's version, audited, on SQLite and PostgreSQL; on a team database the
reviewer role sets it only through the rule function. The shoot audit takes the reviewer's name
over the twin's Content Credentials, and those over nothing ("unknown")."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import DATA
from tests.review.conftest import write_files
from tests.review.test_roles import REVIEWER_URL, team_schema
from twinproof import review
from twinproof.review.drift_source import audit_shoot, read_shoot


def _pair(store, tmp_path) -> review.PairRecord:
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    return review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]


def test_naming_the_generator_is_audited_versioned_and_cleared(store, tmp_path):
    pair = _pair(store, tmp_path)
    assert pair.generator is None
    version = review.set_generator(store, pair.id, "  Vendor   X v2 ", pair.version)
    named = review.get_pair(store, pair.id)
    assert named.generator == "Vendor X v2" and named.version == version == pair.version + 1
    with pytest.raises(review.ConflictError, match="changed by another reviewer"):
        review.set_generator(store, pair.id, "Vendor Y", pair.version)  # a stale view overwrites nothing
    assert review.get_pair(store, pair.id).generator == "Vendor X v2"
    review.set_generator(store, pair.id, "   ", version)  # blank: cleared
    assert review.get_pair(store, pair.id).generator is None
    events = [r for r in review.audit_rows(store) if r.event == "generator"]
    assert [e.summary for e in events] == ["look01: generator set to Vendor X v2", "look01: generator cleared"]


def test_a_bad_name_or_pair_is_a_clear_error(store, tmp_path):
    pair = _pair(store, tmp_path)
    with pytest.raises(review.ReviewError, match="at most 200 characters"):
        review.set_generator(store, pair.id, "x" * 201)
    with pytest.raises(review.ReviewError, match="control characters"):
        review.set_generator(store, pair.id, "Vendor\x07")
    with pytest.raises(review.NotFoundError, match="no pair with id 999"):
        review.set_generator(store, 999, "Vendor X")
    assert review.get_pair(store, pair.id).generator is None


@pytest.mark.postgres
@pytest.mark.skipif(not REVIEWER_URL, reason="TWINPROOF_TEST_PG_URL not set (run scripts/start_postgres.sh)")
def test_the_reviewer_role_names_a_generator_only_through_the_rule_function(tmp_path):
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    with team_schema() as (_owner_url, reviewer_url):
        store = review.open_store(reviewer_url, reviewer="carol")
        try:
            pair = review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]
            review.set_generator(store, pair.id, "Vendor X", pair.version)
            assert review.get_pair(store, pair.id).generator == "Vendor X"
            assert [r.reviewer for r in review.audit_rows(store) if r.event == "generator"] == ["carol"]
        finally:
            store.close()
        engine = create_engine(reviewer_url)
        try:
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text("UPDATE pairs SET generator = 'me' WHERE id = :p"), {"p": pair.id})
        finally:
            engine.dispose()


def test_shoot_generator_names_and_clears_from_the_command_line(capsys, db_url, tmp_path):
    from tests.review.test_cli import run

    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    common = ("--db", db_url, "--reviewer", "carol")
    assert run(capsys, "shoot", "import", str(tmp_path / "real"), str(tmp_path / "twin"), *common)[0] == 0
    code, out, _ = run(capsys, "shoot", "generator", "look01", "Vendor X v2", *common)
    assert code == 0 and "look01: generator set to Vendor X v2" in out
    code, out, _ = run(capsys, "shoot", "generator", "look01", "--clear", *common)
    assert code == 0 and "look01: generator cleared" in out
    code, out, _ = run(capsys, "shoot", "generator", "look01", *common)
    assert code == 2 and "NAME, or --clear" in out
    code, _, err = run(capsys, "shoot", "generator", "look99", "X", *common)
    assert code == 2 and "look99" in err


def test_the_audit_takes_the_reviewers_name_over_the_credentials(store, tmp_path):
    """Three real stored results: one whose twin's credentials are valid and name a model, the
    same with a reviewer's name set, one with none: the reviewer wins, then the credentials."""
    shoot = review.create_shoot(store, "SS27")
    valid = review.Credentials(status="present", validation_state="Valid", software_agents="Model A 1.0")
    invalid = review.Credentials(status="present", validation_state="Invalid", software_agents="Model B")
    made = []
    for i, prov in enumerate((valid, valid, invalid)):
        real, twin = tmp_path / f"r{i}.jpg", tmp_path / f"t{i}.jpg"
        real.write_bytes(b"real %d" % i)
        twin.write_bytes(b"twin %d" % i)
        pair = review.make_pair(store, shoot.id, str(real), str(twin), f"look{i:02d}")
        recorded = review.RecordedAnalysis.from_json(json.loads((DATA / "results" / "v1_look02.json").read_text()))
        review.store_analysis(store, pair.id, replace(recorded, provenance=prov))
        made.append(pair)
    review.set_generator(store, made[1].id, "Vendor X")
    facts = {f.pair: (f.generator, f.generator_from) for f in read_shoot(store, "SS27").facts}
    assert facts == {"look00": ("Model A 1.0", "content credentials"), "look01": ("Vendor X", "reviewer"),
                     "look02": (None, None)}
    _, audit = audit_shoot(store, "SS27", by="generator")
    assert audit.origins["generator"] == {"reviewer": 1, "content credentials": 1, "xmp": 0, "unknown": 1,
                                           "xmp not read": 1}
