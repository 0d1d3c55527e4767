"""Annotations: every edit a stored, audited command that undoes and redoes."""

from __future__ import annotations

import pytest

from twinproof import review
from twinproof.review import commands
from twinproof.review.geometry import bounds, fit, normalised, translate

SIZE = (4000, 6000)


def only(store, pair_id, **kw):
    rows = review.list_annotations(store, pair_id, **kw)
    assert len(rows) == 1
    return rows[0]


def test_add_move_resize_text_delete_with_undo_and_redo(store, pairs):
    pair = pairs["look01"]
    stack = review.UndoStack(store)
    add = commands.AddAnnotation(pair.id, "rectangle", {"x": 100, "y": 200, "w": 50, "h": 80},
                                 SIZE, colour="#00FF00", flag="face.changes.eyes.percent")
    stack.push(add)
    rec = only(store, pair.id)
    assert (rec.kind, rec.author, rec.colour) == ("rectangle", "alice", "#00ff00")
    assert rec.flag_metric == "face.changes.eyes.percent" and rec.old_flag_link is None
    assert (rec.image_width, rec.image_height) == SIZE

    stack.push(commands.move(rec, 10, -20))
    rec = only(store, pair.id)
    assert rec.geometry == {"x": 110, "y": 180, "w": 50, "h": 80}
    stack.push(commands.resize(rec, (110, 180, 210, 380)))
    rec = only(store, pair.id)
    assert rec.geometry == {"x": 110, "y": 180, "w": 100, "h": 200}
    stack.push(commands.edit_text(rec, "eyes enlarged"))
    stack.push(commands.delete(only(store, pair.id)))
    assert review.list_annotations(store, pair.id) == []
    assert only(store, pair.id, include_deleted=True).deleted

    stack.undo()  # delete
    assert only(store, pair.id).text == "eyes enlarged"
    stack.undo()  # text
    stack.undo()  # resize
    assert only(store, pair.id).geometry == {"x": 110, "y": 180, "w": 50, "h": 80}
    stack.undo()  # move
    stack.undo()  # add
    assert review.list_annotations(store, pair.id) == []
    assert not stack.can_undo and stack.can_redo
    for _ in range(5):
        stack.redo()
    final = only(store, pair.id, include_deleted=True)
    assert final.deleted and final.id == rec.id and final.text == "eyes enlarged"
    assert final.geometry == {"x": 110, "y": 180, "w": 100, "h": 200}
    actions = [e.detail["action"] for e in review.audit_rows(store, pair.id)]
    assert actions == ["added", "edited", "edited", "edited", "deleted", "restored", "edited",
                       "edited", "edited", "deleted", "restored", "edited", "edited", "edited",
                       "deleted"]


def test_push_after_undo_drops_redo(store, pairs):
    stack = review.UndoStack(store)
    stack.push(commands.AddAnnotation(pairs["look01"].id, "pin", {"x": 5, "y": 5}, SIZE,
                                      body="lip line"))
    rec = only(store, pairs["look01"].id)
    stack.push(commands.recolour(rec, "#0000ff"))
    stack.undo()
    stack.push(commands.link_flag(only(store, rec.pair_id), "skin.delta_e00"))
    assert not stack.can_redo
    rec = only(store, rec.pair_id)
    assert rec.colour == "#ff3b30" and rec.flag_metric == "skin.delta_e00"
    stack.undo()
    assert only(store, rec.pair_id).flag_metric is None


@pytest.mark.parametrize("kind, geometry", [
    ("ellipse", {"x": 1, "y": 2, "w": 3, "h": 4}),
    ("arrow", {"x1": 0, "y1": 0, "x2": 40, "y2": 30}),
    ("freehand", {"points": [[0, 0], [10, 5], [20, 0]]}),
    ("pin", {"x": 7, "y": 9}),
])
def test_every_kind_round_trips(store, pairs, kind, geometry):
    rec = review.add_annotation(store, pairs["look02"].id, kind, geometry, image_size=SIZE,
                                text="t")
    assert rec.kind == kind
    assert rec.geometry == {k: ([[float(a), float(b)] for a, b in v] if k == "points"
                                else float(v)) for k, v in geometry.items()}


