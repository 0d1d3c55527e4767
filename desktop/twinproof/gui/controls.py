"""Small view controls that live in the toolbar: the difference view's gain.

Why a gain: ``|real − twin|`` of a good twin is a few levels out of 255, which is black on
any screen; multiplying it (× 1 – × 16, shown beside the slider and on the pane) makes a
small change visible without pretending to measure it (the metrics do that).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from twinproof.gui.viewmodel import CompareModel

GAIN_RANGE = (1, 16)


class DiffGain(QWidget):
    def __init__(self, model: CompareModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(*GAIN_RANGE)
        self.slider.setFixedWidth(110)
        self.slider.setToolTip("Difference gain: |real − twin| × gain (display only) — [ and ]")
        self.value = QLabel(self)
        self.value.setMinimumWidth(self.value.fontMetrics().horizontalAdvance("gain × 16") + 4)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.slider)
        layout.addWidget(self.value)
        self.slider.setValue(model.diff_gain)
        self.slider.valueChanged.connect(self.set_gain)
        self._show()

    def set_gain(self, gain: int) -> None:
        gain = max(GAIN_RANGE[0], min(GAIN_RANGE[1], int(gain)))
        self.model.diff_gain = gain
        if self.slider.value() != gain:
            self.slider.setValue(gain)
        self._show()
        self.model.touch()

    def step(self, factor: float) -> None:
        """[ halves the gain, ] doubles it (×1, ×2, ×4, ×8, ×16)."""
        self.set_gain(round(self.model.diff_gain * factor) or 1)

    def _show(self) -> None:
        self.value.setText(f"gain × {self.model.diff_gain}")
