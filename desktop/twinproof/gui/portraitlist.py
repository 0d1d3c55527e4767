"""A talent's reference portraits in the app: listed with their files' state, removed with confirmation.

``twinproof talent reference list|remove`` could do this and the app could not: a portrait of
someone else, or one the agency re-touched, stayed among her references with no way to see or
take it out where the talent is edited. Here, from the Consent panel's "Portraits…":

- each active portrait with its file name, when and by whom it was added, its face's size and
  turn, and a file problem if any (missing, changed since it was added, unreadable: such a file is
  left out of her own range). The files are hashed and shown small on a worker (a portrait is a
  few MB); what was seen is recorded (audited) as ``check_files`` does, so the analyses that
  measured a changed file go out of date now rather than at the next check;
- remove (kept on record, audited, as the CLI does) after a confirmation that names the pairs whose
  analysis it sends back to be analysed. Which ones is the review layer's staleness rule asked
  about the portraits as they would be (``review.stale_if_removed``), not a second rule here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twinproof import review
from twinproof.gui.portraits import read_portrait
from twinproof.gui.showfile import show_path
from twinproof.gui.theme import VERDICT_COLOURS
from twinproof.gui.workers import Job
from twinproof.review import ReferenceRecord, ReviewStore, TalentRecord

THUMB = QSize(48, 60)
#: A portrait file's problem in the reviewer's words (``review.reference_basis`` names them).
PROBLEM_WORDS = {"missing": "file missing", "edited": "file changed since it was added",
                 "unreadable": "file cannot be read"}
#: What a problem means for her (the last words of the portrait's line).
LEFT_OUT = "left out of the talent's own range"


@dataclass(frozen=True)
class Seen:
    """What the worker saw of the portrait files: each active reference's problem now (None: as
    enrolled), and a small picture of each that could be read."""

    observed: tuple[tuple[int, str | None], ...] = ()
    pictures: dict[int, QImage] = field(default_factory=dict)


def look(store: ReviewStore, talent_id: int, job: Job | None = None) -> Seen:
    """Worker thread: hash her portrait files (``review.read_basis``) and read each one small."""
    basis = review.read_basis(store, talent_id).basis
    pictures: dict[int, QImage] = {}
    for ref in review.list_references(store, talent_id):
        if job is not None and job.cancel.is_set():
            break
        image = read_portrait(ref.path, THUMB)
        if image is not None:
            pictures[ref.id] = image
    return Seen(basis.observed, pictures)


def describe(ref: ReferenceRecord, problem: str | None, checked: bool) -> str:
    """A portrait's lines: file name; added when, by whom, the face read; its file's state."""
    added = ref.created_at.astimezone()
    face = ref.quality.get("face_size_px")
    turn = ref.quality.get("yaw_deg")
    read = f" · face {face:.0f} px" if isinstance(face, int | float) else ""
    read += f", turned {turn:+.0f}°" if isinstance(turn, int | float) else ""
    lines = [Path(ref.path).name, f"added {added:%d %b %Y %H:%M} by {ref.created_by}{read}"]
    if problem is not None:
        lines.append(f"⚠ {PROBLEM_WORDS.get(problem, problem)}: {LEFT_OUT}")
    elif not checked:
        lines.append("checking the file…")
    return "\n".join(lines)


def confirm_remove(parent: QWidget | None, name: str, ref: ReferenceRecord, stale: list[str]) -> bool:
    """Remove this portrait? Names what it sends back to be analysed (tests replace this function)."""
    shown = ", ".join(stale[:6]) + (f" and {len(stale) - 6} more" if len(stale) > 6 else "")
    effect = (f"{len(stale)} pair(s) were measured against it: {shown}. Their analyses go out of date: each "
              "is measured again when it is on screen (or Pair → Analyse the shoot, Ctrl+R), and cannot be "
              "approved until then." if stale else "No current analysis was measured against it.")
    box = QMessageBox(QMessageBox.Icon.Question, "Remove the reference portrait?",
                      f"Remove {Path(ref.path).name} from {name}'s reference portraits?\n\n"
                      "It stops counting toward the talent's likeness and own range. It stays on record (who "
                      f"removed it and when are in the audit trail); the file is not touched.\n\n{effect}",
                      QMessageBox.StandardButton.NoButton, parent)
    remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole))  # Enter does not remove
    box.exec()
    return box.clickedButton() is remove


def _blank() -> QIcon:
    """A portrait's place when its file cannot be shown: a dim frame of the picture's size."""
    pixmap = QPixmap(THUMB)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor(VERDICT_COLOURS[None]), 1, Qt.PenStyle.DashLine))
    painter.drawRect(pixmap.rect().adjusted(4, 1, -5, -2))
    painter.end()
    return QIcon(pixmap)


#: One audited change through the panel's workspace: (title if refused, change) -> done.
Write = Callable[[str, Callable[[], object]], bool]


class PortraitsDialog(QDialog):
    """Her active reference portraits; remove one. Writes go through ``write`` (the Consent
    panel's, which announces them to every view: pairs that went stale show it at once)."""

    def __init__(self, parent: QWidget | None, store: ReviewStore, person: TalentRecord,
                 run_job: Callable[[Job], object], write: Write) -> None:
        super().__init__(parent)
        self.setObjectName("PortraitsDialog")
        self.setWindowTitle(f"Reference portraits of {person.name}")
        self.store, self.person, self.write = store, person, write
        self.seen: Seen | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.listing = QListWidget(self)
        self.listing.setIconSize(THUMB)
        self.listing.setWordWrap(True)
        self.listing.setSpacing(2)
        self.listing.currentRowChanged.connect(lambda _row: self._selection())
        self.listing.itemDoubleClicked.connect(lambda _item: self.show_file())
        self.remove_button = QPushButton("Remove…", self)
        self.remove_button.setToolTip("Stop using this portrait (kept on record, audited)")
        self.remove_button.clicked.connect(self.remove)
        self.show_button = QPushButton("Show file", self)
        self.show_button.clicked.connect(self.show_file)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.listing, 1)
        layout.addWidget(buttons)
        self.resize(460, 420)
        self.refs: list[ReferenceRecord] = []
        self.blank = _blank()
        self.fill()
        self.job = Job(lambda job: look(store, person.id, job), f"portraits of {person.name}")
        self.job.signals.done.connect(self._seen)
        self.job.signals.failed.connect(lambda exc: self.summary.setText(f"{self.summary.text()}\n"
                                                                         f"The files could not be checked: {exc}"))
        self.finished.connect(lambda _result: self.job.cancel.set())
        run_job(self.job)

    def fill(self) -> None:
        """List her active portraits (a quick query), with what the worker saw when it has."""
        keep = self.selected()
        self.refs = review.list_references(self.store, self.person.id)
        seen = dict(self.seen.observed) if self.seen is not None else {}
        pictures = self.seen.pictures if self.seen is not None else {}
        self.listing.clear()
        problems = 0
        for ref in self.refs:
            problem = seen.get(ref.id, ref.file_problem) if self.seen is not None else ref.file_problem
            problems += problem is not None
            item = QListWidgetItem(describe(ref, problem, self.seen is not None))
            item.setData(Qt.ItemDataRole.UserRole, ref)
            item.setToolTip(f"{ref.path}\nsha256 {ref.sha256}\nread by {ref.model}")
            # a portrait not read has a blank of the same size, so every row's text lines up
            item.setIcon(QIcon(QPixmap.fromImage(pictures[ref.id])) if ref.id in pictures else self.blank)
            if problem is not None:
                item.setForeground(QBrush(QColor(VERDICT_COLOURS["review"])))
            self.listing.addItem(item)
            if keep is not None and ref.id == keep.id:
                self.listing.setCurrentItem(item)
        count = len(self.refs)
        words = f"{count} reference portrait{'s' if count != 1 else ''} in use"
        words += f"; {problems} with a file problem, left out of the talent's own range" if problems else ""
        self.summary.setText(f"{words}. Removing one keeps it on record; the analyses measured against it "
                             "go out of date and are analysed again." if count else
                             f"{self.person.name} has no reference portraits in use.")
        self._selection()

    def selected(self) -> ReferenceRecord | None:
        item = self.listing.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _selection(self) -> None:
        ref = self.selected()
        self.remove_button.setEnabled(ref is not None)
        self.show_button.setEnabled(ref is not None)

    def _seen(self, seen: Seen) -> None:
        """The worker's look: keep what changed on record (audited), then show it."""
        if self.job.cancel.is_set():  # closed meanwhile
            return
        self.seen = seen
        recorded = {r.id: r.file_problem for r in self.refs}
        if any(recorded.get(i, problem) != problem for i, problem in seen.observed):
            store = self.store
            self.write("Portrait files not recorded", lambda: review.record_reference_files(store, seen.observed))
        self.fill()

    def remove(self) -> None:
        ref = self.selected()
        if ref is None:
            return
        try:
            stale = review.stale_if_removed(self.store, ref.id)
        except review.ReviewError as exc:
            stale = []
            self.summary.setText(str(exc))
        if not confirm_remove(self, self.person.name, ref, stale):
            return
        store = self.store
        if self.write("Portrait not removed", lambda: review.remove_reference(store, ref.id)):
            self.fill()

    def show_file(self) -> None:
        ref = self.selected()
        if ref is not None:
            show_path(self, Path(ref.path), "portrait")
