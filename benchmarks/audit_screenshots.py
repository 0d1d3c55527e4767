"""The shoot audit's screenshots, on real photographs: the app's Shoot audit window under a real
X server, and the sheet's audit page rendered by poppler.

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python benchmarks/audit_screenshots.py docs/screenshots [--cache DIR]

The shoot: every same-person pair of ../shared/faces and ../shared/faces-more plus a control
frame per real photo (the twin of that very frame), every twin's jaw slimmed 4 % (the
known-answer shoot of tests/review/test_drift_photos.py). Analyses come from ``--cache`` (the
same cache the tests and bench_drift_photos.py use) or are made.

``--references``: the shoot whose talents have reference portraits (each pair analysed with 3 of
that person's other photos), every twin's jaw slimmed 4 %, a generator named by the reviewer for each pair
(two made-up vendors, by person), grouped by generator: 23-shoot-audit-references.png, and its
sheet page: 24-shoot-audit-references-sheet.png.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.review import drift_photos as dp  # noqa: E402

from twinproof import review  # noqa: E402


def build(db: Path, analyses: dp.Analyses) -> None:
    shots = dp.new_shots()
    store = review.open_store(str(db), reviewer="art director")
    try:
        shoot = review.create_shoot(store, "SS27 faces")
        talents: dict[str, int] = {}
        for i, shot in enumerate(shots + dp.controls(shots)):
            result = analyses.result(shot, "jaw", -4.0)
            if result is None:
                continue
            real, twin = dp.pair_files(db.parent / "files", i, shot.real, analyses.twin_path(shot, "jaw", -4.0))
            pair = review.make_pair(store, shoot.id, real, twin, f"look{i:03d}")
            if shot.person not in talents:
                name = shot.person.replace("faces:", "").replace(".jpg", "")
                talents[shot.person] = review.add_talent(store, name).id
            review.link_talent(store, [pair.id], talents[shot.person])
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(result))
    finally:
        store.close()


def build_referenced(db: Path, analyses: dp.Analyses) -> None:
    store = review.open_store(str(db), reviewer="art director")
    try:
        shoot = review.create_shoot(store, "SS27 with references")
        talents: dict[str, int] = {}
        for i, r in enumerate(dp.referenced_new_shots()):
            result = analyses.result(r.shot, "jaw", -4.0, r.references)
            if result is None or result["analysis"]["mode"] != "new_shot":
                continue
            real, twin = dp.pair_files(db.parent / "files", i, r.shot.real, analyses.twin_path(r.shot, "jaw", -4.0))
            pair = review.make_pair(store, shoot.id, real, twin, f"look{i:03d}")
            if r.shot.person not in talents:
                name = r.shot.person.replace("faces:", "").replace(".jpg", "")
                talents[r.shot.person] = review.add_talent(store, name).id
            review.link_talent(store, [pair.id], talents[r.shot.person])
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(result))
            review.set_generator(store, pair.id, "Vendor A" if r.shot.person == "ramiz" else "Vendor B")
    finally:
        store.close()


def app_shot(db: Path, out: Path, grouping: int = 3) -> None:
    from twinproof.gui.app import application
    from twinproof.gui.mainwindow import MainWindow
    from twinproof.gui.shootaudit import ShootAuditDialog, show_shoot_audit

    app = application()
    win = MainWindow()
    win.settings.analyse_on_open = False
    win.resize(1366, 768)
    win.show()
    win.open_database(db)
    dialog = show_shoot_audit(win)
    assert isinstance(dialog, ShootAuditDialog)
    dialog.grouping.setCurrentIndex(grouping)  # 3: across skin-tone groups, 2: by generator
    dialog.resize(1366, 740)
    dialog.move(0, 0)
    while "analysed pair" not in dialog.status.text() or not dialog.again.isEnabled():
        app.processEvents()
        time.sleep(0.05)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    dialog.grab().save(str(out))
    dialog.close()
    win.shutdown()
    win.close()


def sheet_shot(db: Path, out: Path) -> None:
    from twinproof.export.run import ExportRequest, run_export
    from twinproof.export.sheet import SheetOptions

    store = review.open_store(str(db), reviewer="art director")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "sheet.pdf"
            run_export(store, ExportRequest(pdf=pdf, pairs=["look000"], sheet=SheetOptions(maps=False)))
            subprocess.run(["pdftoppm", "-f", "2", "-l", "2", "-r", "110", "-png", "-singlefile", str(pdf),
                            str(out.with_suffix(""))], check=True)
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "twinproof-drift")
    ap.add_argument("--references", action="store_true", help="the reference-portrait shoot, by generator")
    args = ap.parse_args()
    if args.references:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "ss27.twinproof"
            build_referenced(db, dp.Analyses(args.cache))
            sheet_shot(db, args.out / "24-shoot-audit-references-sheet.png")
            app_shot(db, args.out / "23-shoot-audit-references.png", grouping=2)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ss27.twinproof"
        build(db, dp.Analyses(args.cache))
        sheet_shot(db, args.out / "20-shoot-audit-sheet.png")
        app_shot(db, args.out / "19-shoot-audit.png")


if __name__ == "__main__":
    main()
