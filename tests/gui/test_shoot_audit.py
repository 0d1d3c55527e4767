"""The Shoot audit window: opened from the Review menu's action on a real record, computed
off the GUI thread, the verdict in words and one plot per audited measurement."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt

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


def test_the_reviewer_names_a_twins_generator_and_the_audit_groups_by_it(window, qtbot, tmp_path, monkeypatch):
    """Review → "Generator of the twin…" (also in the pair list's context menu) names the model
    that made the pair on screen; it is kept in the record, audited, shown in the pair's tooltip,
    offered for the next pair, and the audit by generator reads it."""
    from twinproof.gui import generatorfield
    from twinproof.gui.shootaudit import ShootAuditDialog

    window.settings.analyse_on_open = False
    db = _record(tmp_path)
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.open_database(db)
    monkeypatch.setattr(window, "ensure_reviewer", lambda: True)
    assert window.qactions["pair.generator"] in window.pairs.view.actions()
    offered: list[list[str]] = []

    def answer(_parent, _pair, _current, known):
        offered.append(known)
        return "Vendor X v2"
    monkeypatch.setattr(generatorfield, "ask_generator", answer)
    for pair_id in window.session.order[:5]:
        window.pairs.select(pair_id)
        qtbot.waitUntil(lambda p=pair_id: window.session.current_id == p, timeout=10_000)
        window.qactions["pair.generator"].trigger()
    assert offered[0] == [] and offered[1] == ["Vendor X v2"]
    first = window.session.order[0]
    assert window.session.pairs[first].record.generator == "Vendor X v2"
    row = window.pairs.proxy.mapFromSource(window.pairs.model.index(window.pairs.model.row_of(first)))
    assert "generator: Vendor X v2" in row.data(Qt.ItemDataRole.ToolTipRole)
    store = review.open_store(str(db), reviewer="check")
    try:
        events = [r for r in review.audit_rows(store) if r.event == "generator"]
    finally:
        store.close()
    assert len(events) == 5
    monkeypatch.setattr(generatorfield, "ask_generator", lambda *_a: "")  # cleared
    window.qactions["pair.generator"].trigger()
    qtbot.waitUntil(lambda: window.session.current.record.generator is None, timeout=10_000)
    window.qactions["shoot.audit"].trigger()
    dialog = window.findChild(ShootAuditDialog)
    dialog.grouping.setCurrentIndex(dialog.grouping.findText("generator", Qt.MatchFlag.MatchContains))
    qtbot.waitUntil(lambda: "Generators: 4 pair(s) named by a reviewer" in dialog.groups.text(), timeout=30_000)
    dialog.close()
