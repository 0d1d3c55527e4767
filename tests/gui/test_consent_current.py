"""The Consent panel is never stale (issue 26): every change, wherever it is made, shows in the
panel at once, without another panel action or a reopen.

Each case drives the real panel and the real T-dialog flow (``Decider.link_talent``) over a
real SQLite record through the shoot's workspace; the dialogs are answered, and no image is
analysed (the flows are about the record, not the analysis), so these tests take a second.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from tests.gui.conftest import SAMPLE
from twinproof import review
from twinproof.gui import dialogs, talentforms, talentlink
from twinproof.gui.decisions import Decider
from twinproof.gui.session import ShootSession
from twinproof.gui.talentpanel import TalentPanel
from twinproof.gui.undo import StoreCommand
from twinproof.review.workspace import Change


@pytest.fixture
def consent(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A shoot of the sample's first three looks (imported, not analysed), the Consent panel and
    the T flow on it, and an undo stack as the window's."""
    real = tmp_path / "real"
    real.mkdir()
    for n in ("01", "02", "03"):
        (real / f"look{n}_real.jpg").write_bytes((SAMPLE / f"look{n}_real.jpg").read_bytes())
        (real / f"look{n}_twin.jpg").write_bytes((SAMPLE / f"look{n}_twin.jpg").read_bytes())
    store = review.open_store(tmp_path / "shoot.shoot", reviewer="tester")
    shoot = review.import_shoot(store, real).shoot
    session = ShootSession(store, shoot, tmp_path / "shoot.shoot")
    host = QWidget()
    qtbot.addWidget(host)
    panel = TalentPanel(host)
    panel.set_session(session)
    stack = QUndoStack(host)
    errors: list[str] = []
    decider = Decider(host, host, undo=lambda st, command, after, pid: stack.push(
        StoreCommand(st, command, after, errors.append, applied=True, pair_id=pid)))
    decider.session = session
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    monkeypatch.setattr(talentlink, "ask_open_gate", lambda *_a: True)
    yield session, panel, decider, stack, errors
    panel.set_session(None)
    session.close()


def _link(decider: Decider, session: ShootSession, pid: int, name: str, *, new: bool = False,
          monkeypatch: pytest.MonkeyPatch) -> None:
    session.set_current(pid)
    monkeypatch.setattr(talentlink, "ask_link", lambda *_a, **_k: talentlink.LinkChoice(name, new))
    assert decider.link_talent()


def _people(panel: TalentPanel) -> list[str]:
    return [panel.people.item(i).text() for i in range(panel.people.count())]


def _grace_with_consent(session: ShootSession, release: Path) -> None:
    today = date.today()
    release.write_bytes(b"%PDF-1.4 signed release")
    session.workspace.write(lambda: review.add_talent(session.store, "Grace Hopper"), talent=True)
    session.workspace.write(lambda: review.add_consent(
        session.store, "Grace Hopper", contract_ref="GH-1", starts_on=today - timedelta(days=1),
        expires_on=today + timedelta(days=30), release=release), talent=True)


def test_linking_from_the_t_dialog_shows_the_coverage_at_once(consent, monkeypatch, tmp_path):
    session, panel, decider, _stack, errors = consent
    _grace_with_consent(session, tmp_path / "release.pdf")
    assert "covers 0 of the 0 pair(s)" in panel.coverage_title.text()
    for pid in session.order[:2]:
        _link(decider, session, pid, "Grace Hopper", monkeypatch=monkeypatch)
        assert not errors
    # no refresh, no other panel action: the panel already says what the consent covers
    assert "GH-1 covers 2 of the 2 pair(s)" in panel.coverage_title.text()
    assert [panel.coverage.item(i).text().split(" (")[0] for i in range(panel.coverage.count())] == [
        "look01", "look02"]


def test_a_person_added_from_the_t_dialog_is_in_the_panel_at_once(consent, monkeypatch):
    session, panel, decider, _stack, errors = consent
    assert _people(panel) == []
    _link(decider, session, session.order[0], "Eileen Collins", new=True, monkeypatch=monkeypatch)
    assert not errors
    assert _people(panel) == ["Eileen Collins — no consent"]
    # and the panel's own "Add person" for someone else works on the registry it shows
    monkeypatch.setattr(talentforms, "ask_person", lambda *_a: ("Grace Hopper", ""))
    panel.add_person()
    assert not errors
    assert [p.split(" —")[0] for p in _people(panel)] == ["Eileen Collins", "Grace Hopper"]
    assert panel.selected_person().name == "Grace Hopper"
    # adding the person the T dialog added is refused because they are listed, not unseen
    monkeypatch.setattr(talentforms, "ask_person", lambda *_a: ("Eileen Collins", ""))
    panel.add_person()
    assert errors and "already in the registry" in errors[-1]


