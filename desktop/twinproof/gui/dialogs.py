"""Small modal questions: reasons for a decision, an override justification, an error.

Each is a module-level function returning plain values, so the flows that use them stay
testable: tests replace the function and never see a blocking dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from twinproof.review import Reason
from twinproof.review.decisions import REASON_WORDS

Reasons = tuple[list[str], str | None, str | None]


class ReasonsDialog(QDialog):
    def __init__(self, action: str, pair_name: str, suggested: list[Reason],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{action}: {pair_name}")
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        intro = QLabel(f"Why {action.lower()}? Tick at least one reason; those matching the "
                       "analysis flags are ticked already.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.boxes: dict[Reason, QCheckBox] = {}
        for reason, words in REASON_WORDS.items():
            box = QCheckBox(words, self)
            box.setChecked(reason in suggested)
            box.toggled.connect(self._validate)
            layout.addWidget(box)
            self.boxes[reason] = box
        self.other = QLineEdit(self)
        self.other.setPlaceholderText("What else is wrong (needed for “Other”)")
        self.other.textChanged.connect(self._validate)
        layout.addWidget(self.other)
        self.comment = QPlainTextEdit(self)
        self.comment.setPlaceholderText("Note for the production team (optional)")
        self.comment.setFixedHeight(70)
        layout.addWidget(self.comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(440, self.sizeHint().height())
        self._validate()

    def reasons(self) -> list[str]:
        return [r.value for r, box in self.boxes.items() if box.isChecked()]

    def _validate(self) -> None:
        chosen = self.reasons()
        ok = bool(chosen) and (Reason.OTHER.value not in chosen or bool(self.other.text().strip()))
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if button is not None:
            button.setEnabled(ok)

    def result_values(self) -> Reasons:
        text = self.other.text().strip() or None
        comment = self.comment.toPlainText().strip() or None
        return self.reasons(), text, comment


def ask_reasons(parent: QWidget | None, action: str, pair_name: str,
                suggested: list[Reason]) -> Reasons | None:
    dialog = ReasonsDialog(action, pair_name, suggested, parent)
    return dialog.result_values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_override(parent: QWidget | None, pair_name: str, problems: str) -> str | None:
    text, ok = QInputDialog.getMultiLineText(
        parent, f"Approve {pair_name} against a failed analysis",
        f"The analysis failed this twin:\n{problems}\n\nWhy is it acceptable? "
        "Your justification is kept with the decision and in the audit trail.")
    return text.strip() if ok and text.strip() else None


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def ask_reviewer(parent: QWidget | None, current: str) -> str | None:
    name, ok = QInputDialog.getText(parent, "Reviewer", "Your name, as the audit trail records it:",
                                    text=current)
    return name.strip() if ok and name.strip() else None


def ask_first_reviewer(parent: QWidget | None, system_user: str) -> str | None:
    """Asked once per profile, before the first thing this reviewer records: the audit trail
    and the sheets name who decided, and the computer's login ("root") is nobody's name."""
    name, ok = QInputDialog.getText(
        parent, "Who is reviewing?",
        "Your name, as the audit trail and the comparison sheets will record every decision\n"
        f"(File → Reviewer name… changes it; the computer's user is {system_user!r}):")
    return name.strip() if ok and name.strip() else None


def ask_password(parent: QWidget | None, prompt: str) -> str | None:
    """A team server's password, typed for this connection only (kept nowhere)."""
    text, ok = QInputDialog.getText(
        parent, "Password", f"{prompt}\n(used for this connection only; to skip this "
        "question keep it in PGPASSWORD or ~/.pgpass):", QLineEdit.EchoMode.Password)
    return text if ok and text else None


def ask_comment(parent: QWidget | None, pair_name: str) -> str | None:
    """A comment on the pair itself (not on a mark); comments are kept, never edited."""
    text, ok = QInputDialog.getMultiLineText(parent, f"Comment on {pair_name}", "Your comment:")
    return text.strip() if ok and text.strip() else None
