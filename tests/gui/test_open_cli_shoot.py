"""A shoot made on the command line opens in the app: the README names it ``ss27.twinproof``,
the app's own are ``.shoot``. Dropped on the start screen or the window it opened neither (the
start screen took any file for folders: "Drop one folder of pairs, …"), and the Open dialog
showed only ``*.shoot``."""

from __future__ import annotations

import shutil

import pytest

from tests.gui.conftest import SAMPLE, wait_idle
from tests.gui.test_tools import _drop
from twinproof.cli import main


@pytest.fixture
def cli_shoot(tmp_path):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copy(SAMPLE / "look01_real.jpg", real / "look01.jpg")
    shutil.copy(SAMPLE / "look01_twin.jpg", twin / "look01.jpg")
    db = tmp_path / "ss27.twinproof"
    assert main(["shoot", "import", str(real), str(twin), "--db", str(db), "--reviewer", "tester"]) == 0
    return db


@pytest.mark.parametrize("where", ["start screen", "window"])
def test_a_dropped_cli_shoot_opens(window, qtbot, cli_shoot, where):
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        _drop(window.start if where == "start screen" else window, [cli_shoot])
    assert window.session is not None and window.session.path == cli_shoot
    wait_idle(window, qtbot)


def test_the_open_dialog_shows_cli_shoots(window, cli_shoot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window.open_dialog()
    filters = asked[0][3]
    assert "*.twinproof" in filters.split(";;")[0] and "*.shoot" in filters.split(";;")[0], filters
