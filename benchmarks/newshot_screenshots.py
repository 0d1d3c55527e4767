"""The new-shot screenshots, on real photographs, from a real window (docs/gui.md 16-18 and 21).

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python benchmarks/newshot_screenshots.py docs/screenshots
    xvfb-run -a -s "-screen 0 1280x720x24" env QT_QPA_PLATFORM=xcb \\
        .venv/bin/python benchmarks/newshot_screenshots.py docs/screenshots

The shoot (a throwaway database): one man from a distance against his arm's-length selfie
(``../shared/faces-more/ramiz/s1`` 1 and 7: the uncertainty, what cannot be judged, what the pair
cannot reveal), and another man's photograph 2 against his photograph 1 with the jaw slimmed 10 %
(the fidelity tests' own warp), linked to a talent whose reference portraits are his photographs
3, 6 and 7 (``ramiz/s2``): her own range beside the twin's value. The app analyses both pairs
itself, the portraits passed as a linked talent's are. On a 1366 × 768 screen it writes 16, 17, 18,
21 and 22 (the Consent panel's enrolment line); on another, ``laptop-WxH-5-her-own-range.png`` and
``laptop-WxH-6-enrolment.png``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FACES_MORE = ROOT.parent / "shared" / "faces-more" / "ramiz"

DISTANCE, RANGE = "ramiz-distance-vs-selfie", "elvis-jaw-slimmed"


def build(db: Path, files: Path) -> None:
    import numpy as np
    from PIL import Image
    from tests.core.fidelity import cases
    from tests.core.photos import PHOTOS

    from twinproof import review
    from twinproof.core.imageio import load_image
    from twinproof.gui import portraits

    files.mkdir(parents=True, exist_ok=True)
    store = review.open_store(str(db), reviewer="A. Director")
    try:
        shoot = review.create_shoot(store, "SS27 new shots")
        real, twin = files / "ramiz-1.jpg", files / "ramiz-7.jpg"
        shutil.copy(FACES_MORE / "s1" / "1.jpg", real)
        shutil.copy(FACES_MORE / "s1" / "7.jpg", twin)
        review.make_pair(store, shoot.id, real, twin, DISTANCE)
        base = load_image(FACES_MORE / "s2" / "1.jpg").pixels
        PHOTOS["screens:s2/1"] = lambda: base
        slim = np.ascontiguousarray(cases.jaw("screens:s2/1", base.copy(), -10))
        real, twin = files / "elvis-2.jpg", files / "elvis-1-jaw-10.jpg"
        shutil.copy(FACES_MORE / "s2" / "2.jpg", real)
        Image.fromarray(slim).save(twin, quality=95)
        pair = review.make_pair(store, shoot.id, real, twin, RANGE)
        talent = review.add_talent(store, "Elvis", "faces-more s2")
        for n in (3, 6, 7):
            path = files / f"elvis-portrait-{n}.jpg"
            shutil.copy(FACES_MORE / "s2" / f"{n}.jpg", path)
            found = portraits.read(path)
            assert isinstance(found, portraits.Portrait), found
            review.add_reference(store, talent.id, found.path, found.sha256, found.descriptor, found.model,
                                 found.quality)
        review.link_talent(store, [pair.id], talent.id)
    finally:
        store.close()


def shoot(db: Path, out: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    from twinproof.gui.app import application
    from twinproof.gui.mainwindow import MainWindow
    from twinproof.gui.screenshots import grab, save, settle

    app = application()
    w = MainWindow()
    w.settings.reviewer = "A. Director"
    screen = app.primaryScreen().size()
    w.resize(screen.width(), screen.height())
    w.move(0, 0)
    w.show()
    settle(500)
    w.open_database(db)
    s = w.session
    assert s is not None
    names = {s.pairs[i].record.name: i for i in s.order}
    for _ in range(3000):  # both analyses, up to five minutes on a busy machine
        if all(s.pairs[i].analysed or s.pairs[i].error for i in s.order):
            break
        settle(100)
    errors = {s.pairs[i].record.name: s.pairs[i].error for i in s.order if s.pairs[i].error}
    assert not errors, errors

    def show(name: str, row: str, hint: QAbstractItemView.ScrollHint) -> None:
        s.set_current(names[name])
        w.dock_metrics.raise_()
        settle(1500)
        w.compare.fit()
        tree = w.metrics.tree
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if " ".join(item.text(0).split()).startswith(row):
                tree.scrollToItem(item, hint)
                break
        else:
            raise SystemExit(f"no row {row!r} in the evidence panel of {name}")
        settle(700)

    top = QAbstractItemView.ScrollHint.PositionAtTop
    if (screen.width(), screen.height()) == (1366, 768):
        scenes = [("16-new-shot-uncertainty", DISTANCE, "Identity", top),
                  ("17-new-shot-cannot-judge", DISTANCE, "Skin", top),
                  ("18-new-shot-cannot-reveal", DISTANCE, "How the pair was compared", top),
                  ("21-her-own-range", RANGE, "Jaw width (the talent's own range)", top)]
    else:
        scenes = [(f"laptop-{screen.width()}x{screen.height()}-5-her-own-range", RANGE,
                   "Jaw width (the talent's own range)", top)]
    for file, name, row, hint in scenes:
        show(name, row, hint)
        print(file, save(grab(w), out / f"{file}.png"))
    # enrolment: her portraits against what her own range needs, in the Consent panel
    s.set_current(names[RANGE])
    w.dock_talent.raise_()
    w.talent.select("Elvis")
    settle(900)
    enrolment = "22-enrolment" if (screen.width(), screen.height()) == (1366, 768) else \
        f"laptop-{screen.width()}x{screen.height()}-6-enrolment"
    print(enrolment, save(grab(w), out / f"{enrolment}.png"))
    w.shutdown()
    w.close()
    QApplication.processEvents()


def main() -> int:
    import os

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots").resolve()
    if not (FACES_MORE / "s2" / "1.jpg").is_file():
        print(f"{FACES_MORE} is absent: these screenshots need ../shared/faces-more")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="twinproof-newshot-shots-") as home:
        for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CACHE_HOME", "cache")):  # a throwaway profile
            os.environ[var] = str(Path(home, sub))
        db = Path(home) / "newshots.twinproof"
        build(db, Path(home) / "files")
        shoot(db, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
