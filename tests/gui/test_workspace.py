"""The review workspace driven through the real main window: import, step, modes, zoom."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui.viewmodel import Heat, Mode


def test_import_two_folders_step_through_pairs_and_survive_a_bad_file(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    with qtbot.waitSignal(window.compare.pair_shown, timeout=30_000):
        open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    session = window.session
    assert [session.pairs[i].record.name for i in session.order] == ["look01", "look02", "look03"]
    assert "stray.jpg" in window.statusBar().currentMessage()  # unmatched files are listed
    wait_idle(window, qtbot)
    assert session.pairs[session.order[0]].analysed
    assert session.pairs[session.order[1]].record.verdict == "fail"  # look02: colour cast
    bad = session.pairs[session.order[2]]
    assert bad.error and "look03" in bad.error  # a message, and the rest still works
    # keys: J / K and arrows move in the list order
    window.activateWindow()
    qtbot.keyClick(window.compare.left, Qt.Key.Key_J)
    assert session.current_id == session.order[1]
    window.qactions["pair.next"].trigger()
    assert session.current_id == session.order[2]
    # the real photograph is still shown, and the twin's pane says why the twin is not
    model = window.compare.model
    qtbot.waitUntil(lambda: model.shown.images is not None and not model.shown.images.preview, timeout=10_000)
    assert model.shown.images.real is not None and model.shown.images.twin is None
    assert "look03" in model.shown.images.twin_problem
    window.compare.right.grab()  # paints the reason, not a twin
    model.set_mode(Mode.ONION)
    assert model.overlay_blocked().startswith("The twin cannot be shown: ")
    window.compare.left.grab()
    model.set_mode(Mode.TWO_UP)
    window.qactions["pair.previous"].trigger()
    window.qactions["pair.previous"].trigger()
    assert session.current_id == session.order[0]
    # the list filter changes what stepping visits
    window.pairs.filter.setCurrentText("Flagged")
    assert set(window.pairs.visible_ids()) == {session.order[1], session.order[2]}


def test_modes_render_and_zoom_is_kept_across_pairs(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    model = window.compare.model
    qtbot.waitUntil(lambda: model.shown.images is not None)
    for key, mode in (("mode.swipe", Mode.SWIPE), ("mode.onion", Mode.ONION), ("mode.blink", Mode.BLINK),
                      ("mode.difference", Mode.DIFFERENCE)):
        window.qactions[key].trigger()
        assert model.mode is mode
        assert window.compare.left.role == "composite" and not window.compare.right.isVisible()
        assert not window.compare.left.grab().isNull()
    window.qactions["mode.swipe"].trigger()  # Space goes back to 2-up from swipe
    window.qactions["mode.swipe"].trigger()
    assert model.mode is Mode.TWO_UP and window.compare.right.isVisible()
    window.qactions["view.heat_ssim"].trigger()
    assert model.heat is Heat.SSIM and model.shown.heat
    window.qactions["view.overlays"].trigger()
    assert not model.overlays_visible
    window.qactions["view.overlays"].trigger()
    window.qactions["view.landmarks"].trigger()
    window.qactions["view.aligned"].trigger()
    assert not model.aligned
    window.qactions["view.aligned"].trigger()
    for pane in window.compare.panes:
        assert not pane.grab().isNull()
    # zoom 200 % around a point, move to the next pair: same scale and centre
    model.set_view(2.0, QPointF(200, 180))
    with qtbot.waitSignal(window.compare.pair_shown, timeout=10_000):
        window.qactions["pair.next"].trigger()
    assert model.scale == 2.0 and model.center == QPointF(200, 180)
    window.qactions["zoom.fit"].trigger()
    assert model.fitted
    # the status bar reads out both images' pixels under the cursor
    # (first elsewhere: a cursor already at that spot, left by another test, sends no move)
    qtbot.mouseMove(window.compare.left, window.compare.left.rect().center() + QPoint(7, 5))
    qtbot.mouseMove(window.compare.left, window.compare.left.rect().center())
    assert window.readout.text().startswith("x ") and "real " in window.readout.text()
    window.qactions["zoom.toggle"].trigger()
    assert model.scale == 1.0 / window.compare.devicePixelRatioF()
    # freeze the left pane as the reference; it keeps look02 while we go back to look01
    window.qactions["view.freeze"].trigger()
    frozen = model.reference
    assert frozen is not None and frozen.name == "look02"
    window.qactions["pair.previous"].trigger()
    qtbot.waitUntil(lambda: model.shown.images is not None and model.shown.images.name == "look01")
    assert model.reference is frozen


def test_flag_click_shows_its_heat_map_and_reopening_is_instant(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    db = tmp_path / "shoot.shoot"
    open_plan(window, qtbot, real, twin, db)
    wait_idle(window, qtbot)
    session = window.session
    session.set_current(session.order[1])
    flags = [f for f in (session.current.result or {}).get("flags", []) if f["category"] == "colour"]
    assert flags
    window.metrics.flag_clicked.emit(flags[0])
    assert window.compare.model.heat is Heat.DELTA_E
    # a face flag zooms to its mesh region (the lips), found from the stored landmarks
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None
                    and window.compare.model.shown.images.name == "look02", timeout=10_000)
    window.compare.fit()
    fitted = window.compare.model.scale
    window.metrics.flag_clicked.emit({"category": "face_shape", "region": "lips", "severity": "warn"})
    model = window.compare.model
    # a shape flag shows the landmark overlay (twin points against the real ones), no heat map
    assert model.heat is Heat.NONE and model.landmarks and model.scale > 2 * fitted
    from twinproof.gui.landmarks import landmark_sets

    face = next(s for s in landmark_sets(model.shown.result) if s.name == "face")
    lips_y = sum(face.real[i].y() for i in (0, 17)) / 2  # upper lip top, lower lip bottom
    assert abs(model.center.y() - lips_y) < 25
    # a flag that carries its box (the core's corners x0, y0, x1, y1) is centred on that box
    eyes = [face.real[i] for i in (33, 133, 263, 362)]
    box = [min(p.x() for p in eyes), min(p.y() for p in eyes),
           max(p.x() for p in eyes), max(p.y() for p in eyes)]
    window.compare.fit()
    window.metrics.flag_clicked.emit({"category": "face_shape", "region": "eyes",
                                      "severity": "fail", "box": box})
    assert abs(model.center.x() - (box[0] + box[2]) / 2) < 2
    assert abs(model.center.y() - (box[1] + box[3]) / 2) < 2
    assert model.scale > 2 * fitted
    # sorting by a metric puts the worst first
    window.pairs.sort.setCurrentText("ΔE00 regional")
    assert window.pairs.visible_ids()[0] == session.order[1]
    window.pairs.sort.setCurrentText("SSIM")
    assert window.pairs.visible_ids()[-1] == session.order[2]  # not measurable: last
    window.close_shoot()
    window.open_database(db)
    # every stored analysis is current: nothing is queued again
    assert all(window.session.pairs[i].analysed for i in window.session.order[:2])
    assert window.analysis is not None and not window.analysis.queue


def test_import_dialog_previews_pairs_and_unmatched_files(qtbot, shoot_dirs):
    from twinproof.gui.importer import ImportDialog, guess_folders

    real, twin = shoot_dirs
    dialog = ImportDialog(real, twin)
    qtbot.addWidget(dialog)
    assert "3 pair(s) found" in dialog.summary.text()
    assert any("stray.jpg" in dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count()))
    # the review database goes to Documents/TwinProof, not into the delivered twin folder
    assert dialog.plan().database.parent.name == "TwinProof"
    assert dialog.plan().database.name == f"{real.parent.name}.shoot"
    assert twin not in dialog.plan().database.parents
    assert guess_folders([twin, real]) == (real, twin)


def test_shortcuts_dialog_lists_every_key(qtbot):
    from twinproof.gui.actions import REGISTRY, shortcut_rows
    from twinproof.gui.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    keys = {row[2] for row in shortcut_rows()}
    for spec in REGISTRY.values():
        assert ", ".join(spec.keys) in keys
    assert dialog.table.rowCount() == len(shortcut_rows())
    for must in ("P", "X", "U", "C", "Z", "D", "O", "F", "Space", "Right, J, Down", "Left, K, Up"):
        assert must in keys


def test_store_is_left_consistent(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    db = tmp_path / "shoot.shoot"
    open_plan(window, qtbot, real, twin, db)
    wait_idle(window, qtbot)
    window.close_shoot()
    store = review.open_store(db)
    try:
        events = {r.event for r in review.audit_rows(store)}
    finally:
        store.close()
    assert {"import", "analysis"} <= events
    assert Path(db).exists()


def test_docs_list_every_shortcut():
    from twinproof.gui.actions import REGISTRY

    docs = (Path(__file__).resolve().parents[2] / "docs" / "gui.md").read_text(encoding="utf-8")
    for spec in REGISTRY.values():
        if spec.keys:
            assert f"| {spec.text} | {', '.join(spec.keys)} |" in docs, spec.id


def test_a_file_edited_since_import_is_found_on_reopening_and_reanalysed(window, qtbot, shoot_dirs, tmp_path):
    """Reopening a shoot re-hashes its files in the background: an edited twin gets a new
    analysis stamped with the bytes it measured, and the audit trail says what changed."""
    import shutil

    real, twin = shoot_dirs
    db = tmp_path / "shoot.shoot"
    open_plan(window, qtbot, real, twin, db)
    wait_idle(window, qtbot)
    store = window.session.store
    pair = next(p for p in window.session.pairs.values() if p.record.name == "look01")
    first = review.latest_analysis(store, pair.id)
    assert first is not None and first.result["verdict"] == "pass"
    # the app stores the one record every caller stores: credentials, hashes, its maps' file
    recorded = first.recorded()
    assert recorded.provenance is not None and recorded.provenance.status == "absent"
    assert recorded.hashes == review.FileHashes(pair.record.real_sha256, pair.record.twin_sha256)
    assert recorded.heat_maps is not None and Path(recorded.heat_maps.file).is_file()
    window.close_shoot()

    shutil.copy(Path(twin.parent / "real" / "look02.jpg"), twin / "look01.jpg")  # another picture
    window.open_database(db)
    qtbot.waitUntil(lambda: window.session is not None and any(
        e.event == "file_changed" for e in review.audit_rows(window.session.store)), timeout=30_000)
    store = window.session.store

    def reanalysed() -> bool:
        latest = review.latest_analysis(store, pair.id)
        return latest is not None and latest.id != first.id and not window.analysis.busy

    qtbot.waitUntil(reanalysed, timeout=60_000)
    latest = review.latest_analysis(store, pair.id)
    assert latest.twin_sha256 == review.hash_file(twin / "look01.jpg") != first.twin_sha256
    assert latest.result["verdict"] != "pass"  # a different photograph is not a faithful twin
    assert window.session.pairs[pair.id].record.analysis_current


def test_database_locations_keep_server_urls_whole():
    from twinproof.gui.settings import Settings
    from twinproof.gui.shootops import as_location, shown_location

    url = "postgresql+psycopg://ana:secret@db.studio.lan:5432/ss27"
    assert as_location(url) == url  # Path() would fold '//' into a local file name
    assert as_location(" /shoots/ss27.shoot ") == Path("/shoots/ss27.shoot")
    assert "secret" not in shown_location(url) and "db.studio.lan:5432/ss27" in shown_location(url)
    s = Settings()
    s.remember(url)
    # no password at all: "***" in its place was sent as the password when reopened
    assert s.recent_shoots[0] == "postgresql+psycopg://ana@db.studio.lan:5432/ss27"
    old = Settings.from_dict({"recent_shoots": ["postgresql+psycopg://ana:***@db.studio.lan:5432/ss27"]})
    assert old.recent_shoots == ["postgresql+psycopg://ana@db.studio.lan:5432/ss27"]


def test_team_database_by_url_imports_and_reopens(window, qtbot, shoot_dirs):
    """The app works on a real PostgreSQL shoot, given by URL as the CLI's --db takes it."""
    import os

    import pytest

    from tests.conftest import fresh_pg_schema
    from twinproof.gui.shootops import as_location

    base = os.environ.get("TWINPROOF_TEST_PG_URL")
    if not base:
        pytest.skip("TWINPROOF_TEST_PG_URL not set (scripts/start_postgres.sh)")
    real, twin = shoot_dirs
    with fresh_pg_schema(base) as url:
        open_plan(window, qtbot, real, twin, as_location(url))
        assert window.session.store.engine.dialect.name == "postgresql"
        names = sorted(p.record.name for p in window.session.pairs.values())
        wait_idle(window, qtbot)
        window.close_shoot()
        with qtbot.waitSignal(window.session_opened, timeout=30_000):
            window.open_database(as_location(url))
        assert window.session.store.engine.dialect.name == "postgresql"
        assert sorted(p.record.name for p in window.session.pairs.values()) == names
        wait_idle(window, qtbot)
        window.close_shoot()


