"""Long work in the status bar: what is happening now (named from its first second), how far
the batch is, and one button: Cancel while it runs, Resume when pairs are left unanalysed.

Why the stage from the start: an import hashes every file and the first analysis loads the
models, and a bar reading "0 / 3 pairs" for twenty seconds looks like a hang. Why Resume:
after Cancel the pairs stayed "not analysed" with nothing offering to finish them.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from twinproof.gui.elided import ElidedLabel

#: The core's step names (its step functions) in words.
STAGES = {
    "loading": "reading the images", "aligning": "aligning the twin to the real photograph",
    "registration": "checking the alignment", "structure": "structure (SSIM)",
    "landmark": "face and body landmarks", "colour": "colour (ΔE00, cast)", "face": "face shape",
    "body": "body proportions", "skin_tone": "skin tone", "texture": "skin texture",
    "garment": "garment colour", "done": "storing the result",
}


def stage_words(step: str) -> str:
    return STAGES.get(step, step.replace("_", " "))


class ProgressStatus(QWidget):
    cancel_requested = Signal()
    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = ElidedLabel("", self, min_chars=16)
        self.bar = QProgressBar(self)
        self.bar.setFixedWidth(160)
        self.button = QPushButton("Cancel", self)
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.button)
        self.running = False
        self.left = 0
        self.setVisible(False)

    def _clicked(self) -> None:
        (self.cancel_requested if self.running else self.resume_requested).emit()

    def stage(self, text: str, done: float, total: int, unit: str = "pairs") -> None:
        """Work under way: ``text`` now, ``done`` (fractional) of ``total`` ``unit``."""
        self.running = True
        self.label.set_full_text(text)
        self.bar.setRange(0, max(1, total) * 100)
        self.bar.setValue(int(done * 100))
        self.bar.setFormat(f"{int(done)} / {total} {unit}" if total else "%p %")
        self.button.setText("Cancel")
        self.button.setToolTip("Stop; what is finished is kept (Ctrl+.)")
        self.button.setVisible(True)
        self.bar.setVisible(True)
        self.setVisible(True)

    def idle(self, left: int) -> None:
        """Nothing running; ``left`` pairs still want an analysis (0: nothing to show)."""
        self.running = False
        self.left = left
        if left <= 0:
            self.setVisible(False)
            return
        self.label.set_full_text(f"{left} pair(s) to analyse")  # not yet, or out of date (stale)
        self.bar.setVisible(False)
        self.button.setText(f"Resume ({left})")
        self.button.setToolTip("Analyse the pairs left, the one on screen first (Ctrl+R)")
        self.button.setVisible(True)
        self.setVisible(True)
