"""Help → Glossary: every technical term the panels and the sheet use, in a sentence.

The text is ``twinproof.core.plain_words.GLOSSARY``, the one the comparison sheet can print,
so the app and the sheet explain a term the same way. Non-modal: it stays open beside the
evidence while the reviewer reads a pair.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from twinproof.core.plain_words import GLOSSARY


def glossary_html() -> str:
    return "".join(f"<p><b>{escape(e.term)}</b> — {escape(e.words)}</p>" for e in GLOSSARY)


class GlossaryDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary: the words behind the measurements")
        self.text = QTextBrowser(self)
        self.text.setHtml(glossary_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)


def show_glossary(parent: QWidget) -> GlossaryDialog:
    dialog = GlossaryDialog(parent)
    dialog.show()
    return dialog
