"""Long work says what it is doing from its first second, starts with the pair on screen,
and after Cancel offers to resume."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.conftest import open_plan, wait_idle
from twinproof.gui.progress import ProgressStatus


def test_import_and_analysis_name_their_stages_and_ctrl_r_starts_with_the_pair_on_screen(
        window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    said: list[str] = []
    original = ProgressStatus.stage

    def stage(self, text, done, total, unit="pairs"):
        said.append(text)
        original(self, text, done, total, unit)

    monkeypatch.setattr(ProgressStatus, "stage", stage)
    window.settings.analyse_on_open = False
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    # the import named each stage, from the first one
    assert said[0] == "Importing: starting"
    assert "Importing: opening the review database" in said
    assert any(t.startswith("Importing: hashing look01.jpg (1 of 6 files)") for t in said)
    assert "Importing: storing the pairs" in said
    # the pair on screen is analysed on its own; the others wait: the status bar offers them
    wait_idle(window, qtbot)
    assert window.progress.button.text() == "Resume (2)"  # look02, and look03 (not yet known unreadable)


def test_ctrl_r_keeps_the_pair_on_screen_first(window, qtbot, tmp_path, monkeypatch):
    """Ctrl+R queued every pair in shoot order, moving the pair on screen behind the others."""
    import shutil

    from tests.gui.conftest import SAMPLE

    folder = tmp_path / "three"
    folder.mkdir()
    for n in ("01", "02", "05"):
        for side in ("real", "twin"):
            shutil.copy(SAMPLE / f"look{n}_{side}.jpg", folder / f"look{n}_{side}.jpg")
    said: list[str] = []
    original = ProgressStatus.stage
    monkeypatch.setattr(ProgressStatus, "stage",
                        lambda self, text, *a, **k: said.append(text) or original(self, text, *a, **k))
    window.settings.analyse_on_open = False
    open_plan(window, qtbot, folder, None, tmp_path / "three.shoot")
    session, analysis = window.session, window.analysis
    look05 = session.order[2]
    assert analysis.running  # look01, on screen when the shoot opened
    session.set_current(look05)  # the reviewer moves to the last pair at once...
    window.qactions["analysis.all"].trigger()  # ...and asks for the whole shoot (Ctrl+R)
    assert [q[0] for q in analysis.queue] == [look05, session.order[1]]
    order: list[int] = []
    analysis.analysed.connect(order.append)
    wait_idle(window, qtbot, timeout=120_000)
    assert order[-2:] == [look05, session.order[1]]
    named = [t.split(":")[0] for t in said if t.startswith("Analysing look")]
    assert named.index("Analysing look05") < named.index("Analysing look02")


def test_resume_after_cancel_finishes_the_rest(window, qtbot, shoot_dirs, tmp_path):
    window.settings.analyse_on_open = False
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    session, analysis = window.session, window.analysis
    window.qactions["analysis.all"].trigger()
    qtbot.waitUntil(lambda: analysis.running, timeout=10_000)
    with qtbot.waitSignal(analysis.idle, timeout=60_000):
        window.qactions["analysis.cancel"].trigger()
    left = analysis.left()
    assert left >= 2 and window.progress.button.text() == f"Resume ({left})"
    assert "Resume" in window.statusBar().currentMessage()
    qtbot.mouseClick(window.progress.button, Qt.MouseButton.LeftButton)
    assert analysis.busy and window.progress.button.text() == "Cancel"
    wait_idle(window, qtbot, timeout=120_000)
    ok = [session.pairs[i] for i in session.order[:2]]
    assert all(s.analysed for s in ok) and session.pairs[session.order[2]].error  # look03 is broken
    assert not window.progress.isVisible()
