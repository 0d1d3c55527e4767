"""A working day's small things (issue 26): "Show in folder" with no file manager says where the
folder is; Resume right after selecting an unanalysed pair starts the work; Quit hides the
window at once and cancels the analysis, keeping what was stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from tests.gui.conftest import SAMPLE, wait_idle
from twinproof import review
from twinproof.gui import exporting
from twinproof.gui.session import ShootSession


def test_show_in_folder_without_a_file_manager_gives_the_path(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    folder = tmp_path / "TwinProof export"
    folder.mkdir()
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or False)
    assert not exporting.open_folder(folder, host)
    assert asked == [str(folder)]
    (box,) = [b for b in host.findChildren(QMessageBox) if b.objectName() == "PathFallback"]
    assert box.isVisible() and str(folder) in box.text()
    assert QGuiApplication.clipboard().text() == str(folder)
    box.close()
    # with a file manager, it simply opens
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: True)
    assert exporting.open_folder(folder, host)


def _shoot(window, tmp_path: Path, looks: tuple[str, ...]) -> ShootSession:
    real = tmp_path / "pairs"
    real.mkdir()
    for n in looks:
        for side in ("real", "twin"):
            (real / f"look{n}_{side}.jpg").write_bytes((SAMPLE / f"look{n}_{side}.jpg").read_bytes())
    store = review.open_store(tmp_path / "shoot.shoot", reviewer="tester")
    shoot = review.import_shoot(store, real).shoot
    window.settings.analyse_on_open = False
    session = ShootSession(store, shoot, tmp_path / "shoot.shoot")
    window.open_session(session)
    return session


def test_resume_while_a_cancelled_analysis_winds_down_starts_the_work(window, qtbot, tmp_path):
    session = _shoot(window, tmp_path, ("01", "02"))
    session.set_current(session.order[0])  # an unanalysed pair on screen: its analysis starts
    analysis = window.analysis
    assert analysis.running and analysis.current_pair == session.order[0]
    window.cancel_analysis()
    assert analysis.running  # the cancelled step is still winding down on its thread
    window.progress.resume_requested.emit()  # Resume, at once
    wait_idle(window, qtbot, timeout=120_000)
    assert all(session.pairs[pid].analysed for pid in session.order)
    assert not window.progress.isVisible()  # nothing left to resume


def test_quit_hides_the_window_first_and_keeps_what_was_stored(window, qtbot, tmp_path):
    session = _shoot(window, tmp_path, ("01", "02"))
    store_path = tmp_path / "shoot.shoot"
    window.analyse_all()
    qtbot.waitUntil(lambda: session.pairs[session.order[0]].analysed, timeout=120_000)
    assert window.analysis.busy  # look02 under way
    hidden: list[bool] = []
    window.windowHandle().visibleChanged.connect(lambda visible: hidden.append(not visible))
    window.close()
    assert hidden and hidden[0]  # the window went first
    assert window.analysis is None and not window.pools.busy  # cancelled, every thread joined
    store = review.open_store(store_path)
    try:
        assert review.latest_analysis(store, session.order[0]) is not None  # kept
    finally:
        store.close()
