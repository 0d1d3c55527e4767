"""The laptop screenshots of a review day (issue 26): the whole screen, not just the window, so
anything off screen or cut shows as missing.

    xvfb-run -a -s "-screen 0 1280x720x24" sh -c 'openbox & sleep 1; \\
        QT_QPA_PLATFORM=xcb python -m twinproof.gui.screenshot_laptop docs/screenshots'

Run once per screen size (1280 × 720, 1366 × 768), with a window manager (openbox) so the
title bar is real. The window is never resized or moved: it opens as a fresh profile's first
launch does. Scenes: that first launch; the Consent panel right after two pairs were linked
from the T dialog; a new-shot pair; a pair with every kind of flag (the sample's manipulations
all at once, made with the fidelity tests' own edits when the source tree is at hand); her
reference portraits listed, one file missing (7: 5 and 6 are benchmarks/newshot_screenshots.py's).
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from twinproof import review
from twinproof.gui import screenshot_scenes as scenes
from twinproof.gui import shootops, talentlink
from twinproof.gui.actionids import ActionId
from twinproof.gui.app import application, when_first_pair_ready
from twinproof.gui.mainwindow import MainWindow
from twinproof.gui.screenshots import save, settle
from twinproof.paths import resource_path

#: The pair made with every kind of fault.
EVERY_FLAG = "look08"


def screen_image(w: MainWindow) -> QImage:
    screen = w.screen()
    return screen.grabWindow(0).toImage() if screen is not None else w.grab().toImage()


def goto(w: MainWindow, name: str) -> None:
    s = w.session
    assert s is not None
    pid = next(i for i in s.order if s.pairs[i].record.name == name)
    s.set_current(pid)
    for _ in range(900):  # its analysis and maps, up to 90 s on a busy machine
        state, shown = s.pairs[pid], w.compare.model.shown.images
        done = state.analysed and (state.heat or w.compare.model.shown.new_shot)
        if (state.error or done) and shown is not None and shown.pair_id == pid and not shown.preview:
            break
        settle(100)
    w.compare.fit()


def consent_after_link(w: MainWindow, folder: Path) -> None:
    """Grace Hopper recorded with her signed release, then looks 02 and 04 linked with T."""
    s = w.session
    assert s is not None
    release = folder / "grace-hopper-signed-release.pdf"
    release.write_bytes(b"%PDF-1.4\n% a signed release stands here in the screenshots\n%%EOF\n")
    today = date.today()
    s.workspace.write(lambda: review.set_campaign(s.store, s.shoot.id, "SS27"))
    s.reload_shoot()
    s.workspace.write(lambda: review.add_talent(s.store, "Grace Hopper", "U.S. Navy"), talent=True)
    s.workspace.write(lambda: review.add_consent(
        s.store, "Grace Hopper", contract_ref="GH-2026-02", starts_on=today - timedelta(5),
        expires_on=today + timedelta(180), campaigns=["SS27"], channels=["web", "print"], release=release),
        talent=True)
    w.dock_talent.raise_()
    w.talent.select("Grace Hopper")
    ask_link, gate = talentlink.ask_link, talentlink.ask_open_gate
    talentlink.ask_link = lambda *_a, **_k: talentlink.LinkChoice("Grace Hopper")
    talentlink.ask_open_gate = lambda *_a: True
    try:
        for look in ("look02", "look04"):
            goto(w, look)
            w.qactions[ActionId.PAIR_TALENT].trigger()
    finally:
        talentlink.ask_link, talentlink.ask_open_gate = ask_link, gate


def add_every_flag(w: MainWindow, folder: Path) -> bool:
    """Grace Hopper's photograph with every edit of the sample at once: eyes and lips, skin
    lightened and airbrushed, the garment recoloured, the figure slimmed, a warm cast, a crop
    and grain: 8 of the 9 kinds of flag (identity needs another person's face)."""
    root = Path(__file__).resolve().parents[3]
    if not (root / "tests" / "core" / "fidelity" / "cases.py").is_file():
        print("every-flag scene skipped: the fidelity tests' edits (tests/) are not here")
        return False
    sys.path.insert(0, str(root))
    import numpy as np
    from PIL import Image
    # the test suite's edits (a dev tool's import, kept out of the package's type checking)
    cases = importlib.import_module("tests.core.fidelity.cases")

    s = w.session
    assert s is not None
    source = resource_path("sample", "look02_real.jpg")
    g = np.asarray(Image.open(source).convert("RGB"))
    twin = cases.eyes("hopper", cases.lips("hopper", g, 10), 14)
    twin = cases.recolour("hopper", cases.smooth("hopper", cases.lighten("hopper", twin, 7), 2.5), 40)
    twin = cases.cast("hopper", cases.slim("hopper", twin, 9), 0)
    # cropped to 74 % of the width (framing: alignment) and grainy below the face (structure)
    twin = np.ascontiguousarray(twin[:, : int(twin.shape[1] * 0.74)])
    y0 = int(twin.shape[0] * 0.62)
    grain = np.random.default_rng(1).normal(0, 45, twin[y0:].shape)
    twin[y0:] = np.clip(twin[y0:].astype(np.float32) + grain, 0, 255).astype(np.uint8)
    real_path, twin_path = folder / f"{EVERY_FLAG}_real.jpg", folder / f"{EVERY_FLAG}_twin.jpg"
    real_path.write_bytes(source.read_bytes())
    Image.fromarray(np.ascontiguousarray(twin)).save(twin_path, quality=92)
    s.workspace.write(lambda: review.make_pair(s.store, s.shoot.id, real_path, twin_path, EVERY_FLAG))
    s.reload()
    shootops.load_thumbnails(s, w.pools)
    return True


def her_portraits(w: MainWindow, folder: Path) -> None:
    """Grace Hopper's reference portraits (real photographs, read for their faces as the app
    does), one since lost from its folder, listed in the Consent panel's Portraits… dialog."""
    from PIL import Image

    from twinproof.gui import portraits

    s = w.session
    assert s is not None
    source = Image.open(resource_path("sample", "look02_real.jpg")).convert("RGB")
    width, height = source.size
    views = {"grace-hopper-navy-1984.jpg": source,
             "grace-hopper-close.jpg": source.crop((width // 10, 0, width - width // 10, height * 9 // 10)),
             "grace-hopper-archive.jpg": source.crop((0, height // 20, width, height))}
    for name, picture in views.items():
        path = folder / name
        picture.save(path, quality=90)
        found = portraits.read(path)
        if isinstance(found, portraits.Portrait):
            s.workspace.write(partial(review.add_reference, s.store, "Grace Hopper", found.path, found.sha256,
                                      found.descriptor, found.model, found.quality), talent=True)
    (folder / "grace-hopper-archive.jpg").unlink()  # the agency moved it
    w.dock_talent.raise_()
    w.talent.select("Grace Hopper")
    w.talent.manage_portraits()
    dialog = w.talent.portraits_dialog
    for _ in range(300):
        if dialog is None or dialog.seen is not None:
            break
        settle(100)


def scenes_for(w: MainWindow, folder: Path) -> list[tuple[str, Callable[[], None]]]:
    def consent() -> None:
        consent_after_link(w, folder)
        w.dock_talent.raise_()
        w.talent.select("Grace Hopper")

    def new_shot() -> None:
        scenes.add_new_shot(w, folder)
        goto(w, scenes.NEW_SHOT)
        w.dock_metrics.raise_()

    def every_flag() -> None:
        if add_every_flag(w, folder):
            goto(w, EVERY_FLAG)
            w.dock_metrics.raise_()

    return [("2-consent-after-t-link", consent), ("3-new-shot", new_shot), ("4-every-flag", every_flag),
            ("7-talent-portraits", lambda: her_portraits(w, folder))]


def run(out: Path, home: Path) -> int:
    app = application()
    w = MainWindow()
    w.settings.reviewer = "A. Director"
    w.show()  # no resize, no move: as a fresh profile's first launch opens it
    settle(1500)
    size = app.primaryScreen().size()
    prefix = f"laptop-{size.width()}x{size.height()}"
    print(f"{prefix}-1-first-launch", save(screen_image(w), out / f"{prefix}-1-first-launch.png"),
          "window", w.frameGeometry().getRect())
    loop = QEventLoop()
    when_first_pair_ready(w, loop.quit)
    w.open_sample()
    loop.exec()
    for name, apply in scenes_for(w, home):
        apply()
        settle(900)
        print(f"{prefix}-{name}", save(screen_image(w), out / f"{prefix}-{name}.png"))
    w.close()
    QApplication.processEvents()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    out = Path(args[0] if args else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="twinproof-laptop-") as home:
        # a fresh profile: no settings, no saved geometry, no recent shoots
        for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CACHE_HOME", "cache")):
            os.environ[var] = str(Path(home, sub))
        return run(out, Path(home))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
