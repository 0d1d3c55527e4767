"""A mark's context menu: comment, reply in its thread, colour, link to a flag, delete.

What a reviewer does to a mark after drawing it. Colour and flag links are review-layer
commands on the undo stack like every edit; a reply is a comment in the mark's thread
(comments are append-only: a reply is never undone, it is part of the conversation).
The dialogs are module functions so tests can answer them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from twinproof import review
from twinproof.core.result.words import flag_line
from twinproof.review import commands as cmd

if TYPE_CHECKING:
    from twinproof.gui.annotate import AnnotationTools

#: The mark colours offered: distinct on skin, garments and the dark theme.
COLOURS = {"Red": "#ff3b30", "Orange": "#ff9f0a", "Yellow": "#ffd60a", "Green": "#34c759",
           "Blue": "#0a84ff", "Purple": "#bf5af2", "White": "#f2f2f7"}


def ask_reply(parent: QWidget | None, thread: list[str]) -> str | None:
    shown = "\n".join(thread[-8:]) or "(no replies yet)"
    text, ok = QInputDialog.getMultiLineText(parent, "Reply", f"{shown}\n\nYour reply:")
    return text if ok and text.strip() else None


def ask_choice(parent: QWidget | None, title: str, label: str, options: list[str]) -> str | None:
    choice, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
    return choice if ok else None


def flag_options(result: dict[str, Any] | None) -> dict[str, str | None]:
    """The pair's flags by label, plus 'not linked': each to its measurement (``flag.metric``),
    the one thing that names a single flag (two face-shape flags share the region "face")."""
    out: dict[str, str | None] = {"Not linked to a flag": None}
    for f in (result or {}).get("flags") or []:
        if isinstance(f, dict) and f.get("metric"):
            label = flag_line(f, severity=False, metric=False)
            out[label[:120]] = str(f["metric"])
    return out


class MarkMenu:
    """Builds the menu for one mark and carries out what is chosen."""

    def __init__(self, tools: AnnotationTools, parent: QWidget) -> None:
        self.tools, self.parent = tools, parent

    def menu(self, rec: Any) -> QMenu:
        m = QMenu(self.parent)
        m.addAction("Edit comment…", lambda: self.tools.edit_comment(rec, self.parent))
        m.addAction("Reply…", lambda: self.reply(rec))
        colours = m.addMenu("Colour")
        for name, value in COLOURS.items():
            action = colours.addAction(name, partial(self.colour, rec, value))
            action.setCheckable(True)
            action.setChecked(value.lower() == str(rec.colour).lower())
        m.addAction("Link to a flag…", lambda: self.link(rec))
        m.addAction("Reopen" if rec.resolved else "Resolve",
                    lambda: self.tools.push(cmd.Resolve(rec.id, not rec.resolved)))
        m.addSeparator()
        m.addAction("Delete", lambda: self.delete(rec))
        return m

    def show(self, rec: Any, global_pos: QPoint) -> None:
        self.menu(rec).exec(global_pos)

    def reply(self, rec: Any) -> None:
        store, pair_id = self.tools.store, self.tools.pair_id
        if store is None or pair_id is None:
            return
        thread = [f"{c.author}: {c.text}" for c in review.list_comments(store, pair_id, rec.id)]
        text = ask_reply(self.parent, thread)
        if text is None:
            return
        try:
            review.add_comment(store, pair_id, text, rec.id)
        except review.ReviewError as exc:
            self.tools.error.emit(str(exc))
        self.tools.reload()

    def colour(self, rec: Any, value: str) -> None:
        self.tools.colour = value  # the next mark is drawn in it too
        if value.lower() != str(rec.colour).lower():
            self.tools.push(cmd.recolour(rec, value))

    def link(self, rec: Any) -> None:
        options = flag_options(self.tools.model.shown.result)
        chosen = ask_choice(self.parent, "Link to a flag", "The flag this mark shows:", list(options))
        if chosen is None:
            return
        flag = options[chosen]
        if flag != rec.flag_metric:
            self.tools.push(cmd.link_flag(rec, flag))

    def delete(self, rec: Any) -> None:
        self.tools.model.selected = rec.id
        self.tools.delete_selected()
