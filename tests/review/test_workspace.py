"""The Qt-free workspace model: a write announces what it changed, a link that moves announces
the registry (what consents cover), and another reviewer's changes arrive at the next poll.
Runs on SQLite and, when configured, PostgreSQL (two stores: two reviewers)."""

from __future__ import annotations

from datetime import date

from twinproof import review
from twinproof.review.workspace import Change, Workspace


def _shoot(store):
    (shoot,) = review.list_shoots(store)
    return shoot


def test_a_write_and_a_moved_link_are_announced(store, pairs):
    ws = Workspace(store, _shoot(store))
    seen: list[tuple[Change, int | None]] = []
    unsubscribe = ws.subscribe(lambda change, pid: seen.append((change, pid)))
    ws.write(lambda: review.add_talent(store, "Ana Silva"), talent=True)
    assert seen == [(Change.TALENT, None)] and [t.name for t in ws.talent] == ["Ana Silva"]
    seen.clear()
    pid = pairs["look01"].id
    ws.write(lambda: review.link_talent(store, [pid], "Ana Silva"), pair_id=pid)
    # the pair changed, and with its link what Ana's consents cover: both are said
    assert seen == [(Change.PAIR, pid), (Change.TALENT, None)]
    assert ws.pairs[pid].record.talent_name == "Ana Silva" and ws.linked(ws.talent[0].id) == [pid]
    seen.clear()
    ws.write(lambda: review.decide(store, pid, "rejected", reasons=["face_altered"],
                                   expected_version=ws.pairs[pid].record.version), pair_id=pid)
    assert seen == [(Change.PAIR, pid)]  # a decision moves no link: the registry is not re-read
    unsubscribe()
    ws.refresh_pair(pid)
    assert len(seen) == 1


def test_another_reviewer_arrives_at_the_next_poll(store, other_store, pairs):
    ws = Workspace(store, _shoot(store))
    assert not ws.poll()
    review.add_talent(other_store, "Ana Silva")
    review.add_consent(other_store, "Ana Silva", contract_ref="C-1", starts_on=date(2026, 1, 1),
                       expires_on=date(2026, 12, 31), release=None, no_release_reason="paper original")
    review.link_talent(other_store, [pairs["look02"].id], "Ana Silva")
    seen: list[Change] = []
    ws.subscribe(lambda change, _pid: seen.append(change))
    assert ws.poll()
    assert Change.TALENT in seen and Change.PAIR in seen
    assert ws.pairs[pairs["look02"].id].record.talent_name == "Ana Silva"
    assert [c.contract_ref for c in ws.talent[0].consents] == ["C-1"]
    assert not ws.poll()
    # a consent without its signed release keeps the stated reason in the audit trail
    (row,) = [r for r in review.audit_rows(store) if r.event == "consent"]
    assert row.detail["no_release_reason"] == "paper original" and "no signed release" in row.summary


def test_a_new_pair_made_elsewhere_reloads_the_list(store, other_store, pairs, tmp_path):
    from tests.review.conftest import write_files

    ws = Workspace(store, _shoot(store))
    real, twin = write_files(tmp_path / "extra", "extra_real.jpg", "extra_twin.jpg")
    made = review.make_pair(other_store, ws.shoot.id, real, twin)
    seen: list[Change] = []
    ws.subscribe(lambda change, _pid: seen.append(change))
    assert ws.poll()
    assert Change.PAIRS in seen and made.id in ws.pairs and ws.order[-1] == made.id


def test_a_pair_made_elsewhere_does_not_re_read_every_analysis(store, other_store, pairs, tmp_path,
                                                                 monkeypatch):
    from tests.review.conftest import FAIL_RESULT, write_files
    from twinproof.review import workspace as ws_module

    first = pairs["look01"].id
    review.store_analysis(store, first, FAIL_RESULT)
    ws = Workspace(store, _shoot(store))
    assert ws.pairs[first].stored is not None
    read: list[int] = []
    real_latest = ws_module.latest_analysis
    monkeypatch.setattr(ws_module, "latest_analysis", lambda st, pid: read.append(pid) or real_latest(st, pid))
    real, twin = write_files(tmp_path / "more", "more_real.jpg", "more_twin.jpg")
    made = review.make_pair(other_store, ws.shoot.id, real, twin)
    assert ws.poll()
    assert read == [made.id]  # only the new pair's analysis was read; look01's kept
    assert ws.pairs[first].stored is not None and made.id in ws.pairs