@pytest.mark.parametrize("kind, geometry, message", [
    ("square", {}, "unknown annotation kind"),
    ("rectangle", {"x": 1, "y": 2}, "needs x, y, w, h"),
    ("rectangle", {"x": 1, "y": 2, "w": -1, "h": 2}, "negative"),
    ("pin", {"x": float("nan"), "y": 1}, "finite"),
    ("freehand", {"points": [[1, 1]]}, "two points"),
])
def test_bad_geometry_is_refused(store, pairs, kind, geometry, message):
    with pytest.raises(review.ReviewError, match=message):
        review.add_annotation(store, pairs["look01"].id, kind, geometry, image_size=SIZE)


def test_bad_colour_size_and_deleted_edits_are_refused(store, pairs):
    pid = pairs["look01"].id
    with pytest.raises(review.ReviewError, match="colour"):
        review.add_annotation(store, pid, "pin", {"x": 1, "y": 1}, image_size=SIZE, colour="red")
    with pytest.raises(review.ReviewError, match="image size"):
        review.add_annotation(store, pid, "pin", {"x": 1, "y": 1}, image_size=(0, 10))
    rec = review.add_annotation(store, pid, "pin", {"x": 1, "y": 1}, image_size=SIZE)
    gone = review.delete_annotation(store, rec.id, rec.version)
    with pytest.raises(review.ReviewError, match="deleted"):
        review.update_annotation(store, rec.id, expected_version=gone.version, text="x")


def test_pin_thread_and_pair_comments(store, pairs):
    pid = pairs["look01"].id
    pin = review.add_annotation(store, pid, "pin", {"x": 10, "y": 10}, image_size=SIZE,
                                text="is this mole on the real photo?")
    review.add_comment(store, pid, "yes, left cheek", annotation_id=pin.id)
    review.add_comment(store, pid, "then keep it", annotation_id=pin.id)
    review.add_comment(store, pid, "overall fine")
    thread = review.list_comments(store, pid, annotation_id=pin.id)
    assert [c.text for c in thread] == ["yes, left cheek", "then keep it"]
    assert len(review.list_comments(store, pid)) == 3
    with pytest.raises(review.ReviewError, match="empty"):
        review.add_comment(store, pid, "  ")
    with pytest.raises(review.ReviewError, match="not on pair"):
        review.add_comment(store, pairs["look02"].id, "x", annotation_id=pin.id)


def test_geometry_helpers():
    box = {"x": 100.0, "y": 200.0, "w": 50.0, "h": 80.0}
    assert normalised("rectangle", box, 1000, 2000) == {"x": 0.1, "y": 0.1, "w": 0.05,
                                                        "h": 0.04}
    arrow = {"x1": 10.0, "y1": 0.0, "x2": 0.0, "y2": 20.0}
    assert bounds("arrow", arrow) == (0.0, 0.0, 10.0, 20.0)
    assert fit("arrow", arrow, (0, 0, 20, 40)) == {"x1": 20.0, "y1": 0.0, "x2": 0.0, "y2": 40.0}
    assert translate("freehand", {"points": [[1, 1], [2, 3]]}, 1, -1) == {
        "points": [[2, 0], [3, 2]]}
    assert normalised("pin", {"x": 50.0, "y": 50.0}, 100, 200) == {"x": 0.5, "y": 0.25}
    with pytest.raises(review.ReviewError, match="inverted"):
        fit("rectangle", box, (10, 10, 0, 0))


def test_deleted_comments_are_hidden_and_restorable(store, pairs):
    pid = pairs["look01"].id
    c = review.add_comment(store, pid, "typo in the caption")
    assert review.delete_comment(store, c.id).deleted
    assert review.list_comments(store, pid) == []
    review.delete_comment(store, c.id, deleted=False)
    assert [x.text for x in review.list_comments(store, pid)] == ["typo in the caption"]
    with pytest.raises(review.NotFoundError):
        review.delete_comment(store, 999)
