"""Enrolment asks for enough reference portraits and says what fewer cannot show (issue 23):
the new-person form, and the Consent panel's line under her portrait as portraits are added
several at once (real photographs of one man, ``../shared/faces-more``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.core import enrolment
from twinproof.core.enrolment import minimum, recommended
from twinproof.gui import dialogs, portraits, talentforms

S2 = Path(__file__).resolve().parents[2].parent / "shared" / "faces-more" / "ramiz" / "s2"


def test_the_new_person_form_asks_for_her_portraits_and_editing_does_not(qtbot):
    seen: list[str] = []

    def look_and_cancel() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())
        seen.extend(label.text() for label in dialog.findChildren(QLabel, "PortraitsHint"))
        dialog.reject()

    QTimer.singleShot(200, look_and_cancel)
    assert talentforms.ask_person(None) is None
    assert len(seen) == 1 and f"at least {minimum()}, {recommended()} recommended" in seen[0]
    assert "a slimmed jaw, a wider face or larger eyes" in seen[0]
    QTimer.singleShot(200, look_and_cancel)
    assert talentforms.ask_person(None, "Ana Silva") is None
    assert len(seen) == 1  # correcting a name is not enrolment


@pytest.mark.skipif(not (S2 / "3.jpg").is_file(), reason="../shared/faces-more is absent")
def test_portraits_added_at_once_move_her_to_her_own_range(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    session = window.session
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(f"{title}: {text}"))
    review.add_talent(session.store, "Elvis")
    session.workspace.poll()
    panel = window.talent
    panel.select("Elvis")
    assert panel.enrolment.text().startswith("0 reference portraits")
    blank = tmp_path / "notes.txt"
    blank.write_text("not a picture")
    monkeypatch.setattr(portraits, "ask_portrait_files", lambda *_a: [S2 / "3.jpg", blank, S2 / "6.jpg"])
    panel.add_portrait()
    qtbot.waitUntil(lambda: len(review.list_references(session.store, "Elvis")) == 2, timeout=90_000)
    qtbot.waitUntil(lambda: panel.enrolment.text().startswith("2 reference portraits: the talent's own range"))
    assert f"{recommended()} recommended" in panel.enrolment.text()
    assert panel.enrolment.toolTip() == enrolment.advice(2).text  # the measured rates, core.enrolment's words
    # the file that is not a portrait is refused in one line, the two faces kept
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [errors[0]] and "notes.txt" in errors[0]
