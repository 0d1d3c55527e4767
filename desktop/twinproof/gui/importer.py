"""Import a shoot: two folders (real, twin) or one folder with a naming convention.

The dialog previews what ``twinproof.review.pairing`` will match before anything is written,
lists the files it could not match (with its reason), and lets the reviewer pair two of them
by hand. The review database defaults to ``Documents/TwinProof/<shoot>.shoot``: never inside
the delivered folders (a delivery is read, not written into; a synced or read-only folder must
not collect a database), and "Choose…" puts it anywhere else, a team server's URL included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twinproof.gui.settings import documents_dir
from twinproof.review import PairingResult, pair_folders, pair_single_folder
from twinproof.review.pairing import COMPANION_EXTENSIONS

#: Review database files the app opens: its own ``.shoot``, and the ``.twinproof`` the README's
#: command-line examples make (``--db ss27.twinproof``); both are the same SQLite file.
SHOOT_SUFFIXES = (".shoot", ".twinproof")
SHOOT_FILTER = " ".join(f"*{suffix}" for suffix in SHOOT_SUFFIXES)


@dataclass
class ImportPlan:
    real_dir: Path
    twin_dir: Path | None
    database: Path | str  # a file, or a server URL (postgresql+psycopg://...)
    manual: list[tuple[Path, Path]] = field(default_factory=list)
    #: Who the audit trail names (None: the operating-system user).
    reviewer: str | None = None


def default_database(real_dir: Path, twin_dir: Path | None) -> Path:
    """``Documents/TwinProof/<shoot name>.shoot`` (the name import_shoot gives the shoot),
    numbered when a database of that name exists already."""
    two = twin_dir is not None and twin_dir.resolve() != real_dir.resolve()
    name = (real_dir.resolve().parent.name if two else real_dir.resolve().name) or "shoot"
    safe = "".join(c if c.isalnum() or c in " -_." else "-" for c in name).strip(" .") or "shoot"
    folder = documents_dir() / "TwinProof"
    candidate, n = folder / f"{safe}.shoot", 2
    while candidate.exists():
        candidate, n = folder / f"{safe} ({n}).shoot", n + 1
    return candidate


def preview(real_dir: Path, twin_dir: Path | None) -> PairingResult:
    if twin_dir is None or twin_dir.resolve() == real_dir.resolve():
        return pair_single_folder(real_dir)
    return pair_folders(real_dir, twin_dir)


def guess_folders(paths: list[Path]) -> tuple[Path, Path | None] | None:
    """Dropped folders → (real, twin): a folder named like "twin"/"ai"/"gen" is the twin one."""
    folders = [p for p in paths if p.is_dir()]
    if not folders:
        return None
    if len(folders) == 1:
        return folders[0], None
    a, b = folders[:2]
    twinish = ("twin", "ai", "gen", "synthetic")
    if any(k in a.name.casefold() for k in twinish):
        a, b = b, a
    return a, b


class ImportDialog(QDialog):
    def __init__(self, real: Path | None = None, twin: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a shoot")
        self.manual: list[tuple[Path, Path]] = []
        self.real = QLineEdit(str(real or ""), self)
        self.twin = QLineEdit(str(twin or ""), self)
        self.twin.setPlaceholderText("empty: one folder, pairs found by name (look01_real / look01_twin)")
        self.database = QLineEdit(self)
        form = QFormLayout()
        form.addRow("Real photographs", self._row(self.real, self._pick_real))
        form.addRow("Twins", self._row(self.twin, self._pick_twin))
        form.addRow("Review database", self._row(self.database, self._pick_db))
        self.database.setToolTip("Where the review record goes (decisions, marks, consent, audit trail): "
                                 "by default in Documents/TwinProof, never inside the delivered folders; "
                                 "a team server's URL (postgresql+psycopg://user@host/db) works too")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.unmatched = QListWidget(self)
        self.unmatched.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        pair_button = QPushButton("Pair the two selected files by hand", self)
        pair_button.clicked.connect(self._pair_by_hand)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Files not matched (select a real and a twin to pair them):", self))
        layout.addWidget(self.unmatched, 1)
        layout.addWidget(pair_button)
        layout.addWidget(buttons)
        self.real.editingFinished.connect(self.refresh)
        self.twin.editingFinished.connect(self.refresh)
        self.resize(640, 480)
        self.refresh()

    def _row(self, edit: QLineEdit, pick: object) -> QWidget:
        box = QWidget(self)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton("Choose…", box)
        button.clicked.connect(pick)
        layout.addWidget(button)
        return box

    def _pick_real(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder of real photographs", self.real.text())
        if path:
            self.real.setText(path)
            self.refresh()

    def _pick_twin(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder of twins", self.twin.text())
        if path:
            self.twin.setText(path)
            self.refresh()

    def _pick_db(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Review database", self.database.text(),
                                              f"TwinProof shoot ({SHOOT_FILTER})")
        if path:
            self.database.setText(path)

    def refresh(self) -> None:
        real = Path(self.real.text()) if self.real.text() else None
        twin = Path(self.twin.text()) if self.twin.text() else None
        self.unmatched.clear()
        if real is None or not real.is_dir():
            self.summary.setText("Choose the folder of real photographs (and of twins, if separate).")
            return
        if not self.database.text() or not self.database.isModified():
            self.database.setText(str(default_database(real, twin)))
        found = preview(real, twin)
        manual = f", {len(self.manual)} paired by hand" if self.manual else ""
        skipped = f", {len(found.skipped)} skipped" if found.skipped else ""
        left = [u for u in found.unmatched if not any(u.path in pair for pair in self.manual)]
        self.summary.setText(f"{len(found.pairs)} pair(s) found{manual}; "
                             f"{len(left)} file(s) not matched{skipped}.")
        for u in found.unmatched:
            if any(u.path == twin for _real, twin in self.manual):
                continue
            # a real photograph paired by hand stays, to be paired with its other twins too
            twins = [t.name for r, t in self.manual if r == u.path]
            said = f"paired by hand with {', '.join(twins)}; may have more twins" if twins else u.reason
            self.unmatched.addItem(f"{u.side}: {u.path.name} — {said}")
            self.unmatched.item(self.unmatched.count() - 1).setData(256, str(u.path))
        # said, with why; nothing to pair, so not selectable. Files kept beside the images (the
        # XMP sidecars of an export) one line per kind, as the CLI says them: one line each
        # buried what needs pairing under a screenful after a re-import
        companions: dict[str, int] = {}
        lines = []
        for u in found.skipped:
            suffix = u.path.suffix.lower()
            if suffix in COMPANION_EXTENSIONS:
                companions[suffix] = companions.get(suffix, 0) + 1
            else:
                lines.append(f"skipped {u.side}: {u.path.name} — {u.reason}")
        lines += [f"skipped {count} {suffix} file(s) kept beside the images (metadata, not images)"
                  for suffix, count in sorted(companions.items())]
        for line in lines:
            item = QListWidgetItem(line)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QBrush(QColor(150, 150, 150)))  # muted, as other secondary text
            self.unmatched.addItem(item)

    def _pair_by_hand(self) -> None:
        items = self.unmatched.selectedItems()
        if len(items) != 2:
            self.summary.setText("Select exactly two files: the real photograph first, then its twin.")
            return
        first, second = Path(items[0].data(256)), Path(items[1].data(256))
        twin_dir = Path(self.twin.text()) if self.twin.text() else None
        if twin_dir is not None:  # two folders: each file's folder says which side it is
            in_twin = [twin_dir.resolve() in p.resolve().parents for p in (first, second)]
            if in_twin[0] == in_twin[1]:
                side = "twin" if in_twin[0] else "real"
                self.summary.setText(f"Both files are in the {side} folder: pick one real "
                                     "photograph and one twin.")
                return
            pair = (second, first) if in_twin[0] else (first, second)
        else:  # one folder: ask, rather than trust the order of a selection
            names = [first.name, second.name]
            chosen, ok = QInputDialog.getItem(self, "Pair by hand", "Which one is the real photograph?",
                                              names, 0, False)
            if not ok:
                return
            pair = (first, second) if chosen == first.name else (second, first)
        self.manual.append(pair)
        self.refresh()

    def plan(self) -> ImportPlan | None:
        real = Path(self.real.text()) if self.real.text() else None
        if real is None or not real.is_dir():
            return None
        twin = Path(self.twin.text()) if self.twin.text() else None
        return ImportPlan(real, twin, as_location(self.database.text()), list(self.manual))


def as_location(text: str | Path) -> Path | str:
    """A database the user named: a server URL stays a string (``Path`` would fold its
    ``//`` and turn ``postgresql+psycopg://host/db`` into a local file name), else a path."""
    text = str(text).strip()
    return text if "://" in text else Path(text)


def ask_import(parent: QWidget | None, real: Path | None = None,
               twin: Path | None = None) -> ImportPlan | None:
    dialog = ImportDialog(real, twin, parent)
    return dialog.plan() if dialog.exec() == QDialog.DialogCode.Accepted else None
