"""Opening work: recent shoots that say what they are, one click to open, back to the pair
last viewed, a clean view for a new shoot, and a team server's password asked, never kept."""

from __future__ import annotations

import json
import os

import pytest
from PySide6.QtCore import QPointF, Qt

from tests.gui.conftest import open_plan, wait_idle
from twinproof.gui import dialogs, settings


def test_recent_shoots_say_what_they_are_open_on_one_click_and_return_to_the_last_pair(
        window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    db = tmp_path / "ss27.shoot"
    open_plan(window, qtbot, real, twin, db)
    wait_idle(window, qtbot)
    session = window.session
    look02 = session.order[1]
    session.set_current(look02)
    qtbot.waitUntil(lambda: all(session.pairs[i].thumbnail is not None for i in session.order[:2]),
                    timeout=20_000)
    # zoomed in with the cursor over the image: none of it may follow into the next shoot
    window.compare.model.set_view(3.0, QPointF(100, 100))
    qtbot.mouseMove(window.compare.left, window.compare.left.rect().center())
    assert window.readout.text()
    window.close_shoot()
    saved = json.loads(settings.settings_path().read_text(encoding="utf-8"))
    key = str(db.resolve())
    assert saved["recent_shoots"][0] == key
    info = saved["recent_details"][key]
    assert info["name"] == session.shoot.name and info["pairs"] == 3 and info["last_pair"] == "look02"
    assert info["folder"] == str(real.parent.resolve()) and info["opened"]
    item = window.start.recent.item(0)
    lines = item.text().splitlines()
    assert lines[0] == session.shoot.name and lines[1] == str(real.parent.resolve())
    assert "3 pair(s)" in lines[2] and "opened " in lines[2]
    assert not item.icon().isNull()  # a thumbnail of the shoot
    # one click opens it, at fit, on the pair last viewed, with no old readout
    rect = window.start.recent.visualItemRect(item)
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        qtbot.mouseClick(window.start.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.pairs[window.session.current_id].record.name == "look02"
    assert window.compare.model.fitted and window.readout.text() == ""
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None, timeout=10_000)
    qtbot.waitUntil(lambda: abs(window.compare.model.scale - window.compare.model.fit_scale(
        window.compare.left.size().toSizeF())) < 1e-6, timeout=5_000)
    wait_idle(window, qtbot)


def test_enter_opens_the_selected_recent_shoot(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "a.shoot")
    wait_idle(window, qtbot)
    window.close_shoot()
    window.start.recent.setCurrentRow(0)
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        qtbot.keyClick(window.start.recent, Qt.Key.Key_Return)
    wait_idle(window, qtbot)


def test_a_team_database_password_is_asked_and_kept_nowhere(window, qtbot, shoot_dirs, monkeypatch):
    from sqlalchemy.engine import make_url

    from tests.conftest import fresh_pg_schema
    from twinproof.gui.shootops import as_location

    base = os.environ.get("TWINPROOF_TEST_PG_URL")
    if not base:
        pytest.skip("TWINPROOF_TEST_PG_URL not set (scripts/start_postgres.sh)")
    password = make_url(base).password
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    real, twin = shoot_dirs
    with fresh_pg_schema(base) as url:
        open_plan(window, qtbot, real, twin, as_location(url))
        wait_idle(window, qtbot)
        window.close_shoot()
        stored = json.loads(settings.settings_path().read_text(encoding="utf-8"))
        assert "***" not in json.dumps(stored)
        recent = window.settings.recent_shoots[0]
        assert make_url(recent).password is None and stored["recent_shoots"][0] == recent
        assert all(make_url(k).password is None for k in stored["recent_details"])
        asked = []
        monkeypatch.setattr(dialogs, "ask_password", lambda _p, shown: asked.append(shown) or password)
        with qtbot.waitSignal(window.session_opened, timeout=30_000):
            window.open_database(as_location(recent))
        host = make_url(recent).host
        assert len(asked) == 1 and host in asked[0]  # asked before connecting, once
        assert window.session.path == recent
        wait_idle(window, qtbot)
        window.close_shoot()
        stored = json.loads(settings.settings_path().read_text(encoding="utf-8"))
        assert all(make_url(k).password is None for k in stored["recent_shoots"])
        # cancelling the question opens nothing and says nothing more
        monkeypatch.setattr(dialogs, "ask_password", lambda *_a: None)
        window.open_database(as_location(recent))
        assert window.session is None
