"""Who the real person is, who is reviewing, and undo that shows what it undoes."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.conftest import DATA
from tests.gui.conftest import SAMPLE, open_plan, wait_idle
from twinproof import review
from twinproof.gui import dialogs, portraits, talentlink


def _open(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None, timeout=10_000)
    return window.session


def _consent(store, name):
    review.add_talent(store, name)
    today = date.today()
    review.add_consent(store, name, contract_ref=f"C-{name[:3]}", starts_on=today - timedelta(days=1),
                       expires_on=today + timedelta(days=90), no_release_reason="paper original")


def test_the_talent_link_starts_empty_asks_before_the_gate_opens_and_undoes(
        window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    first, second = session.order[0], session.order[1]
    _consent(session.store, "Eileen Collins")
    _consent(session.store, "Grace Hopper")
    review.link_talent(session.store, [first], "Eileen Collins")  # the previous pair's talent
    # a reference portrait on record, read for identity as the Consent panel reads it
    for name, picture in (("Grace Hopper", DATA / "grace_hopper.jpg"),
                          ("Eileen Collins", SAMPLE / "look01_real.jpg")):
        found = portraits.read(picture)
        assert isinstance(found, portraits.Portrait)
        review.add_reference(session.store, name, found.path, found.sha256, found.descriptor,
                             found.model, found.quality)
    session.refresh(first)
    session.set_current(second)
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None
                    and window.compare.model.shown.images.pair_id == second, timeout=10_000)
    seen = {}

    def real_dialog(parent, pair_name, real, people, current, words, faces=None, likeness=None):
        dialog = talentlink.TalentLinkDialog(pair_name, real, people, current, words, faces, parent, likeness)
        qtbot.addWidget(dialog)
        # a suggestion by face likeness to the reference portraits: said, never chosen
        qtbot.waitUntil(lambda: dialog.suggestion.text().startswith("Looks like"), timeout=60_000)
        seen["suggestion"] = dialog.suggestion.text()
        seen["rows"] = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        # nothing chosen, nothing typed: Enter links nobody
        seen["empty"] = (dialog.chosen() is None and not dialog.search.text()
                         and not dialog.list.selectedItems() and not dialog.link_button.isEnabled())
        dialog.show()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
        seen["enter_links_nobody"] = dialog.result() == 0 and dialog.isVisible()
        seen["pair_shown"] = dialog.pair_picture.pixmap() is not None and not dialog.pair_picture.pixmap().isNull()
        seen["words"] = words
        qtbot.keyClicks(dialog.search, "grace")
        seen["portrait"] = not dialog.portrait.pixmap().isNull()
        choice = dialog.chosen()
        dialog.close()
        return choice

    monkeypatch.setattr(talentlink, "ask_link", real_dialog)
    asked = []
    monkeypatch.setattr(talentlink, "ask_open_gate", lambda _p, pair, who: asked.append((pair, who)) or False)
    window.qactions["pair.talent"].trigger()
    assert seen["empty"] and seen["enter_links_nobody"] and seen["pair_shown"]
    assert seen["portrait"]  # Grace's reference portrait beside the pair
    assert seen["suggestion"].startswith("Looks like Grace Hopper")
    grace_row = next(r for r in seen["rows"] if r.startswith("Grace Hopper"))
    eileen_row = next(r for r in seen["rows"] if r.startswith("Eileen Collins"))
    assert "(same person)" in grace_row and "(not the same person)" in eileen_row
    assert "Consent valid today" in seen["words"]["Grace Hopper"]
    # the consent gate would open: asked first, and "No" links nobody
    assert asked == [("look02", "Grace Hopper")]
    assert review.get_pair(session.store, second).talent_id is None
    monkeypatch.setattr(talentlink, "ask_open_gate", lambda *_a: True)
    window.qactions["pair.talent"].trigger()
    assert session.current.record.talent_name == "Grace Hopper"
    assert "Talent: Grace Hopper · consent valid today" in window.bar.consent.full_text()
    assert window.tools.stack.undoText() == "Link talent Grace Hopper on look02"
    window.tools.stack.undo()
    assert review.get_pair(session.store, second).talent_id is None
    assert "not linked" in window.bar.consent.full_text()
    window.tools.stack.redo()
    assert session.current.record.talent_name == "Grace Hopper"
    # and it can be unlinked from the same dialog
    monkeypatch.setattr(talentlink, "ask_link", lambda *_a, **_k: talentlink.LinkChoice(None))
    window.qactions["pair.talent"].trigger()
    assert session.current.record.talent_name is None
    assert review.get_pair(session.store, first).talent_name == "Eileen Collins"  # untouched


def test_undoing_another_pairs_decision_goes_there_and_says_so(window, qtbot, shoot_dirs, tmp_path,
                                                               monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    look01, look02 = session.order[0], session.order[1]
    monkeypatch.setattr(dialogs, "ask_reasons", lambda *_a: (["artefact"], None, None))
    session.set_current(look01)
    window.qactions["decide.reject"].trigger()
    assert session.pairs[look01].record.state == "rejected"
    window.qactions["pair.next"].trigger()
    assert session.current_id == look02
    window.tools.stack.undo()  # Ctrl+Z with look02 on screen
    assert session.current_id == look01  # it went to the pair it changed
    assert session.pairs[look01].record.state == "unreviewed"
    message = window.statusBar().currentMessage()
    assert "Undid Decide rejected on look01" in message and "went to that pair" in message
    window.qactions["pair.next"].trigger()
    window.tools.stack.redo()
    assert session.current_id == look01 and session.pairs[look01].record.state == "rejected"
    assert "Redid Decide rejected on look01" in window.statusBar().currentMessage()
    # star ratings are on the same stack, and say where they were given
    window.qactions["rate.4"].trigger()
    assert session.pairs[look01].rating == 4
    window.qactions["pair.next"].trigger()
    window.tools.stack.undo()
    assert session.current_id == look01 and session.pairs[look01].rating is None
    assert "Undid Rate 4 stars on look01" in window.statusBar().currentMessage()


def test_the_reviewer_is_asked_once_before_the_first_decision(window, qtbot, shoot_dirs, tmp_path,
                                                              monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    window.settings.reviewer = ""
    window.show_reviewer()
    assert "set your name" in window.reviewer_button.text()
    monkeypatch.setattr(dialogs, "ask_reasons", lambda *_a: (["artefact"], None, None))
    monkeypatch.setattr(dialogs, "ask_first_reviewer", lambda *_a: None)
    window.qactions["decide.reject"].trigger()
    assert review.decision_history(session.store, session.current_id) == []  # no name: nothing recorded
    asked = []
    monkeypatch.setattr(dialogs, "ask_first_reviewer", lambda _p, _user: asked.append(1) or "Ana Director")
    window.qactions["decide.reject"].trigger()
    window.qactions["decide.clear"].trigger()
    assert asked == [1]
    assert [d.reviewer for d in review.decision_history(session.store, session.current_id)] == [
        "Ana Director", "Ana Director"]
    assert window.reviewer_button.text() == "Reviewer: Ana Director"
