"""Marks as a conversation: hit within a few screen pixels, listed with their replies in the
comments panel, resolved (undoably), shown on click, and hidden once resolved if wanted."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QPointF, QRect, Qt

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui import annotate, dialogs, markmenu


def _open(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None, timeout=10_000)
    return window.session


def _draw_arrow(window, qtbot, a: QPoint, b: QPoint) -> None:
    pane = window.compare.left
    window.qactions["tool.arrow"].trigger()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(pane, (a + b) / 2)
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=b)
    window.qactions["tool.select"].trigger()


def test_a_mark_is_hit_within_ten_screen_pixels_at_any_zoom(window, qtbot, shoot_dirs, tmp_path):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pane = window.compare.left
    _draw_arrow(window, qtbot, QPoint(100, 200), QPoint(220, 200))
    (arrow,) = review.list_annotations(session.store, session.current_id)
    for scale in (window.compare.model.scale, 3.0):
        window.compare.model.set_view(scale, QPointF(160, 200) if scale == 3.0 else window.compare.model.center)
        to_widget = pane.real_to_widget()
        a = to_widget.map(QPointF(arrow.geometry["x1"], arrow.geometry["y1"]))
        b = to_widget.map(QPointF(arrow.geometry["x2"], arrow.geometry["y2"]))
        mid = (a + b) / 2
        normal = QPointF(-(b - a).y(), (b - a).x()) / math.hypot((b - a).x(), (b - a).y())
        assert window.tools.hit(pane, mid + normal * 8) is not None  # 8 px off: the miss
        assert window.tools.hit(pane, mid - normal * 9) is not None
        assert window.tools.hit(pane, mid + normal * 16) is None


def test_comments_panel_lists_resolves_shows_and_hides_marks(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pid = session.current_id
    pane, model, panel = window.compare.left, window.compare.model, window.comments
    window.dock_comments.raise_()
    _draw_arrow(window, qtbot, QPoint(100, 200), QPoint(220, 200))
    monkeypatch.setattr(annotate, "ask_pin_text", lambda _p, _current="": "jaw line softened?")
    window.qactions["tool.pin"].trigger()
    qtbot.mouseClick(pane, Qt.MouseButton.LeftButton, pos=QPoint(150, 120))
    window.qactions["tool.select"].trigger()
    arrow, pin = review.list_annotations(session.store, pid)
    monkeypatch.setattr(markmenu, "ask_reply", lambda _p, _thread: "yes, 3 px narrower")
    panel.tree.setCurrentItem(panel.item_of(pin.id))
    panel._reply()
    monkeypatch.setattr(dialogs, "ask_comment", lambda _p, _name: "ok to send once the jaw is fixed")
    panel.pair_comment_requested.emit()
    # every mark and reply, and the pair's own comments
    top = [panel.tree.topLevelItem(i).text(0).splitlines()[0] for i in range(panel.tree.topLevelItemCount())]
    assert top == ["1. Arrow: (no comment)", "2. Pin: jaw line softened?", "On the pair"]
    reply = panel.item_of(pin.id).child(0).text(0).splitlines()
    assert reply[0] == "yes, 3 px narrower" and reply[1].startswith("— tester, ")
    assert panel.tree.topLevelItem(2).child(0).text(0).startswith("ok to send once the jaw is fixed\n")
    assert panel.counts.text() == "2 mark(s), 0 resolved"
    # in a narrow dock every row is as tall as its wrapped text: nothing ends in "…"
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    tree = panel.tree
    for item in [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]:
        for row in [item] + [item.child(j) for j in range(item.childCount())]:
            rect = tree.visualItemRect(row)
            needed = tree.fontMetrics().boundingRect(QRect(0, 0, rect.width() - 30, 10_000),
                                                     Qt.TextFlag.TextWordWrap, row.text(0))
            assert rect.height() >= needed.height(), row.text(0)
    # tick the arrow resolved: stored, audited, undoable
    panel.item_of(arrow.id).setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: review.get_annotation(session.store, arrow.id).resolved_by == "tester")
    assert panel.counts.text() == "2 mark(s), 1 resolved"
    assert panel.item_of(arrow.id).font(0).strikeOut()
    window.tools.stack.undo()
    assert not review.get_annotation(session.store, arrow.id).resolved
    assert panel.item_of(arrow.id).checkState(0) == Qt.CheckState.Unchecked
    window.tools.stack.redo()
    assert review.get_annotation(session.store, arrow.id).resolved
    # click a mark: the view goes to it and selects it
    window.compare.fit()
    fit = model.scale
    item = panel.item_of(pin.id)
    panel.tree.setCurrentItem(item)
    panel.tree.itemClicked.emit(item, 0)
    assert model.selected == pin.id and model.scale > 2 * fit
    assert abs(model.center.x() - pin.geometry["x"]) < 1 and abs(model.center.y() - pin.geometry["y"]) < 1
    # hide resolved: off the list and off the images (and no longer hit)
    window.compare.fit()
    to_widget = pane.real_to_widget()
    on_arrow = to_widget.map(QPointF((arrow.geometry["x1"] + arrow.geometry["x2"]) / 2, arrow.geometry["y1"]))
    model.shown.annotations = review.list_annotations(session.store, pid)
    assert window.tools.hit(pane, on_arrow) is not None
    panel.hide_box.setChecked(True)
    assert panel.item_of(arrow.id) is None and panel.item_of(pin.id) is not None
    assert [m.id for m in model.visible_marks()] == [pin.id]
    assert window.tools.hit(pane, on_arrow) is None
    panel.hide_box.setChecked(False)
    assert [m.id for m in model.visible_marks()] == [arrow.id, pin.id]