def test_revoking_shows_in_the_panel_and_on_the_linked_pairs(consent, monkeypatch, tmp_path):
    session, panel, decider, _stack, errors = consent
    _grace_with_consent(session, tmp_path / "release.pdf")
    pid = session.order[0]
    _link(decider, session, pid, "Grace Hopper", monkeypatch=monkeypatch)
    told: list[bool] = []
    session.talent_changed.connect(lambda: told.append(True))  # what the decision bar follows
    monkeypatch.setattr(talentforms, "ask_revoke", lambda *_a: "the talent withdrew it")
    panel.revoke()
    assert not errors
    assert panel.consents.item(0).text().startswith("GH-1 — revoked")
    assert "revoked" in panel.people.currentItem().text()
    assert "not covered" in panel.coverage.item(0).text()
    assert told and any("revoked" in p for p in review.consent_check(session.store, pid))


def test_undoing_a_link_takes_it_out_of_the_coverage_at_once(consent, monkeypatch, tmp_path):
    session, panel, decider, stack, errors = consent
    _grace_with_consent(session, tmp_path / "release.pdf")
    _link(decider, session, session.order[0], "Grace Hopper", monkeypatch=monkeypatch)
    _link(decider, session, session.order[1], "Grace Hopper", monkeypatch=monkeypatch)
    assert "covers 2 of the 2 pair(s)" in panel.coverage_title.text()
    stack.undo()  # Ctrl+Z: look02 unlinked again
    assert not errors
    assert "covers 1 of the 1 pair(s)" in panel.coverage_title.text()
    assert session.pairs[session.order[1]].record.talent_name is None
    stack.redo()
    assert "covers 2 of the 2 pair(s)" in panel.coverage_title.text()


def test_another_reviewer_on_the_same_record_shows_at_the_next_look(consent, tmp_path):
    """A second store on the same database (another reviewer's app) adds and links a person;
    the workspace's poll (the window runs it every few seconds) brings it into the panel."""
    session, panel, _decider, _stack, _errors = consent
    other = review.open_store(tmp_path / "shoot.shoot", reviewer="someone else")
    try:
        review.add_talent(other, "Eileen Collins")
        review.link_talent(other, [session.order[2]], "Eileen Collins")
    finally:
        other.close()
    seen: list[Change] = []
    session.workspace.subscribe(lambda change, _pid: seen.append(change))
    assert _people(panel) == []
    assert session.workspace.poll()
    assert _people(panel) == ["Eileen Collins — no consent"]
    assert session.pairs[session.order[2]].record.talent_name == "Eileen Collins"
    assert Change.TALENT in seen and Change.PAIR in seen
    assert not session.workspace.poll()  # nothing new: nothing re-read


def test_the_window_follows_others_and_a_lost_server_is_said_once(consent, tmp_path, monkeypatch):
    from twinproof.gui.following import ChangeWatch

    session, panel, _decider, _stack, _errors = consent
    said: list[str] = []
    watch = ChangeWatch(lambda text, _ms: said.append(text))
    watch.follow(session)
    assert watch.timer.isActive() and not watch.look()
    other = review.open_store(tmp_path / "shoot.shoot", reviewer="someone else")
    try:
        review.add_talent(other, "Grace Hopper")
    finally:
        other.close()
    assert watch.look() and _people(panel) == ["Grace Hopper — no consent"]

    def gone() -> bool:
        raise OSError("server closed the connection unexpectedly")

    monkeypatch.setattr(session.workspace, "poll", gone)
    assert not watch.look()
    assert said == ["Stopped following changes by others: server closed the connection unexpectedly"]
    assert not watch.timer.isActive()
    watch.follow(None)


def test_edit_a_person_and_refuse_a_duplicate(consent, monkeypatch):
    """(Was a window test that analysed three pairs first; the flow is about the registry.)"""
    session, panel, _decider, _stack, errors = consent
    session.workspace.write(lambda: review.add_talent(session.store, "Grace Hoper"), talent=True)
    session.workspace.write(lambda: review.add_talent(session.store, "Eileen Collins"), talent=True)
    pid = session.order[0]
    session.workspace.write(lambda: review.link_talent(session.store, [pid], "Grace Hoper"), pair_id=pid)
    panel.people.setCurrentRow(1)
    assert panel.selected_person().name == "Grace Hoper"
    monkeypatch.setattr(talentforms, "ask_person", lambda _p, name, agency: ("Grace Hopper", agency))
    panel.edit_person()
    # the linked pair follows the new name at once
    assert session.pairs[pid].record.talent_name == "Grace Hopper"
    assert panel.selected_person().name == "Grace Hopper"
    monkeypatch.setattr(talentforms, "ask_person", lambda _p, name, agency: ("Eileen Collins", agency))
    panel.edit_person()
    assert errors and "already in the registry" in errors[0]


def test_a_consent_without_its_release_says_why_as_recorded(consent, monkeypatch):
    session, panel, _decider, _stack, errors = consent
    session.workspace.write(lambda: review.add_talent(session.store, "Grace Hopper"), talent=True)
    today = date.today()
    form = talentforms.ConsentForm("GH-9", today, today + timedelta(days=30), [], [], None,
                                   "signed on paper, scan to follow")
    monkeypatch.setattr(talentforms, "ask_consent", lambda *_a: form)
    panel.record_consent()
    assert not errors
    assert panel.consents.item(0).text().endswith("\nno signed release: signed on paper, scan to follow")
    (row,) = [r for r in review.audit_rows(session.store) if r.event == "consent"]
    assert row.detail["no_release_reason"] == "signed on paper, scan to follow"
