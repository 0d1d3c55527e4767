"""Two reviewers on one shoot: the later write of a stale view is refused, never applied."""

from __future__ import annotations

import threading

import pytest

from tests.review.conftest import ON
from twinproof import review
from twinproof.review import commands
from twinproof.review import models as m


def test_second_decision_on_a_stale_pair_conflicts(store, other_store, consented):
    seen_by_alice = review.get_pair(store, consented["look01"].id)
    seen_by_bob = review.get_pair(other_store, seen_by_alice.id)
    review.decide(store, seen_by_alice.id, "approved", on=ON,
                  expected_version=seen_by_alice.version)
    with pytest.raises(review.ConflictError, match="changed by another reviewer") as info:
        review.decide(other_store, seen_by_bob.id, "rejected", reasons=["face_altered"],
                      expected_version=seen_by_bob.version)
    assert "reload" in str(info.value)
    after = review.get_pair(other_store, seen_by_bob.id)
    assert after.state == "approved"
    assert [(d.state, d.reviewer) for d in review.decision_history(store, after.id)] == [
        ("approved", "alice")]
    # Bob reloads and decides on what he now sees: accepted.
    review.decide(other_store, after.id, "rejected", reasons=["face_altered"],
                  expected_version=after.version)
    assert review.get_pair(store, after.id).state == "rejected"


def test_a_decision_repeating_the_state_still_moves_the_version(store, other_store, consented):
    """Alice rejects again (a new reason); Bob, who saw the pair before, must reload too."""
    pid = consented["look01"].id
    review.decide(store, pid, "rejected", reasons=["face_altered"])
    seen_by_bob = review.get_pair(other_store, pid)
    review.decide(store, pid, "rejected", reasons=["skin_retouched"],
                  expected_version=review.get_pair(store, pid).version)
    with pytest.raises(review.ConflictError):
        review.decide(other_store, pid, "rejected", reasons=["artefact"],
                      expected_version=seen_by_bob.version)


def test_stale_annotation_edit_and_undo_conflict(store, other_store, pairs):
    pid = pairs["look01"].id
    alice = review.UndoStack(store)
    alice.push(commands.AddAnnotation(pid, "rectangle", {"x": 0, "y": 0, "w": 10, "h": 10},
                                      (100, 100), body="chin"))
    rec_alice = review.list_annotations(store, pid)[0]
    rec_bob = review.list_annotations(other_store, pid)[0]
    alice.push(commands.move(rec_alice, 5, 5))
    with pytest.raises(review.ConflictError, match="changed by alice"):
        review.update_annotation(other_store, rec_bob.id, expected_version=rec_bob.version,
                                 text="jaw")
    with pytest.raises(review.ConflictError, match="geometry"):
        commands.move(rec_bob, 50, 50).do(other_store)
    # Bob edits the text on a fresh view; Alice's undo of her move still applies (other field)
    fresh = review.get_annotation(other_store, rec_bob.id)
    review.UndoStack(other_store).push(commands.edit_text(fresh, "jaw"))
    alice.undo()
    now = review.get_annotation(store, rec_alice.id)
    assert now.geometry == {"x": 0, "y": 0, "w": 10, "h": 10} and now.text == "jaw"
    # Bob moves it; Alice's redo of her move no longer matches: refused, Bob's move kept.
    review.UndoStack(other_store).push(commands.move(now, 1, 1))
    with pytest.raises(review.ConflictError):
        alice.redo()
    assert review.get_annotation(store, now.id).geometry == {"x": 1, "y": 1, "w": 10, "h": 10}
    assert alice.can_redo  # the failed step stays on the stack


def test_concurrent_transactions_on_one_pair_one_wins(store, other_store, pairs):
    """A true race (both read version 1, both write): version_id_col stops the second.

    PostgreSQL only: on SQLite ``BEGIN IMMEDIATE`` serialises writers up front, so the two
    transactions can never both have read the same version.
    """
    if store.backend != "postgresql":
        pytest.skip("SQLite serialises write transactions; the race cannot happen there")
    pair_id = pairs["look01"].id
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def write(s: review.ReviewStore, stars: int) -> None:
        try:
            with s.transaction() as session:
                pair = session.get(m.Pair, pair_id)
                assert pair is not None and pair.version == 1
                barrier.wait()
                pair.rating = stars
            outcomes[s.reviewer] = "ok"
        except review.ConflictError as exc:
            outcomes[s.reviewer] = exc

    threads = [threading.Thread(target=write, args=(s, st))
               for s, st in ((store, 2), (other_store, 5))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(type(v).__name__ for v in outcomes.values()) == ["ConflictError", "str"]
    winner = next(k for k, v in outcomes.items() if v == "ok")
    final = review.get_pair(store, pair_id)
    assert final.version == 2
    assert final.rating == {"alice": 2, "bob": 5}[winner]


def test_two_decisions_on_one_version_in_the_database_one_wins(store, other_store, consented):
    """The same race through the database's rule function (PostgreSQL): it locks the pair,
    so the second sees the first's version and is refused, whatever the timing."""
    if store.backend != "postgresql":
        pytest.skip("SQLite serialises write transactions; the race cannot happen there")
    pair = consented["look01"]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def decide(s: review.ReviewStore, state: str) -> None:
        barrier.wait()
        try:
            review.decide(s, pair.id, state, reasons=["artefact"] if state == "rejected" else [],
                          expected_version=pair.version)
            outcomes[s.reviewer] = "ok"
        except review.ConflictError as exc:
            outcomes[s.reviewer] = exc

    threads = [threading.Thread(target=decide, args=(s, st))
               for s, st in ((store, "rejected"), (other_store, "approved"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert sorted(type(v).__name__ for v in outcomes.values()) == ["ConflictError", "str"]
    winner = next(k for k, v in outcomes.items() if v == "ok")
    final = review.get_pair(store, pair.id)
    assert final.version == pair.version + 1
    assert final.state == {"alice": "rejected", "bob": "approved"}[winner]
    assert len(review.decision_history(store, pair.id)) == 1
