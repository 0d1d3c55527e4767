"""Pixel snapshots of the panes' drawing (labelme's canvas tests): pinned size, a tolerance.

A small synthetic pair is painted in each mode and compared with PNGs in ``snapshots/``;
set ``TWINPROOF_REGEN_SNAPSHOTS=1`` to rewrite them after an intended change (and look at
them). The pane's text label and legend are masked out (black in the PNGs): fonts differ
between machines, pixels must not. A label wider than the pane takes more lines, so the mask
reaches down to the label's last line as this machine's font lays it out.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QTransform

from twinproof.gui import imaging, painting
from twinproof.gui.pane import ImagePane
from twinproof.gui.viewmodel import CompareModel, Heat, Mode, PairImages, Shown

HERE = Path(__file__).parent / "snapshots"
SIZE = (240, 180)
LABEL_ROWS = 40  # at least this much of the top is masked (the label strip)
LEGEND_ROWS = 60  # and the heat-map legend at the bottom (text)
REGEN = os.environ.get("TWINPROOF_REGEN_SNAPSHOTS") == "1"


def _pair() -> tuple[PairImages, QTransform, QImage]:
    y, x = np.mgrid[0:120, 0:160]
    real = np.dstack([x * 1.5, y * 2.0, np.full_like(x, 90)]).astype(np.uint8)
    real[40:80, 60:100] = (230, 230, 230)
    twin = np.roll(real, (6, -4), axis=(0, 1)).copy()
    twin[44:60, 70:90] = (200, 40, 40)  # a local change the twin made
    images = PairImages(1, "synthetic", imaging.build_pyramid(real), imaging.build_pyramid(twin), "r", "t")
    registration = QTransform.fromTranslate(4, -6)  # twin → real undoes the roll
    heat = np.full((120, 160), np.nan, np.float32)
    heat[10:110, 10:150] = 0.0
    heat[38:66, 64:96] = 10.0
    return images, registration, imaging.heat_image(heat, "delta_e")


def _render(qtbot, mode: Mode, role: str, heat: Heat = Heat.NONE) -> np.ndarray:
    images, registration, heat_image = _pair()
    model = CompareModel()
    model.show(Shown(images, {"analysis": {"working_scale": 1.0}}, {"delta_e": heat_image}, [], registration))
    model.set_mode(mode)
    model.heat = heat
    model.set_view(1.25, QPointF(80, 60))
    pane = ImagePane(model, role)
    qtbot.addWidget(pane)
    pane.resize(*SIZE)
    image = pane.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    pixels = np.frombuffer(image.constBits(), np.uint8, bpl * h).reshape(h, bpl)[:, : w * 3]
    out = pixels.reshape(h, w, 3).copy()
    out[: _label_rows(pane)] = 0
    out[h - LEGEND_ROWS:] = 0
    return out


def _label_rows(pane: ImagePane) -> int:
    """How far down the pane's label reaches (its lines as this machine's font breaks them)."""
    fm = pane.fontMetrics()
    lines = painting.label_lines(pane._label(), pane.width() - 32, fm.horizontalAdvance)
    return max(LABEL_ROWS, 8 + len(lines) * fm.lineSpacing() + 8 + 4)


def _masked(pixels: np.ndarray) -> int:
    """Rows masked at the top of a snapshot (all black: the canvas and pictures never are)."""
    rows = pixels.reshape(pixels.shape[0], -1).max(axis=1)
    return int(np.argmax(rows > 0))


@pytest.mark.parametrize(("name", "mode", "role", "heat"), [
    ("real", Mode.TWO_UP, "real", Heat.NONE),
    ("twin-aligned", Mode.TWO_UP, "twin", Heat.NONE),
    ("swipe", Mode.SWIPE, "composite", Heat.NONE),
    ("onion", Mode.ONION, "composite", Heat.NONE),
    ("difference", Mode.DIFFERENCE, "composite", Heat.NONE),
    ("heat-delta-e", Mode.TWO_UP, "twin", Heat.DELTA_E),
])
def test_pane_drawing_matches_its_snapshot(qtbot, name, mode, role, heat):
    got = _render(qtbot, mode, role, heat)
    path = HERE / f"{name}.png"
    if REGEN or not path.exists():
        HERE.mkdir(exist_ok=True)
        h, w = got.shape[:2]
        QImage(got.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).save(str(path))
        if not REGEN:
            pytest.skip(f"snapshot {path.name} written; check it and commit it")
    want_image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    h, w = want_image.height(), want_image.width()
    bpl = want_image.bytesPerLine()
    want = np.frombuffer(want_image.constBits(), np.uint8, bpl * h).reshape(h, bpl)[:, : w * 3].reshape(h, w, 3)
    assert want.shape == got.shape
    top = max(_masked(want), _masked(got))  # compare what neither masks
    diff = np.abs(want.astype(np.int16) - got.astype(np.int16))[top:]
    assert diff.mean() < 1.0 and (diff > 40).mean() < 0.002, f"{name}: drawing changed"


def test_difference_is_black_where_the_aligned_twin_matches(qtbot):
    got = _render(qtbot, Mode.DIFFERENCE, "composite")
    # centre of the grey square, away from the twin's red patch: identical after alignment
    h, w = got.shape[:2]
    assert got[h // 2 + 8, w // 2 + 18].max() < 12
