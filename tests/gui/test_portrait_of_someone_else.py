"""A reference portrait of someone else is caught in the app, as ``talent reference add`` catches
it: the app kept any face silently, and a stranger among the talent's portraits widens the
talent's own range (edits pass unseen) or, if the stranger is the twin's face, vouches for a twin
of another person. The app asks before it keeps one, and keeps the right ones without asking."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.test_talent_panel import _open
from twinproof import review
from twinproof.gui import dialogs, portraits

FACES = Path(__file__).resolve().parents[2].parent / "shared" / "faces"
pytestmark = pytest.mark.skipif(not (FACES / "img3.jpg").is_file(),
                                reason=f"labelled faces not found at {FACES} (../shared)")


def test_a_portrait_of_another_person_is_asked_about(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: pytest.fail(f"{title}: {text}"))
    review.add_talent(session.store, "Angelina J")
    session.workspace.poll()
    panel = window.talent
    asked: list[tuple[str, float]] = []
    answer = {"keep": False}

    def ask(_parent, name, path, nearest, threshold):
        asked.append((path.name, nearest))
        assert name == "Angelina J" and nearest > threshold
        return answer["keep"]

    monkeypatch.setattr(portraits, "ask_keep_stranger", ask)
    # the same woman twice (deepface's img1 and img4): kept, nothing asked
    monkeypatch.setattr(portraits, "ask_portrait_files", lambda *_a: [FACES / "img1.jpg", FACES / "img4.jpg"])
    panel.add_portrait()
    qtbot.waitUntil(lambda: len(review.list_references(session.store, "Angelina J")) == 2, timeout=60_000)
    assert asked == []
    # another woman (img3): asked, and left out when the reviewer says so
    monkeypatch.setattr(portraits, "ask_portrait_files", lambda *_a: [FACES / "img3.jpg"])
    panel.add_portrait()
    qtbot.waitUntil(lambda: bool(asked), timeout=60_000)
    qtbot.waitUntil(lambda: panel.add_portrait_button.isEnabled())
    assert asked[0][0] == "img3.jpg"
    assert len(review.list_references(session.store, "Angelina J")) == 2
    # kept when the reviewer says it is her after all
    answer["keep"] = True
    panel.add_portrait()
    qtbot.waitUntil(lambda: len(review.list_references(session.store, "Angelina J")) == 3, timeout=60_000)
    assert len(asked) == 2
