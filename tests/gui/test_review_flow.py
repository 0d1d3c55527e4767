"""Decisions, annotations and the audit trail through the window, with dialogs replaced."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import open_plan, wait_idle
from twinproof import review
from twinproof.gui import annotate, dialogs, talentlink


def _open(window, qtbot, shoot_dirs, tmp_path):
    real, twin = shoot_dirs
    open_plan(window, qtbot, real, twin, tmp_path / "shoot.shoot")
    wait_idle(window, qtbot)
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None, timeout=10_000)
    return window.session


def test_reject_with_reasons_lands_in_the_store(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    session.set_current(session.order[1])  # look02, failed on colour
    seen = {}

    def answer(_parent, action, name, suggested):
        seen.update(action=action, name=name, suggested=list(suggested))
        return ["garment_colour_wrong", "other"], "sleeve too warm", "fix the white balance"

    monkeypatch.setattr(dialogs, "ask_reasons", answer)
    window.qactions["decide.reject"].trigger()
    assert seen["action"] == "Reject" and seen["name"] == "look02"
    # pre-ticked from the flags: look02's fault is a colour cast of the scene, not the garment
    assert review.Reason.SCENE_COLOUR in seen["suggested"]
    assert review.Reason.GARMENT_COLOUR_WRONG not in seen["suggested"]
    history = review.decision_history(session.store, session.order[1])
    assert history[-1].state == "rejected"
    assert history[-1].reasons == ["garment_colour_wrong", "other"]
    assert history[-1].reason_text == "sleeve too warm"
    assert session.current.record.state == "rejected"
    # Ctrl+Z takes a decision back (a new, audited decision restoring the previous state)
    window.tools.stack.undo()
    assert session.current.record.state == "unreviewed"
    assert [d.state for d in review.decision_history(session.store, session.order[1])] == [
        "rejected", "unreviewed"]
    window.tools.stack.redo()
    assert session.current.record.state == "rejected"
    assert review.decision_history(session.store, session.order[1])[-1].reasons == [
        "garment_colour_wrong", "other"]
    # the decision bar says who decided and why; the tooltip holds the comment too
    bar = window.bar.state
    assert "garment colour wrong, other: sleeve too warm" in bar.full_text() and "by " in bar.full_text()
    assert "Comment: fix the white balance" in bar.toolTip()
    # cancelling the dialog records nothing
    monkeypatch.setattr(dialogs, "ask_reasons", lambda *a: None)
    window.qactions["decide.changes"].trigger()
    assert len(review.decision_history(session.store, session.order[1])) == 3
    # the audit dock shows the decision
    window.dock_audit.show()
    window.dock_audit.raise_()
    window.audit.refresh()
    texts = [window.audit.table.item(r, 3).text() for r in range(window.audit.table.rowCount())]
    assert any("look02: rejected" in t for t in texts)
    # and exports it as CSV on the save thread
    out = tmp_path / "trail.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "CSV (*.csv)"))
    window.audit.only_pair.setChecked(False)
    window.audit._export()
    qtbot.waitUntil(out.exists, timeout=10_000)
    qtbot.waitUntil(lambda: window.pools.saves.activeThreadCount() == 0)
    assert "look02: rejected" in out.read_text(encoding="utf-8")


def test_approve_needs_consent_then_an_override_for_a_failed_twin(window, qtbot, shoot_dirs, tmp_path,
                                                                   monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pid = session.order[1]
    session.set_current(pid)
    errors = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append((title, text)))
    window.qactions["decide.approve"].trigger()
    assert errors and "Consent" in errors[0][0] and "no talent" in errors[0][1]
    assert session.current.record.state == "unreviewed"
    # the refusal is in the audit dock in words, not as the record's identifier "consent_block"
    window.dock_audit.show()
    window.dock_audit.raise_()
    window.audit.refresh()
    events = [window.audit.table.item(r, 2).text() for r in range(window.audit.table.rowCount())]
    assert "blocked" in events and not any("_" in e for e in events), events
    # record the talent and a valid consent, link them through the Talent action
    review.add_talent(session.store, "Grace")
    today = date.today()
    review.add_consent(session.store, "Grace", contract_ref="C-1", starts_on=today - timedelta(days=1),
                       expires_on=today + timedelta(days=30), no_release_reason="paper original")
    monkeypatch.setattr(talentlink, "ask_link", lambda *_a, **_k: talentlink.LinkChoice("Grace"))
    monkeypatch.setattr(talentlink, "ask_open_gate", lambda *_a: True)
    window.qactions["pair.talent"].trigger()
    assert "consent valid" in window.bar.consent.full_text()
    # analysed before Grace was linked: measured again for her (approving waits for it)
    qtbot.waitUntil(lambda: session.pairs[pid].analysed, timeout=60_000)
    asked = []
    monkeypatch.setattr(dialogs, "ask_override",
                        lambda _p, name, problems: asked.append(problems) or "client accepts the warmer grade")
    window.qactions["decide.approve"].trigger()
    assert asked and "colour cast" in asked[0]
    last = review.decision_history(session.store, pid)[-1]
    assert last.state == "approved" and last.override_justification == "client accepts the warmer grade"
    monkeypatch.setattr(dialogs, "ask_reviewer", lambda _p, _current: "A. Director")
    window.qactions["file.reviewer"].trigger()
    window.qactions["decide.clear"].trigger()
    assert session.current.record.state == "unreviewed"
    assert review.decision_history(session.store, pid)[-1].reviewer == "A. Director"
    window.qactions["rate.4"].trigger()
    assert session.current.rating == 4


def test_draw_move_undo_redo_and_delete_a_mark(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pid = session.current_id
    pane = window.compare.left
    window.qactions["tool.rectangle"].trigger()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=QPoint(120, 120))
    qtbot.mouseMove(pane, QPoint(180, 170))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=QPoint(200, 190))
    marks = review.list_annotations(session.store, pid)
    assert len(marks) == 1 and marks[0].kind == "rectangle"
    real = pane.widget_to_real
    g = marks[0].geometry
    top_left = real(QPoint(120, 120).toPointF())
    assert abs(g["x"] - top_left.x()) < 1 and abs(g["y"] - top_left.y()) < 1
    # the same mark is drawn on the twin pane (through the registration)
    assert window.compare.model.shown.annotations[0].id == marks[0].id
    # a pin on the twin pane, with its comment
    monkeypatch.setattr(annotate, "ask_pin_text", lambda _p, _current="": "lip line softened")
    window.qactions["tool.pin"].trigger()
    twin_pane = window.compare.right
    qtbot.mouseClick(twin_pane, Qt.MouseButton.LeftButton, pos=QPoint(150, 150))
    marks = review.list_annotations(session.store, pid)
    assert [m.kind for m in marks] == ["rectangle", "pin"] and marks[1].text == "lip line softened"
    # select and move the rectangle on its edge, then undo / redo
    window.qactions["tool.select"].trigger()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=QPoint(120, 150))
    assert window.compare.model.selected == marks[0].id
    qtbot.mouseMove(pane, QPoint(140, 170))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=QPoint(160, 190))
    moved = review.get_annotation(session.store, marks[0].id)
    assert moved.geometry["x"] > g["x"]
    window.tools.stack.undo()
    assert review.get_annotation(session.store, marks[0].id).geometry["x"] == g["x"]
    window.tools.stack.redo()
    assert review.get_annotation(session.store, marks[0].id).geometry["x"] == moved.geometry["x"]
    # drag the selected rectangle's corner grip to resize it
    window.compare.model.selected = marks[0].id
    current = review.get_annotation(session.store, marks[0].id)
    g2 = current.geometry
    to_widget = pane.real_to_widget()
    corner = to_widget.map(QPointF(g2["x"] + g2["w"], g2["y"] + g2["h"])).toPoint()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(pane, corner + QPoint(10, 10))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=corner + QPoint(20, 20))
    resized = review.get_annotation(session.store, marks[0].id)
    assert resized.geometry["w"] > g2["w"] and resized.geometry["x"] == g2["x"]
    window.tools.stack.undo()
    assert review.get_annotation(session.store, marks[0].id).geometry["w"] == g2["w"]
    moved = review.get_annotation(session.store, marks[0].id)
    # double-click a mark to edit its comment
    monkeypatch.setattr(annotate, "ask_pin_text", lambda _p, current="": current + "jaw narrowed")
    qtbot.mouseDClick(pane, Qt.MouseButton.LeftButton, pos=window.compare.left.real_to_widget().map(
        QPointF(moved.geometry["x"], moved.geometry["y"] + moved.geometry["h"] / 2)).toPoint())
    assert review.get_annotation(session.store, marks[0].id).text == "jaw narrowed"
    window.compare.model.selected = marks[0].id
    window.qactions["edit.delete"].trigger()
    assert [m.id for m in review.list_annotations(session.store, pid)] == [marks[1].id]
    window.tools.stack.undo()
    assert len(review.list_annotations(session.store, pid)) == 2


def test_mark_menu_reply_colour_and_flag_link(window, qtbot, shoot_dirs, tmp_path, monkeypatch):
    """Right-click on a mark: reply in its thread, recolour it and link it to one of the pair's
    flags; colour and link are undoable, the reply stays (the conversation is append-only)."""
    from twinproof.gui import markmenu

    session = _open(window, qtbot, shoot_dirs, tmp_path)
    session.set_current(session.order[1])  # look02: a colour flag
    pid = session.current_id
    pane = window.compare.left
    qtbot.waitUntil(lambda: window.compare.model.shown.images is not None
                    and window.compare.model.shown.images.pair_id == pid, timeout=10_000)
    monkeypatch.setattr(annotate, "ask_pin_text", lambda _p, _current="": "check the sleeve")
    window.qactions["tool.pin"].trigger()
    qtbot.mouseClick(pane, Qt.MouseButton.LeftButton, pos=QPoint(150, 150))
    (pin,) = review.list_annotations(session.store, pid)
    window.qactions["tool.select"].trigger()
    hit = window.tools.hit(pane, QPointF(150, 150))
    assert hit is not None and hit.id == pin.id
    menu = markmenu.MarkMenu(window.tools, pane)
    titles = [a.text() for a in menu.menu(hit).actions()]
    assert titles[:4] == ["Edit comment…", "Reply…", "Colour", "Link to a flag…"]

    monkeypatch.setattr(markmenu, "ask_reply", lambda _p, thread: "agreed, the cuff is warmer")
    menu.reply(hit)
    thread = review.list_comments(session.store, pid, pin.id)
    assert [c.text for c in thread] == ["agreed, the cuff is warmer"]

    menu.colour(hit, markmenu.COLOURS["Blue"])
    assert review.get_annotation(session.store, pin.id).colour == "#0a84ff"
    monkeypatch.setattr(markmenu, "ask_choice", lambda _p, _t, _l, options: next(
        o for o in options if o.startswith("colour/")))
    menu.link(review.get_annotation(session.store, pin.id))
    linked = review.get_annotation(session.store, pin.id)
    assert linked.flag_metric == "colour.cast.magnitude"  # the one colour flag of the pair
    window.tools.stack.undo()
    assert review.get_annotation(session.store, pin.id).flag_metric is None
    window.tools.stack.undo()
    assert review.get_annotation(session.store, pin.id).colour != "#0a84ff"
    assert len(review.list_comments(session.store, pid, pin.id)) == 1


def test_arrows_and_freehand_lines_resize_by_their_grip(window, qtbot, shoot_dirs, tmp_path):
    """An arrow's head is dragged to a new place; a freehand line is stretched from its
    bounds' corner; both undo."""
    session = _open(window, qtbot, shoot_dirs, tmp_path)
    pid = session.current_id
    pane = window.compare.left
    for tool, path in (("arrow", [QPoint(100, 100), QPoint(140, 120), QPoint(160, 140)]),
                       ("freehand", [QPoint(120, 200), QPoint(150, 215), QPoint(190, 230)])):
        window.qactions[f"tool.{tool}"].trigger()
        qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=path[0])
        qtbot.mouseMove(pane, path[1])
        qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=path[2])
    arrow, line = review.list_annotations(session.store, pid)
    assert (arrow.kind, line.kind) == ("arrow", "freehand")
    window.qactions["tool.select"].trigger()
    to_widget = pane.real_to_widget()

    window.compare.model.selected = arrow.id
    head = to_widget.map(QPointF(arrow.geometry["x2"], arrow.geometry["y2"])).toPoint()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=head)
    qtbot.mouseMove(pane, head + QPoint(20, 30))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=head + QPoint(40, 60))
    moved = review.get_annotation(session.store, arrow.id).geometry
    assert moved["x2"] > arrow.geometry["x2"] + 10 and moved["y2"] > arrow.geometry["y2"] + 10
    assert (moved["x1"], moved["y1"]) == (arrow.geometry["x1"], arrow.geometry["y1"])

    window.compare.model.selected = line.id
    xs = [p[0] for p in line.geometry["points"]]
    ys = [p[1] for p in line.geometry["points"]]
    corner = to_widget.map(QPointF(max(xs), max(ys))).toPoint()
    qtbot.mousePress(pane, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.mouseMove(pane, corner + QPoint(20, 10))
    qtbot.mouseRelease(pane, Qt.MouseButton.LeftButton, pos=corner + QPoint(40, 20))
    stretched = review.get_annotation(session.store, line.id).geometry["points"]
    assert max(p[0] for p in stretched) > max(xs) + 10 and min(p[0] for p in stretched) == min(xs)
    window.tools.stack.undo()
    window.tools.stack.undo()
    assert review.get_annotation(session.store, line.id).geometry == line.geometry
    assert review.get_annotation(session.store, arrow.id).geometry == arrow.geometry
