"""File → Export: comparison sheets (PDF), data (CSV/JSON), the audit trail and XMP sidecars.

A thin shell over :func:`twinproof.export.run_export`: a dialog says what to write and where,
the export runs on the single save thread (so it never races a decision being stored), a
progress dialog follows it, and Cancel sets the export's cancel flag — files already finished
stay (and are audited), nothing is left half-written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twinproof.export import ExportCancelled, ExportError, ExportRequest, SheetOptions
from twinproof.gui import dialogs
from twinproof.gui.settings import documents_dir
from twinproof.gui.showfile import show_path
from twinproof.gui.workers import Job

if TYPE_CHECKING:
    import numpy as np

    from twinproof.export import ExportResult
    from twinproof.export.records import PairExport
    from twinproof.gui.mainwindow import MainWindow
    from twinproof.gui.session import ShootSession

SCOPES = ("All pairs", "Decided pairs only", "This pair only")
EXPORT_FOLDER = "TwinProof export"


@dataclass(frozen=True)
class ExportChoice:
    """What the reviewer asked for, before it becomes an :class:`ExportRequest`."""

    folder: Path
    sheet: bool = True
    data: bool = True
    audit: bool = True
    xmp: bool = False
    scope: str = SCOPES[0]
    paper: str = "a4"
    landscape: bool = False

    def request(self, stem: str, shoot_id: int, current_pair: int | None) -> ExportRequest:
        pairs = [current_pair] if self.scope == SCOPES[2] and current_pair is not None else None
        return ExportRequest(
            pdf=self.folder / f"{stem}-sheets.pdf" if self.sheet else None,
            csv=self.folder / f"{stem}-pairs.csv" if self.data else None,
            json=self.folder / f"{stem}-pairs.json" if self.data else None,
            audit_csv=self.folder / f"{stem}-audit.csv" if self.audit else None,
            xmp=self.xmp,
            pairs=pairs,
            shoot_id=shoot_id,
            decided_only=self.scope == SCOPES[1],
            sheet=SheetOptions(paper=self.paper, landscape=self.landscape),
        )


class ExportDialog(QDialog):
    """Where and what to export; every exported page and file says which image is AI-made."""

    def __init__(self, choice: ExportChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.folder = QLineEdit(str(choice.folder))
        self.folder.setToolTip("Created if it does not exist yet")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.sheet = QCheckBox("Comparison sheets (PDF)")
        self.data = QCheckBox("Data: metrics, flags and decisions (CSV and JSON)")
        self.audit = QCheckBox("Audit trail (CSV)")
        self.xmp = QCheckBox("XMP sidecars next to the images (ratings, labels, AI disclosure)")
        for box, on in ((self.sheet, choice.sheet), (self.data, choice.data), (self.audit, choice.audit),
                        (self.xmp, choice.xmp)):
            box.setChecked(on)
        self.scope = QComboBox()
        self.scope.addItems(SCOPES)
        self.scope.setCurrentText(choice.scope)
        self.paper = QComboBox()
        self.paper.addItems(["A4", "Letter"])
        self.paper.setCurrentText("Letter" if choice.paper == "letter" else "A4")
        self.landscape = QCheckBox("Landscape")
        self.landscape.setChecked(choice.landscape)
        form = QFormLayout()
        form.addRow("Folder", row)
        form.addRow("Pairs", self.scope)
        form.addRow("Paper", self.paper)
        form.addRow("", self.landscape)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for box in (self.sheet, self.data, self.audit, self.xmp):
            layout.addWidget(box)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Export to folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def choice(self) -> ExportChoice:
        return ExportChoice(Path(self.folder.text()).expanduser(), self.sheet.isChecked(),
                            self.data.isChecked(), self.audit.isChecked(), self.xmp.isChecked(),
                            self.scope.currentText(), self.paper.currentText().lower(),
                            self.landscape.isChecked())


def ask_export(parent: QWidget, choice: ExportChoice) -> ExportChoice | None:
    """The dialog, filled with ``choice`` (tests replace this function)."""
    dialog = ExportDialog(choice, parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_show_folder(parent: QWidget, message: str) -> bool:
    """The end of an export: say what was written, offer to show the folder."""
    box = QMessageBox(QMessageBox.Icon.Information, "Exported", message, QMessageBox.StandardButton.Close, parent)
    show = box.addButton("Show in folder", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    return box.clickedButton() is show


def open_folder(folder: Path, parent: QWidget | None = None) -> bool:
    """The system's file manager on ``folder``; without one, a message with the path."""
    return show_path(parent, folder, "folder")


