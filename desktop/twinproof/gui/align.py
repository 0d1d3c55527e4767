"""Nudge the alignment by hand, see it live, then re-measure with it.

Beyond Compare lets a user shift one side by hand when automatic alignment is off; here the
four parameters of the similarity (scale, rotation, shift) start from the analysis's
registration, every change re-draws the twin at once (only its QTransform changes), and
"Re-analyse" hands ``Registration.from_parameters`` to the core, which measures the pair again
with it; the stored result then says ``method: manual``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QTransform
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from twinproof.core.registration import Registration


def parameters(t: QTransform | None) -> tuple[float, float, float, float]:
    if t is None:
        return 1.0, 0.0, 0.0, 0.0
    scale = math.hypot(t.m11(), t.m12())
    rotation = math.degrees(math.atan2(t.m12(), t.m11()))
    return scale, rotation, t.dx(), t.dy()


def transform(scale: float, rotation: float, dx: float, dy: float) -> QTransform:
    r = math.radians(rotation)
    c, s = scale * math.cos(r), scale * math.sin(r)
    return QTransform(c, s, -s, c, dx, dy)


class AlignDialog(QDialog):
    def __init__(self, start: QTransform | None, preview: Callable[[QTransform | None], None],
                 reanalyse: Callable[[Registration], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nudge alignment")
        self.preview, self.reanalyse = preview, reanalyse
        self.start = start
        scale, rotation, dx, dy = parameters(start)
        # enough decimals that opening the dialog does not itself move the twin
        self.scale = self._spin(0.1, 10.0, scale, 0.001, 6)
        self.rotation = self._spin(-45.0, 45.0, rotation, 0.05, 4, "°")
        self.dx = self._spin(-100000, 100000, dx, 1.0, 2, " px")
        self.dy = self._spin(-100000, 100000, dy, 1.0, 2, " px")
        form = QFormLayout()
        form.addRow("Scale", self.scale)
        form.addRow("Rotation", self.rotation)
        form.addRow("Shift x", self.dx)
        form.addRow("Shift y", self.dy)
        note = QLabel("Twin → real, full-resolution pixels. Changes show at once; "
                      "re-analyse to measure with them.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        role = QDialogButtonBox.ButtonRole
        self.apply = buttons.addButton("Re-analyse with this alignment", role.AcceptRole)
        reset = buttons.addButton("Reset", role.ResetRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self._apply)
        buttons.rejected.connect(self.reject)
        reset.clicked.connect(self._reset)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _spin(self, lo: float, hi: float, value: float, step: float, decimals: int,
              suffix: str = "") -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(lo, hi)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setValue(value)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._changed)
        return spin

    def current(self) -> QTransform:
        return transform(self.scale.value(), self.rotation.value(), self.dx.value(), self.dy.value())

    def _changed(self) -> None:
        self.preview(self.current())

    def _reset(self) -> None:
        self.preview(None)
        scale, rotation, dx, dy = parameters(self.start)
        for spin, value in ((self.scale, scale), (self.rotation, rotation), (self.dx, dx), (self.dy, dy)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _apply(self) -> None:
        from twinproof.core.registration import Registration

        registration = Registration.from_parameters(
            self.scale.value(), self.rotation.value(), (self.dx.value(), self.dy.value()))
        self.reanalyse(registration)
        self.accept()
