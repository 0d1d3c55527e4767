"""Clicking a flag of the sample shoot's real analyses: its box is drawn and framed (never
below fit, never off the image), and moving on puts the overlays and zoom back."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QPointF, QSizeF
from PySide6.QtGui import QColor

from tests.gui.conftest import SAMPLE, open_plan
from twinproof.gui.viewmodel import Heat


@pytest.fixture
def sample_copy(tmp_path):
    folder = tmp_path / "sample"
    folder.mkdir()
    for n in ("03", "05", "06"):
        for side in ("real", "twin"):
            shutil.copy(SAMPLE / f"look{n}_{side}.jpg", folder / f"look{n}_{side}.jpg")
    return folder


def _analysed(window, qtbot, name):
    s = window.session
    pid = next(i for i in s.order if s.pairs[i].record.name == name)
    s.set_current(pid)
    qtbot.waitUntil(lambda: s.pairs[pid].analysed and window.compare.model.shown.images is not None
                    and window.compare.model.shown.images.pair_id == pid, timeout=120_000)
    window.compare.refresh_current()
    window.compare.fit()
    return s.pairs[pid].result


def _yellow_on_edge(window, box) -> bool:
    pane = window.compare.left
    image = pane.grab().toImage()
    to_widget = pane.real_to_widget()
    hits = 0
    for t in (0.2, 0.35, 0.5, 0.65, 0.8):
        p = to_widget.map(QPointF(box.left() + t * box.width(), box.top())).toPoint()
        for dy in (-1, 0, 1):
            if 0 <= p.x() < image.width() and 0 <= p.y() + dy < image.height():
                c = QColor(image.pixel(p.x(), p.y() + dy))
                hits += c.red() > 200 and c.green() > 160 and c.blue() < 90
    return hits >= 2


@pytest.mark.slow
def test_flags_frame_their_box_and_moving_on_restores_the_view(window, qtbot, sample_copy, tmp_path):
    open_plan(window, qtbot, sample_copy, None, tmp_path / "sample.shoot")
    model = window.compare.model
    pane = QSizeF(window.compare.left.size())
    # look06: the body flag's box is wide and short; clicking it must not zoom out below fit
    result = _analysed(window, qtbot, "look06")
    model.heat, model.landmarks = Heat.SSIM, False
    fit = model.fit_scale(pane)
    body = next(f for f in result["flags"] if f["category"] == "body_shape")
    window.metrics.flag_clicked.emit(body)
    assert model.scale >= fit * 0.999
    assert model.landmarks and model.heat is Heat.NONE
    assert model.flag is not None and model.flag.label.endswith(body["severity"])
    assert model.frame_rect().contains(model.flag.box)  # clipped to the image
    window.qactions["pair.next"].trigger() if window.session.current_id != window.session.order[-1] \
        else window.qactions["pair.first"].trigger()
    # moving on: the flag's box goes, the heat map and landmarks are as they were, fitted again
    assert model.flag is None and model.heat is Heat.SSIM and not model.landmarks and model.fitted
    # look05: the garment flag is framed on the image, not half on the grey canvas
    result = _analysed(window, qtbot, "look05")
    garment = next(f for f in result["flags"] if f["category"] == "garment_colour")
    window.metrics.flag_clicked.emit(garment)
    frame, box = model.frame_rect(), model.flag.box
    assert model.scale > model.fit_scale(pane)
    for centre, image, on_box, extent, side in ((model.center.x(), frame.center().x(), box.center().x(),
                                                 frame.width(), pane.width()),
                                                (model.center.y(), frame.center().y(), box.center().y(),
                                                 frame.height(), pane.height())):
        # centred on the garment, or on the picture along an axis where all of it fits
        assert abs(centre - (image if extent * model.scale <= side else on_box)) < 0.5
    assert model.heat is Heat.DELTA_E
    # look03: the eyes flag zooms in on the eyes and draws their box, not just the face
    result = _analysed(window, qtbot, "look03")
    eyes = next(f for f in result["flags"] if f["category"] == "face_shape" and f["region"] == "eyes")
    window.metrics.flag_clicked.emit(eyes)
    x0, y0, x1, y1 = eyes["box"]
    assert model.scale > 2.5 * model.fit_scale(pane)
    assert abs(model.center.x() - (x0 + x1) / 2) < 2 and abs(model.center.y() - (y0 + y1) / 2) < 2
    assert model.flag.label == "eyes · fail"
    qtbot.waitUntil(lambda: _yellow_on_edge(window, model.flag.box), timeout=5_000)


def test_a_pin_label_at_the_pane_edge_stays_on_screen(qtbot):
    """A pin near the right edge draws its comment to its left, whole (it ran off the pane)."""
    from PySide6.QtGui import QImage, QPainter, QTransform

    from twinproof.gui import painting

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(59, 59, 59))
    painter = QPainter(image)
    text = "smile line softened here?"
    painting.paint_mark(painter, "pin", {"x": 292, "y": 100}, QColor("#0a84ff"), QTransform(), text=text)
    width = painter.fontMetrics().horizontalAdvance(text)
    painter.end()
    # the label's dark box: find the columns it covers on the pin's row band
    dark = [x for x in range(300) if QColor(image.pixel(x, 92)).red() < 40]
    assert dark and min(dark) >= 0 and max(dark) <= 299
    assert max(dark) - min(dark) >= width  # all of it is on the image


def test_difference_gain_multiplies_what_is_shown(window, qtbot, shoot_dirs, tmp_path):
    """look02's twin is the real photograph with a warm cast: at × 1 its difference is dim,
    × 8 shows it eight times brighter (saturating), and the gain is on screen."""
    from tests.gui.conftest import wait_idle

    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    session, model = window.session, window.compare.model
    session.set_current(session.order[1])
    qtbot.waitUntil(lambda: model.shown.images is not None and model.shown.images.pair_id == session.order[1],
                    timeout=10_000)
    window.qactions["mode.difference"].trigger()
    assert window.gain_action.isVisible()
    pane = window.compare.left

    def mean_level(gain: int) -> float:
        window.gain.set_gain(gain)
        image = pane.grab().toImage()
        frame = pane.view().mapRect(model.frame_rect()).toRect().intersected(image.rect()).adjusted(4, 40, -4, -40)
        total = n = 0
        for y in range(frame.top(), frame.bottom(), 7):
            for x in range(frame.left(), frame.right(), 7):
                c = QColor(image.pixel(x, y))
                total += c.red() + c.green() + c.blue()
                n += 3
        return total / n

    dim, bright = mean_level(1), mean_level(8)
    assert 0 < dim < 40 and bright > 4 * dim
    assert window.gain.value.text() == "gain × 8" and "× 8" in pane._label()
    window.qactions["view.gain_up"].trigger()
    assert model.diff_gain == 16
    window.qactions["view.gain_up"].trigger()
    assert model.diff_gain == 16  # × 16 at most
    for _ in range(6):
        window.qactions["view.gain_down"].trigger()
    assert model.diff_gain == 1
    window.qactions["mode.two_up"].trigger()
    assert not window.gain_action.isVisible()