def test_the_twins_content_credentials_are_shown(window, qtbot, shoot_dirs, tmp_path):
    """A twin signed with C2PA (here with a throwaway chain) shows its generator, actions and
    declared source type in the evidence panel; an unsigned twin says it carries none."""
    from tests.export.c2pa_sign import sign_in_place

    real, twin = shoot_dirs
    sign_in_place(twin / "look01.jpg")
    open_plan(window, qtbot, real, twin, tmp_path / "c2pa.shoot")
    wait_idle(window, qtbot)
    session = window.session

    def panel_text() -> str:
        tree = window.metrics.tree
        # a long value is broken into lines to fit its column (no value is cut off)
        return "\n".join(" | ".join(tree.topLevelItem(i).text(c).replace("\n", " ") for c in range(3))
                         for i in range(tree.topLevelItemCount()))

    by_name = {s.record.name: s.id for s in session.pairs.values()}
    session.set_current(by_name["look01"])
    qtbot.waitUntil(lambda: "TwinGen 2.1" in panel_text(), timeout=10_000)
    text = panel_text()
    assert "trainedAlgorithmicMedia" in text and "created" in text
    session.set_current(by_name["look02"])
    qtbot.waitUntil(lambda: "Content Credentials | none" in panel_text(), timeout=10_000)
