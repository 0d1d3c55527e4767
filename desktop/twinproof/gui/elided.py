"""A label that shortens its text to the width it is given, with the whole text as its tooltip.

Why: a value cut off by the layout ("rejected · by root, 03 De") hides exactly what the
reviewer needs; an ellipsis says there is more, and hovering shows it all. The label asks for
little width, so it never forces the window wider than a laptop screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, *, min_chars: int = 12) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * min_chars)
        self.set_full_text(text)

    def set_full_text(self, text: str, tooltip: str = "") -> None:
        """Show ``text`` (shortened with … when it does not fit); ``tooltip`` adds detail."""
        self._full, self._tip = text, tooltip
        self._elide()

    def full_text(self) -> str:
        return self._full

    def is_elided(self) -> bool:
        return self.text() != self._full

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)
        tip = "\n".join(t for t in ((self._full if shown != self._full else ""), self._tip) if t)
        self.setToolTip(tip)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()


class WrappedLabel(QLabel):
    """The same interface as ``ElidedLabel``, but the text wraps onto more lines instead of
    being shortened: for what a reviewer must read without hovering (who decided, when, the
    stars). It asks for no more width than its longest word, so it never widens the window."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.set_full_text(text)

    def set_full_text(self, text: str, tooltip: str = "") -> None:
        self._full = text
        super().setText(text)
        self.setToolTip(tooltip)

    def full_text(self) -> str:
        return self._full
