"""The Shoot audit window: opened from the Review menu's action on a real record, computed
off the GUI thread, the verdict in words and one plot per audited measurement."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from tests.conftest import DATA
from twinproof import review


def _record(tmp_path: Path, n: int = 9) -> Path:
    """A shoot of ``n`` pairs carrying the sample shoot's real stored results (three of them,
    in turn), with small real image files so the shoot opens."""
    db = tmp_path / "audit.twinproof"
    store = review.open_store(str(db), reviewer="tester")
    try:
        shoot = review.create_shoot(store, "SS27")
        src = np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB").resize((120, 140)))
        for i in range(n):
            real, twin = tmp_path / f"look{i:02d}_real.png", tmp_path / f"look{i:02d}_twin.png"
            Image.fromarray(src).save(real)
            Image.fromarray(np.clip(src.astype(int) + i + 1, 0, 255).astype(np.uint8)).save(twin)
            pair = review.make_pair(store, shoot.id, real, twin, f"look{i:02d}")
            name = ("look02", "look03", "look05")[i % 3]
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(
                json.loads((DATA / "results" / f"v1_{name}.json").read_text())))
    finally:
        store.close()
    return db


def test_the_audit_window_shows_words_and_plots(window, qtbot, tmp_path):
    from twinproof.gui.shootaudit import DriftPlot, ShootAuditDialog

    window.settings.analyse_on_open = False
    db = _record(tmp_path)
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.open_database(db)
    window.qactions["shoot.audit"].trigger()
    dialog = window.findChild(ShootAuditDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: "analysed pair" in dialog.status.text(), timeout=30_000)
    assert "No systematic change found in 9 pairs" in dialog.headline.text()
    plots = dialog.findChildren(DriftPlot)
    assert {p.drift.metric for p in plots} >= {"face.proportions.jaw_width.percent", "skin.delta_L"}
    image = plots[0].grab().toImage()
    assert image.width() >= 260 and not image.isNull()
    dialog.grouping.setCurrentIndex(1)  # by talent: none linked, said in words
    qtbot.waitUntil(lambda: "analysed pair" in dialog.status.text() and dialog.again.isEnabled(), timeout=30_000)
    dialog.close()


def test_without_a_shoot_the_status_bar_says_so(window):
    window.qactions["shoot.audit"].trigger()
    assert "Open a shoot" in window.statusBar().currentMessage()
