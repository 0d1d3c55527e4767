"""The keyboard shortcuts dialog, generated from the action registry (never out of date)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from twinproof.gui.actions import shortcut_rows


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows()
        table = QTableWidget(len(rows), 3, self)
        table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.setItem(i, j, QTableWidgetItem(text))
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setWordWrap(True)
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, table.columnWidth(0) + 12)
        table.setColumnWidth(1, 250)
        table.horizontalHeader().setStretchLastSection(True)
        table.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        self.table = table
        self.resize(560, 640)
