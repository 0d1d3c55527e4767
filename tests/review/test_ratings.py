"""Star ratings as first-class history: rate, undo, audit, append-only, and the upgrade that
moves the old "Rated N/5" comments into ratings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from twinproof import review
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.migrate import upgrade


def test_rate_caches_on_the_pair_and_is_audited(store, pairs):
    pair = pairs["look01"]
    assert pair.rating is None
    made = review.rate(store, pair.id, 4, expected_version=pair.version)
    assert (made.stars, made.reviewer) == (4, "alice")
    assert review.get_pair(store, pair.id).rating == 4
    review.rate(store, pair.id, 0)
    assert review.get_pair(store, pair.id).rating == 0
    assert [r.stars for r in review.rating_history(store, pair.id)] == [4, 0]
    events = [r for r in review.audit_rows(store, pair.id) if r.event == "rating"]
    assert [e.detail["stars"] for e in events] == [4, 0]
    assert events[-1].summary.endswith("stars cleared")


@pytest.mark.parametrize("stars", [-1, 6, 2.5, True, "3"])
def test_out_of_range_ratings_are_refused(store, pairs, stars):
    with pytest.raises(review.ReviewError, match="0 to 5"):
        review.rate(store, pairs["look01"].id, stars)
    assert review.rating_history(store, pairs["look01"].id) == []


def test_a_stale_view_cannot_rate(store, other_store, pairs):
    pair = pairs["look01"]
    review.rate(other_store, pair.id, 2)
    with pytest.raises(review.ConflictError):
        review.rate(store, pair.id, 5, expected_version=pair.version)
    assert review.get_pair(store, pair.id).rating == 2


def test_a_comment_that_looks_like_a_rating_is_only_a_comment(store, pairs):
    review.add_comment(store, pairs["look01"].id, "Rated 5/5")
    assert review.get_pair(store, pairs["look01"].id).rating is None


def test_rate_is_undoable_and_refuses_to_undo_over_a_colleague(store, other_store, pairs):
    pair_id = pairs["look01"].id
    stack = review.UndoStack(store)
    stack.push(review.Rate(pair_id, 3))
    stack.push(review.Rate(pair_id, 5))
    stack.undo()
    assert review.get_pair(store, pair_id).rating == 3
    stack.undo()
    assert review.get_pair(store, pair_id).rating == 0
    stack.redo()
    assert review.get_pair(store, pair_id).rating == 3
    review.rate(other_store, pair_id, 1)
    with pytest.raises(review.ConflictError):
        stack.undo()
    assert review.get_pair(store, pair_id).rating == 1
    assert [r.stars for r in review.rating_history(store, pair_id)] == [3, 5, 3, 0, 3, 1]


@pytest.mark.parametrize("sql", ["UPDATE ratings SET stars = 5", "DELETE FROM ratings"])
def test_ratings_history_is_append_only(store, pairs, sql):
    review.rate(store, pairs["look01"].id, 2)
    with pytest.raises(review.AuditImmutableError), store.transaction() as session:
        session.execute(text(sql))
    assert [r.stars for r in review.rating_history(store, pairs["look01"].id)] == [2]


def test_upgrade_moves_rating_comments_into_ratings(db_url, shoot_dirs):
    """A record written by the previous schema: stars lived in comments."""
    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO shoots (name, created_at) VALUES ('ss27', '2026-11-30 10:00:00')"))
            for pid, name in ((1, "look01"), (2, "look02")):
                conn.execute(text(
                    "INSERT INTO pairs (id, shoot_id, name, real_path, real_sha256, twin_path, twin_sha256, "
                    "state, created_at, version) VALUES (:id, 1, :n, 'r', 'a', 't', 'b', 'unreviewed', "
                    "'2026-11-30 10:00:00', 1)"), {"id": pid, "n": name})
            for pid, author, body, at in ((1, "carol", "Rated 2/5", "2026-11-30 10:01:00"),
                                          (1, "dan", "too warm", "2026-11-30 10:02:00"),
                                          (1, "dan", "Rated 4/5", "2026-11-30 10:03:00"),
                                          (2, "carol", "Rated 9/5", "2026-11-30 10:04:00")):
                conn.execute(text("INSERT INTO comments (pair_id, author, text, created_at) "
                                  "VALUES (:p, :a, :t, :at)"), {"p": pid, "a": author, "t": body, "at": at})
    finally:
        engine.dispose()
    store = review.open_store(db_url, reviewer="erin")  # upgrades to head
    try:
        history = review.rating_history(store, 1)
        assert [(r.stars, r.reviewer, r.created_at.minute) for r in history] == [(2, "carol", 1), (4, "dan", 3)]
        assert review.get_pair(store, 1).rating == 4
        assert review.get_pair(store, 2).rating is None  # "Rated 9/5" is no rating: kept as a comment
        assert [c.text for c in review.list_comments(store, 1)] == ["too warm"]
        assert [c.text for c in review.list_comments(store, 2)] == ["Rated 9/5"]
        moved = [r for r in review.audit_rows(store, 1) if r.event == "rating"]
        assert len(moved) == 2 and "moved from a comment" in moved[0].summary
    finally:
        store.close()


def test_rate_command_line(tmp_path, shoot_dirs):
    db = tmp_path / "cli.twinproof"
    store = review.open_store(db, reviewer="alice")
    review.import_shoot(store, *shoot_dirs)
    store.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "twinproof", *args, "--db", str(db), "--reviewer", "ann"],
                              capture_output=True, text=True, timeout=60)

    ok = run("rate", "look01", "4")
    assert ok.returncode == 0, ok.stderr
    assert "look01: 4/5 by ann" in ok.stdout
    bad = run("rate", "look01", "7")
    assert bad.returncode == 2 and "0 to 5" in bad.stderr
    store = review.open_store(db)
    try:
        assert review.find_pair(store, "look01").rating == 4
    finally:
        store.close()
