"""A pair can be marked a control frame (issue 23): the generator's twin of this very real
frame. The mark is audited and versioned on SQLite and PostgreSQL; on a team database the
reviewer role sets it only through the rule function (migration 0005), never by plain SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.review.conftest import write_files
from tests.review.test_roles import REVIEWER_URL, team_schema
from twinproof import review


def _pair(store, tmp_path) -> review.PairRecord:
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    return review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]


def test_marking_a_control_is_audited_versioned_and_undone(store, tmp_path):
    pair = _pair(store, tmp_path)
    assert pair.control is False
    version = review.set_control(store, pair.id, True, pair.version)
    marked = review.get_pair(store, pair.id)
    assert marked.control is True and marked.version == version == pair.version + 1
    with pytest.raises(review.ConflictError, match="changed by another reviewer"):
        review.set_control(store, pair.id, False, pair.version)  # a stale view overwrites nothing
    assert review.get_pair(store, pair.id).control is True
    review.set_control(store, pair.id, False, version)
    assert review.get_pair(store, pair.id).control is False
    events = [r for r in review.audit_rows(store) if r.event == "control"]
    assert [e.summary for e in events] == ["look01: marked a control frame", "look01: no longer a control frame"]


def test_a_missing_pair_is_a_clear_error(store):
    with pytest.raises(review.NotFoundError, match="no pair with id 999"):
        review.set_control(store, 999, True)


@pytest.mark.postgres
@pytest.mark.skipif(not REVIEWER_URL, reason="TWINPROOF_TEST_PG_URL not set (run scripts/start_postgres.sh)")
def test_the_reviewer_role_marks_a_control_only_through_the_rule_function(tmp_path):
    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    with team_schema() as (_owner_url, reviewer_url):
        store = review.open_store(reviewer_url, reviewer="carol")
        try:
            pair = review.import_shoot(store, tmp_path / "real", tmp_path / "twin").added[0]
            review.set_control(store, pair.id, True, pair.version)
            assert review.get_pair(store, pair.id).control is True
            assert [r.reviewer for r in review.audit_rows(store) if r.event == "control"] == ["carol"]
        finally:
            store.close()
        engine = create_engine(reviewer_url)
        try:
            with pytest.raises(DBAPIError, match="permission denied"), engine.begin() as conn:
                conn.execute(text("UPDATE pairs SET control = false WHERE id = :p"), {"p": pair.id})
        finally:
            engine.dispose()


def test_shoot_control_marks_and_unmarks_from_the_command_line(capsys, db_url, tmp_path):
    from tests.review.test_cli import run

    write_files(tmp_path / "real", "look01.jpg")
    write_files(tmp_path / "twin", "look01.png")
    common = ("--db", db_url, "--reviewer", "carol")
    assert run(capsys, "shoot", "import", str(tmp_path / "real"), str(tmp_path / "twin"), *common)[0] == 0
    code, out, _ = run(capsys, "shoot", "control", "look01", *common)
    assert code == 0 and "look01: marked a control frame" in out
    code, out, _ = run(capsys, "shoot", "control", "look01", "--off", *common)
    assert code == 0 and "no longer a control frame" in out
    code, _, err = run(capsys, "shoot", "control", "look99", *common)
    assert code == 2 and "look99" in err