def default_folder(session: ShootSession) -> Path:
    """Where an export goes first: ``TwinProof export`` in the shoot's folder (the folder that
    holds its real and twin folders), or in Documents when that cannot be written or is the
    app's own sample; never the hidden app-data folder."""
    shoot = session.shoot
    folders = [Path(d) for d in (shoot.real_dir, shoot.twin_dir) if d]
    if folders:
        home = Path(os.path.commonpath([str(f) for f in folders]))
        shared = home in (Path(home.anchor), Path.home())  # unrelated folders: no shoot folder
        if not shared and not _is_sample(home) and home.is_dir() and os.access(home, os.W_OK):
            return home / EXPORT_FOLDER
    return documents_dir() / "TwinProof" / f"{_stem(shoot.name)} export"


def _is_sample(folder: Path) -> bool:
    try:
        from twinproof.paths import resource_path

        return folder.resolve() == resource_path("sample").resolve()
    except Exception:  # noqa: BLE001 - no resources at all: not the sample
        return False


def prepare_folder(folder: Path) -> str | None:
    """Create the export folder if it is missing; a one-line reason when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"The folder {folder} cannot be created: {exc.strerror or exc}."
    if not os.access(folder, os.W_OK):
        return f"The folder {folder} cannot be written to."
    return None


def export_shoot(window: MainWindow, choice: ExportChoice | None = None) -> Job | None:
    """Ask what to export (with the last choices), then run it on the save thread with
    progress and Cancel. A problem the reviewer can fix reopens the dialog with their choices."""
    session = window.session
    if session is None:
        return None
    last = choice or getattr(window, "last_export", None) or ExportChoice(default_folder(session))
    answer = ask_export(window, last)
    if answer is None:
        return None
    window.last_export = answer
    problem = prepare_folder(answer.folder)
    request = None
    if problem is None:
        try:
            request = answer.request(_stem(session.shoot.name), session.shoot.id, session.current_id)
        except ValueError as exc:
            problem = str(exc)
    if problem is not None or request is None:
        dialogs.show_error(window, "Nothing exported yet", f"{problem}\nYour choices are kept: change the folder.")
        return export_shoot(window, answer)
    store = session.store
    job = Job(lambda j: _run(store, request, j), "save export")
    progress = QProgressDialog("Exporting…", "Cancel", 0, 1000, window)
    progress.setWindowTitle("Export")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.canceled.connect(job.cancel.set)
    def advance(fraction: float, message: str) -> None:
        progress.setValue(int(fraction * 1000))
        progress.setLabelText(message)

    job.signals.progress.connect(advance)
    job.signals.done.connect(lambda result: _finished(window, progress, result, answer.folder))
    job.signals.failed.connect(lambda exc: _failed(window, progress, exc, answer))
    return window.pools.save(job)


def _run(store: object, request: ExportRequest, job: Job) -> ExportResult:
    from twinproof.export import run_export

    return run_export(store, request, known_maps=cached_maps, progress=job.report,  # type: ignore[arg-type]
                      cancel=job.cancel)


def cached_maps(item: PairExport) -> dict[str, np.ndarray] | None:
    """The heat maps the app computed for this pair's stored analysis (kept on disk by file
    hash), so the sheet does not analyse again what the reviewer already looked at (~5 s per
    24 MP pair); a pair never analysed in the app, or re-aligned since, falls back to that."""
    from twinproof.gui.analysing import load_cached_maps

    analysis = item.analysis
    if analysis is None or not analysis.real_sha256 or not analysis.twin_sha256:
        return None
    return load_cached_maps(analysis.real_sha256, analysis.twin_sha256, analysis.result)


def _stem(name: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name).strip("-")
    return safe or "shoot"


def _finished(window: MainWindow, progress: QProgressDialog, result: ExportResult, folder: Path) -> None:
    progress.reset()
    parts = [f"{len(result.pairs)} pair(s)"]
    if result.pages:
        parts.append(f"{result.pages} page(s)")
    if result.sidecars:
        parts.append(f"{len(result.sidecars)} sidecar(s)")
    message = "Exported " + ", ".join(parts) + f" to {folder}"
    window.statusBar().showMessage(message, 10_000)
    if result.problems:
        dialogs.show_error(window, "Export finished with problems", "\n".join(result.problems[:20]))
    if ask_show_folder(window, message):
        open_folder(folder, window)


def _failed(window: MainWindow, progress: QProgressDialog, exc: BaseException, choice: ExportChoice) -> None:
    progress.reset()
    if isinstance(exc, ExportCancelled):
        window.statusBar().showMessage("Export cancelled; files already finished were kept", 10_000)
        return
    dialogs.show_error(window, "Nothing exported", f"{exc}\nYour choices are kept: try again.")
    if isinstance(exc, ExportError):  # something the reviewer can change in the dialog
        export_shoot(window, choice)
