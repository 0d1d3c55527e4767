"""The start screen: import a shoot, open one, the sample, recent shoots; folders can be dropped."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


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
        drop = QLabel("Drop one folder (look01_real / look01_twin) or two folders (real, twin)", self)
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
        recent_title = QLabel("Recent shoots", self)
        recent_title.setObjectName("SectionTitle")
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(lambda item: self.recent_chosen.emit(item.data(256)))
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

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            if "://" in p:  # a team database on a server
                item = QListWidgetItem(f"team database / {p.rsplit('/', 1)[-1]}\n{p}")
                item.setData(256, p)
                self.recent.addItem(item)
                continue
            item = QListWidgetItem(f"{Path(p).parent.name} / {Path(p).name}\n{p}")
            item.setData(256, p)
            if not Path(p).exists():
                item.setText(item.text() + "  (missing)")
            self.recent.addItem(item)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.folders_dropped.emit(paths)
            event.acceptProposedAction()
