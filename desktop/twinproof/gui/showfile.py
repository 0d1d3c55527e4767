"""Open a folder or file in the system's own application, and when there is none (no file
manager: a bare Linux desktop, a locked-down workstation) say where it is instead.

Why: "Show in folder" with no file manager did nothing and said nothing (issue 26). The path is
shown selectable and put on the clipboard, so the reviewer can paste it anywhere. The message is
non-blocking (``open()``, not ``exec()``): the export that led here has finished.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def show_path(parent: QWidget | None, path: Path, what: str = "folder") -> bool:
    """Open ``path`` with the system; True when it did. Otherwise a message gives the path
    (also copied to the clipboard) and False is returned."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(str(path))
    box = QMessageBox(QMessageBox.Icon.Information, f"Cannot open the {what}",
                      f"No application on this computer opens the {what}. It is here "
                      f"(the path is on the clipboard):\n\n{path}", QMessageBox.StandardButton.Close, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setObjectName("PathFallback")
    box.open()
    return False
