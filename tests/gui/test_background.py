"""Long work stays off the GUI thread: a 24 MP pair, the event loop's heartbeat, cancel."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from tests.gui.conftest import open_plan, wait_idle


def test_window_answers_while_a_large_pair_is_analysed(window, qtbot, big_pair, tmp_path):
    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    # the first view of the pair appears before its analysis is done
    with qtbot.waitSignal(window.compare.pair_shown, timeout=60_000):
        open_plan(window, qtbot, big_pair, None, tmp_path / "big.shoot")
    state = window.session.current
    assert window.compare.model.shown.images.real.width == 6000
    shown_before_analysis = state.result is None
    with qtbot.waitSignal(window.analysis.analysed, timeout=120_000):
        pass
    timer.stop()
    assert shown_before_analysis
    assert window.session.current.analysed
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(beats) > 20, "the event loop hardly ran during the analysis"
    # generous for a shared two-core machine; a frozen UI would show gaps of seconds
    assert max(gaps) < 1.0, f"the event loop stalled for {max(gaps):.2f} s"
    # a pyramid keeps fitted views cheap: a fitted pane paints from a reduced level
    pyramid = window.compare.model.shown.images.real
    assert len(pyramid.levels) >= 3 and pyramid.level_for(window.compare.model.scale) > 0


def test_cancel_stops_the_analysis_and_keeps_the_shoot_usable(window, qtbot, big_pair, tmp_path):
    open_plan(window, qtbot, big_pair, None, tmp_path / "big.shoot")
    analysis = window.analysis
    qtbot.waitUntil(lambda: analysis.running, timeout=30_000)
    with qtbot.waitSignal(analysis.idle, timeout=60_000):
        window.qactions["analysis.cancel"].trigger()
    assert not analysis.running and not analysis.queue
    assert window.session.current.result is None  # nothing half-stored
    # what is left is said, with a button to go on
    assert window.progress.isVisible() and window.progress.button.text() == "Resume (1)"
    assert window.progress.label.full_text() == "1 pair(s) to analyse"  # never or stale: not "not analysed"
    with qtbot.waitSignal(analysis.analysed, timeout=120_000):
        qtbot.mouseClick(window.progress.button, Qt.MouseButton.LeftButton)
    wait_idle(window, qtbot)
    assert window.session.current.analysed and not window.progress.isVisible()


def test_screenshot_command_renders_the_first_analysed_sample_pair(tmp_path):
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "twinproof", "--sample", "--screenshot", str(out)],
                          env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 20_000
    assert Path(tmp_path / "data").exists()  # the sample's database went to the data folder


def test_closing_a_shoot_mid_analysis_then_opening_another(window, qtbot, big_pair, shoot_dirs, tmp_path):
    _open = open_plan
    _open(window, qtbot, big_pair, None, tmp_path / "big.shoot")
    qtbot.waitUntil(lambda: window.analysis is not None and window.analysis.running, timeout=30_000)
    old = window.analysis
    window.close_shoot()
    real, twin = shoot_dirs
    _open(window, qtbot, real, twin, tmp_path / "small.shoot")
    assert old.closed
    wait_idle(window, qtbot)
    # the old job has ended, and what it reported went nowhere (no error in any slot)
    qtbot.waitUntil(lambda: window.pools.interactive.activeThreadCount() == 0, timeout=60_000)
    # the closed shoot's late results never reach the new one (pair ids repeat across shoots)
    assert window.compare.model.shown.images is None or window.compare.model.shown.images.name == "look01"
    assert window.session.pairs[window.session.order[0]].analysed


def test_docs_screenshot_script_renders_every_mode(qtbot, tmp_path, monkeypatch):
    from twinproof.gui import screenshots

    monkeypatch.setattr(screenshots, "SETTLE_MS", 60)
    # the PNG optimiser is slow and not what is tested here
    monkeypatch.setattr(screenshots, "save", lambda image, path: image.save(str(path)) and 1)
    assert screenshots.main([str(tmp_path)]) == 0
    shots = sorted(p.name for p in tmp_path.glob("*.png"))
    assert len(shots) == 16 and {"05-difference.png", "13-talent-link.png", "14-new-shot-two-up.png",
                                 "15-new-shot-faces-swipe.png"} <= set(shots)


def test_committed_screenshots_stay_small():
    """Within the renderer's budget (true colour where it fits: the docs show colour)."""
    from twinproof.gui.screenshots import BUDGET

    docs = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    pngs = list(docs.glob("*.png"))
    assert len(pngs) >= 11
    assert all(p.stat().st_size <= BUDGET for p in pngs), [p.name for p in pngs if p.stat().st_size > BUDGET]
