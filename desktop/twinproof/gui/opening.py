"""Opening work: the import dialog, dropped folders, the sample, existing databases.

A mixin of ``MainWindow``; importing runs on the save thread (``shootops``) and the window
opens the shoot (``open_session``) when the job reports back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QInputDialog

from twinproof import review
from twinproof.gui import dialogs, importer, shootops
from twinproof.gui.session import ShootSession

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from twinproof.gui.reviewer import ReviewerButton
    from twinproof.gui.settings import Settings
    from twinproof.gui.workers import Pools

    Base = QMainWindow
else:
    Base = object


class OpeningMixin(Base):
    """Needs the window's pools and ``open_session`` (declared for the type checker)."""

    if TYPE_CHECKING:
        pools: Pools
        settings: Settings
        reviewer_button: ReviewerButton

        def open_session(self, session: ShootSession) -> None: ...
        def import_progress(self, fraction: float, stage: str) -> None: ...

    # -- opening shoots --------------------------------------------------------------------
    def import_dialog(self, real: Path | None = None, twin: Path | None = None) -> None:
        plan = importer.ask_import(self, real, twin)
        if plan is not None:
            self.import_folders(plan)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Folders or a .shoot file can be dropped anywhere on the window, not only on the
        start screen (a reviewer drags the next shoot in while one is open)."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self._dropped(paths)

    def _dropped(self, paths: list[Path]) -> None:
        """Dropped on the window or the start screen: a shoot file opens (the app's ``.shoot``
        and the CLI's ``.twinproof`` alike), folders go to the import."""
        if len(paths) == 1 and paths[0].suffix.lower() in importer.SHOOT_SUFFIXES and paths[0].is_file():
            self.open_database(paths[0])
            return
        guess = importer.guess_folders(paths)
        if guess is not None:
            self.import_dialog(*guess)
        else:
            self.statusBar().showMessage(
                "Drop one folder of pairs, two folders (real, twin) or a shoot file (.shoot, .twinproof)", 8000)

    def import_folders(self, plan: importer.ImportPlan) -> None:
        """Import on the save thread; ``session_opened`` fires when the shoot is on screen."""
        self.statusBar().showMessage(f"Importing {plan.real_dir}…")
        plan.reviewer = plan.reviewer or self.settings.reviewer or None
        job = shootops.import_job(plan)
        job.signals.progress.connect(self.import_progress)
        job.signals.done.connect(self._imported)
        job.signals.failed.connect(lambda exc: dialogs.show_error(self, "Import failed", str(exc)))
        job.signals.finished.connect(lambda: self.import_progress(-1.0, ""))
        self.import_progress(0.0, "starting")
        self.pools.save(job)

    def _imported(self, opened: shootops.Opened) -> None:
        if self.pools.closing:  # the window closed while importing
            opened.store.close()
            return
        self.statusBar().clearMessage()
        notes = opened.unmatched + opened.problems
        self.open_session(ShootSession(opened.store, opened.shoot, opened.path))
        if notes:
            self.statusBar().showMessage(f"{len(notes)} file(s) not paired: " + "; ".join(notes[:3]), 15000)

    def open_sample(self) -> None:
        self.import_folders(shootops.sample_plan())

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a shoot", "",
                                              f"TwinProof shoot ({importer.SHOOT_FILTER});;All files (*)")
        if path:
            self.open_database(Path(path))

    # -- who is reviewing (``reviewer.ReviewerButton``, in the status bar) --------------------
    def set_reviewer(self) -> None:
        self.reviewer_button.ask()

    def ensure_reviewer(self) -> bool:
        return self.reviewer_button.ensure()

    def show_reviewer(self) -> None:
        self.reviewer_button.show_current()

    def open_team_database(self) -> None:
        """A shoot on the team's PostgreSQL server, by URL (the same one ``--db`` takes)."""
        url, ok = QInputDialog.getText(
            self, "Open a team database",
            "Database URL (postgresql+psycopg://user@host/database;\n"
            "a password is best kept in PGPASSWORD or ~/.pgpass):")
        if ok and url.strip():
            self.open_database(shootops.as_location(url))

    def open_database(self, path: Path | str) -> None:
        where = shootops.shown_location(path)
        connect: Path | str = path
        if isinstance(path, str):  # a team server: its password from PGPASSWORD, ~/.pgpass, or asked
            from twinproof.review.db import connectable_url

            url = connectable_url(path, lambda prompt: dialogs.ask_password(self, prompt))
            if url is None:
                return
            connect = url
        try:
            try:
                store, shoots = shootops.open_database(connect, self.settings.reviewer or None)
            except review.ReviewError as exc:
                # the password found (or typed) was refused: ask once more, for this
                # connection only, and keep it nowhere
                if not (isinstance(path, str) and shootops.needs_password(exc)):
                    raise
                password = dialogs.ask_password(self, f"The server refused the password: {where}")
                if password is None:
                    return
                connect = shootops.with_password(path, password)
                store, shoots = shootops.open_database(connect, self.settings.reviewer or None)
        except (review.ReviewError, OSError) as exc:
            dialogs.show_error(self, "Cannot open the shoot", f"{where}: {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - a malformed URL: SQLAlchemy's ArgumentError & co
            dialogs.show_error(self, "Cannot open the shoot", f"{where}: {type(exc).__name__}: {exc}")
            return
        if not shoots:
            store.close()
            dialogs.show_error(self, "Empty database", f"{where} holds no shoot yet; import one.")
            return
        shoot = shoots[0]
        if len(shoots) > 1:
            names = [s.name for s in shoots]
            name, ok = QInputDialog.getItem(self, "Which shoot?", "Shoot:", names, 0, False)
            if not ok:
                store.close()
                return
            shoot = shoots[names.index(name)]
        # the recent list keeps the URL as given (no password), not the one connected with
        self.open_session(ShootSession(store, shoot, shootops.without_password(path)
                                       if isinstance(path, str) else path))
