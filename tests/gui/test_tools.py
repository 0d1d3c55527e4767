"""Hand pairing, breaking a pair, zoom to a region, nudging the alignment by hand."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt

from tests.gui.conftest import SAMPLE, wait_idle
from twinproof import review
from twinproof.gui.align import AlignDialog
from twinproof.gui.importer import ImportPlan


def test_pair_by_hand_at_import_and_break_a_pair(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    shutil.copy(SAMPLE / "look02_real.jpg", real / "extra.jpg")
    plan = ImportPlan(real, twin, tmp_path / "shoot.shoot", [(real / "extra.jpg", twin / "stray.jpg")])
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.import_folders(plan)
    session = window.session
    hand = [s for s in session.pairs.values() if s.record.real_path.endswith("extra.jpg")]
    assert len(hand) == 1 and hand[0].record.twin_path.endswith("stray.jpg")
    wait_idle(window, qtbot)
    session.set_current(hand[0].id)
    window.qactions["pair.break"].trigger()
    assert hand[0].id not in window.session.pairs
    assert review.get_pair(session.store, hand[0].id).broken


def test_zoom_to_region_and_nudge_the_alignment(window, qtbot, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    for side in ("real", "twin"):
        shutil.copy(SAMPLE / f"look01_{side}.jpg", folder / f"look01_{side}.jpg")
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.import_folders(ImportPlan(folder, None, tmp_path / "one.shoot"))
    wait_idle(window, qtbot)
    model, pane = window.compare.model, window.compare.left
    qtbot.waitUntil(lambda: model.shown.images is not None and model.shown.registration is not None)
    fitted = model.scale
    window.qactions["tool.zoom"].trigger()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.mouseMove(pane, QPoint(140, 130))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=QPoint(160, 145))
    assert model.scale > 3 * fitted and window.tools.tool == "select"
    # nudge: the twin moves on screen at once, and re-analysis stores a manual alignment
    before = model.shown.registration
    dialog = AlignDialog(before, lambda t: window.compare.set_manual(window.session.current_id, t),
                         lambda reg: window.analysis.request(window.session.current_id, reg), window)
    qtbot.addWidget(dialog)
    dialog.dx.setValue(dialog.dx.value() + 5)
    assert abs(model.shown.registration.dx() - (before.dx() + 5)) < 0.01
    assert abs(model.twin_to_frame().map(QPointF(0, 0)).x() - (before.map(QPointF(0, 0)).x() + 5)) < 0.01
    with qtbot.waitSignal(window.analysis.analysed, timeout=60_000):
        dialog.apply.click()
    result = window.session.current.result
    assert result["registration"]["method"] == "manual"
    assert abs(result["registration"]["shift_px"][0] - (before.dx() + 5)) < 0.01


def test_dropping_two_folders_opens_the_import_with_them(window, shoot_dirs, monkeypatch):
    from twinproof.gui import importer

    real, twin = shoot_dirs
    asked = []
    monkeypatch.setattr(importer, "ask_import", lambda _p, r, t: asked.append((r, t)))
    window.start.folders_dropped.emit([twin, real])
    assert asked == [(real, twin)]


def _drop(widget, paths) -> None:
    """A real drop event, as the window system delivers it."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    with warnings.catch_warnings():  # Qt 6.12 deprecates the QPoint constructor, has no other
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dragEnterEvent(enter)
    assert enter.isAccepted()
    widget.dropEvent(QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))


def test_folders_and_shoots_drop_onto_an_open_workspace(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    from twinproof.gui import importer

    real, twin = shoot_dirs
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.import_folders(ImportPlan(real, twin, tmp_path / "first.shoot"))
    wait_idle(window, qtbot)
    asked = []
    monkeypatch.setattr(importer, "ask_import", lambda _p, r, t: asked.append((r, t)))
    _drop(window, [twin, real])
    assert asked == [(real, twin)]
    window.close_shoot()
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        _drop(window, [tmp_path / "first.shoot"])  # a review database opens directly
    assert window.session is not None and window.session.path == tmp_path / "first.shoot"
    wait_idle(window, qtbot)


def test_a_file_that_is_not_a_shoot_is_a_message(window, tmp_path, monkeypatch):
    from twinproof.gui import dialogs

    bad = tmp_path / "notes.shoot"
    bad.write_text("not a database")
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append(title))
    window.open_database(bad)
    assert errors == ["Cannot open the shoot"] and window.session is None


def test_landmark_overlay_draws_the_tracked_twin_points_when_the_core_gives_them():
    """The overlay's twin points are the measurement's own (tracked) ones, not the twin
    model's estimate, which wanders on an unchanged twin; on a real analysis."""
    import dataclasses

    from twinproof.core.analysis import analyze_pair
    from twinproof.gui.landmarks import landmark_sets

    result = analyze_pair(SAMPLE / "look06_real.jpg", SAMPLE / "look06_twin.jpg").result
    seen = [i for i, v in enumerate(result.metrics.landmarks.real.body_visibility) if v >= 0.5]
    body = next(s for s in landmark_sets(result) if s.name == "body")
    tracked = result.metrics.body.twin_points
    assert [round(body.twin[i].x(), 2) for i in seen] == [tracked[i][0] for i in seen]
    face = next(s for s in landmark_sets(result) if s.name == "face")
    assert [round(p.x(), 2) for p in face.twin[:5]] == [p[0] for p in result.metrics.face.twin_points[:5]]
    untracked = dataclasses.replace(result, metrics=dataclasses.replace(result.metrics, body=None))
    body = next(s for s in landmark_sets(untracked) if s.name == "body")
    model = result.metrics.landmarks.twin.body_points
    assert [round(p.x(), 2) for p in body.twin if p.x() == p.x()][:3] == [
        p[0] for p, v in zip(model, result.metrics.landmarks.twin.body_visibility, strict=True) if v >= 0.5][:3]


