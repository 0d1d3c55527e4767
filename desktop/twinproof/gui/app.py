"""Start the app: ``twinproof`` (no sub-command), ``twinproof --sample``, ``twinproof-gui``.

``--screenshot OUT.png`` opens the sample (or the start screen), waits until the first pair
is on screen *and* analysed, renders the window to a PNG and quits: the docs' screenshots and
a smoke test of the whole stack (core, review, GUI) in one command.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from twinproof import __version__
from twinproof.gui import theme
from twinproof.gui.mainwindow import MainWindow
from twinproof.logs import route_all_logging
from twinproof.paths import DataNotFoundError, resource_path

#: Give up on a screenshot after this long (a broken install must not hang a docs build).
SCREENSHOT_TIMEOUT_MS = 120_000


def application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("TwinProof")
    app.setOrganizationName("TwinProof")
    app.setApplicationVersion(__version__)
    theme.apply(app)
    # a broken install still opens; the message comes when its data is needed
    with contextlib.suppress(DataNotFoundError):
        app.setWindowIcon(QIcon(str(resource_path("icons", "twinproof.svg"))))
    return app


def when_first_pair_ready(window: MainWindow, callback: Callable[[], None]) -> None:
    """Call ``callback()`` once the current pair is drawn and its analysis is shown."""
    def check() -> None:
        session = window.session
        state = session.current if session else None
        shown = window.compare.model.shown
        ready = state is not None and (state.analysed or state.error) and shown.images is not None
        if ready and (state is None or state.heat or state.error):
            timer.stop()
            QTimer.singleShot(300, callback)

    timer = QTimer(window)
    timer.setInterval(100)
    timer.timeout.connect(check)
    timer.start()


def save_screenshot(window: MainWindow, out: str | Path) -> bool:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(path))


def _qt_to_the_log(kind: QtMsgType, _context: object, message: str) -> None:
    """Qt's own warnings (a font, a platform plugin) go to TwinProof's log, not the terminal."""
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    logging.getLogger("twinproof.qt").log(level, "%s", message)


def run_app(sample: bool = False, screenshot: str | None = None, database: str | None = None) -> int:
    route_all_logging()  # every library's log records end in TwinProof's log (twinproof/logs.py)
    qInstallMessageHandler(_qt_to_the_log)
    app = application()
    window = MainWindow()
    window.show()
    status = {"code": 0}
    if screenshot:
        def shoot() -> None:
            if not save_screenshot(window, screenshot):
                status["code"] = 1
            window.close()

        if sample:
            when_first_pair_ready(window, shoot)
        else:
            QTimer.singleShot(500, shoot)

        def give_up() -> None:
            status["code"] = 1
            print("twinproof: the first pair was not ready in time for the screenshot", file=sys.stderr)
            window.close()

        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, give_up)
    if sample:
        QTimer.singleShot(0, window.open_sample)
    elif database:
        from twinproof.gui.shootops import as_location

        QTimer.singleShot(0, lambda: window.open_database(as_location(database)))
    code = app.exec()
    return status["code"] or code


def main(argv: Sequence[str] | None = None) -> int:
    """The ``twinproof-gui`` entry point (no console on Windows)."""
    parser = argparse.ArgumentParser(prog="twinproof-gui")
    parser.add_argument("--sample", action="store_true")
    parser.add_argument("--screenshot", metavar="OUT.png")
    parser.add_argument("--db", metavar="FILE_OR_URL", help="open this review database")
    args = parser.parse_args(argv)
    return run_app(sample=args.sample, screenshot=args.screenshot, database=args.db)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
