"""The start screen: import a shoot, open one, the sample, recent shoots; folders can be dropped.

Each recent shoot shows its name, its photographs' folder, when it was last opened, how
many pairs it has and a thumbnail; a single click (or Enter) opens it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from twinproof.gui.recent import THUMB, RecentShoot, load_thumbnail

LOCATION = Qt.ItemDataRole.UserRole


class RecentList(QListWidget):
    """Opens an entry on a single click or Enter (a double-click was needed, with no hint)."""

    chosen = Signal(str)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        item = self.itemAt(event.position().toPoint())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.chosen.emit(str(item.data(LOCATION)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.chosen.emit(str(self.currentItem().data(LOCATION)))
            return
        super().keyPressEvent(event)


class StartScreen(QWidget):
    import_requested = Signal()
    open_requested = Signal()
    sample_requested = Signal()
    recent_chosen = Signal(str)
    folders_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        title = QLabel("TwinProof", self)
        title.setObjectName("StartTitle")
        hint = QLabel("Review digital twins against the real shoot. Import the folder of real "
                      "photographs and the folder of twins, or drop them here.", self)
        hint.setObjectName("StartHint")
        hint.setWordWrap(True)
        drop = QLabel("Drop one folder (look01_real / look01_twin), two folders (real, twin) or a shoot file", self)
        drop.setObjectName("DropZone")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        drop.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, signal in (("Import shoot…", self.import_requested), ("Open shoot…", self.open_requested),
                             ("Open the sample shoot", self.sample_requested)):
            button = QPushButton(text, self)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        recent_title = QLabel("Recent shoots — click one to open it", self)
        recent_title.setObjectName("SectionTitle")
        self.recent = RecentList(self)
        self.recent.setIconSize(QSize(THUMB, THUMB))
        self.recent.setSpacing(2)
        self.recent.chosen.connect(self.recent_chosen.emit)
        column = QVBoxLayout()
        column.setSpacing(12)
        column.addWidget(title)
        column.addWidget(hint)
        column.addLayout(buttons)
        column.addWidget(drop)
        column.addWidget(recent_title)
        column.addWidget(self.recent, 1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column, 3)
        outer.addStretch(1)
        outer.setContentsMargins(24, 40, 24, 24)

    def set_recent(self, paths: list[str], details: dict[str, dict[str, object]] | None = None) -> None:
        self.recent.clear()
        details = details or {}
        for p in paths:
            info = RecentShoot.from_dict(details.get(p)) or RecentShoot()
            team = "://" in p
            missing = not team and not Path(p).exists()
            name = info.name or (f"team database {p.rsplit('/', 1)[-1]}" if team else Path(p).stem)
            facts = [f"{info.pairs} pair(s)" if info.pairs else "", info.opened_words(),
                     "file missing" if missing else ""]
            where = info.folder or (p if team else str(Path(p).parent))
            item = QListWidgetItem(f"{name}\n{where}\n{' · '.join(f for f in facts if f)}")
            item.setData(LOCATION, p)
            item.setToolTip(f"{name}\nphotographs: {info.folder or 'unknown'}\nreview database: {p}")
            thumb = load_thumbnail(p)
            if thumb is not None:
                item.setIcon(QIcon(QPixmap.fromImage(thumb)))
            self.recent.addItem(item)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.folders_dropped.emit(paths)
            event.acceptProposedAction()