def test_evidence_limits_are_the_ones_the_analysis_was_judged_by(tmp_path):
    """A brand's stricter limit shows as the limit of that analysis, whatever is in force now."""
    from twinproof.cli.analyze import _with_working_size
    from twinproof.core.analysis import analyze_pair
    from twinproof.core.policy import load_policy
    from twinproof.gui.evidence import metric_rows

    brand = tmp_path / "brand.toml"
    brand.write_text("[structure]\nssim_warn = 0.99\n")
    policy = _with_working_size(load_policy(brand), None)
    result = analyze_pair(SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg", policy).result
    ssim_row = next(r for r in metric_rows(result) if r.path == "ssim.value")
    assert ssim_row.threshold == "warn <0.99 · fail <0.5" and ssim_row.severity == "warn"
    default = analyze_pair(SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg").result
    ssim_row = next(r for r in metric_rows(default) if r.path == "ssim.value")
    assert ssim_row.threshold == "warn <0.7 · fail <0.5" and ssim_row.severity is None


def test_import_dialog_pairs_by_folder_whatever_the_selection_order(qtbot, shoot_dirs):
    from twinproof.gui.importer import ImportDialog

    real, twin = shoot_dirs
    shutil.copy(SAMPLE / "look02_real.jpg", real / "extra.jpg")
    dialog = ImportDialog(real, twin)
    qtbot.addWidget(dialog)
    items = {dialog.unmatched.item(i).data(256): dialog.unmatched.item(i)
             for i in range(dialog.unmatched.count())}
    stray, extra = next(k for k in items if k.endswith("stray.jpg")), next(k for k in items if k.endswith("extra.jpg"))
    items[stray].setSelected(True)  # the twin selected first
    items[extra].setSelected(True)
    dialog._pair_by_hand()
    assert [(p.name, q.name) for p, q in dialog.manual] == [("extra.jpg", "stray.jpg")]


def test_import_dialog_pairs_one_real_photograph_with_several_twins(window, qtbot, shoot_dirs, tmp_path):
    """A real photograph paired by hand stays in the list (the twin goes): a second twin of
    the same frame can be paired with it, and the import makes both pairs."""
    from twinproof.gui.importer import ImportDialog

    real, twin = shoot_dirs
    shutil.copy(SAMPLE / "look02_real.jpg", real / "extra.jpg")
    shutil.copy(SAMPLE / "look01_twin.jpg", twin / "variant.jpg")
    dialog = ImportDialog(real, twin)
    qtbot.addWidget(dialog)

    def select(*names: str) -> None:
        dialog.unmatched.clearSelection()
        for i in range(dialog.unmatched.count()):
            item = dialog.unmatched.item(i)
            if item.data(256) and Path(item.data(256)).name in names:
                item.setSelected(True)

    select("extra.jpg", "stray.jpg")
    dialog._pair_by_hand()
    listed = [dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count())]
    assert not any(t.startswith("twin: stray.jpg") for t in listed)
    assert any(t.startswith("real: extra.jpg — paired by hand with stray.jpg") for t in listed)
    assert dialog.summary.text().startswith("3 pair(s) found, 1 paired by hand; 1 file(s) not matched")
    select("extra.jpg", "variant.jpg")
    dialog._pair_by_hand()
    plan = dialog.plan()
    assert plan is not None and [(p.name, q.name) for p, q in plan.manual] == [
        ("extra.jpg", "stray.jpg"), ("extra.jpg", "variant.jpg")]
    plan.database = tmp_path / "several.shoot"
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.import_folders(plan)
    hand = sorted((s.record.name, Path(s.record.twin_path).name) for s in window.session.pairs.values()
                  if s.record.real_path.endswith("extra.jpg"))
    assert hand == [("extra", "stray.jpg"), ("extra (2)", "variant.jpg")]
    wait_idle(window, qtbot)


def test_make_a_pair_after_import(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    """Pair → Make a pair: the real photograph, then its twin, asked one by one."""
    from twinproof.gui import navigation

    real, twin = shoot_dirs
    shutil.copy(SAMPLE / "look02_real.jpg", real / "extra.jpg")
    with qtbot.waitSignal(window.session_opened, timeout=30_000):
        window.import_folders(ImportPlan(real, twin, tmp_path / "shoot.shoot"))
    wait_idle(window, qtbot)
    answers = iter([str(real / "extra.jpg"), str(twin / "stray.jpg")])
    monkeypatch.setattr(navigation.QFileDialog, "getOpenFileName", lambda *a, **k: (next(answers), ""))
    window.qactions["pair.make"].trigger()
    session = window.session
    # the pair is made on the save thread (it hashes both files)
    qtbot.waitUntil(lambda: session.current is not None
                    and session.current.record.real_path.endswith("extra.jpg"), timeout=10_000)
    made = session.current
    assert made is not None and made.record.real_path.endswith("extra.jpg")
    assert made.record.twin_path.endswith("stray.jpg")
    events = [e.event for e in review.audit_rows(session.store)]
    assert "pair_made" in events
    wait_idle(window, qtbot)
    assert session.pairs[made.id].analysed
