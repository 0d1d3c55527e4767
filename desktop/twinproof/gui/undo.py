"""The app's one undo stack, made visible: every step names its pair, and undoing or redoing a
step of another pair first goes to that pair and then says what was undone.

Why one stack and not one per pair: a reviewer's Ctrl+Z means "take back what I just did", and
what they just did may have been on the previous look (a rejection, then J to the next pair).
Per-pair stacks would make the same key do different things depending on the pair on screen,
and the rejection just made would be out of reach from the next pair. One stack in the order
things were done, which always shows the pair it changes, keeps both promises: nothing is
undone out of sight, and nothing recent is out of reach.

Each step wraps a ``twinproof.review.commands`` object (``do``/``undo`` commit and audit); a
refused step (another reviewer changed the record: ``ConflictError``) is reported and dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from twinproof.review import ReviewError, ReviewStore

#: Called before a step is undone or redone: (pair id or None, "Undid …" / "Redid …").
Visit = Callable[[int | None, str], None]


class StoreCommand(QUndoCommand):
    def __init__(self, store: ReviewStore, command: Any, after: Callable[[], None],
                 error: Callable[[str], None], *, applied: bool = False, pair_id: int | None = None,
                 pair_name: str = "", visit: Visit | None = None) -> None:
        label = f"{command.text} on {pair_name}" if pair_name else command.text
        super().__init__(label)
        self.store, self.command, self.after, self.error = store, command, after, error
        self.pair_id, self.visit = pair_id, visit
        #: Already carried out by the caller (a decision, whose refusals need dialogs first):
        #: QUndoStack.push calls redo() once, which must then do nothing.
        self._skip_first_redo = applied
        #: The first redo() is QUndoStack.push carrying the step out: nothing to show then.
        self._pushed = False

    def _run(self, step: Callable[[ReviewStore], None], words: str) -> None:
        if self._pushed and self.visit is not None:
            self.visit(self.pair_id, f"{words} {self.text()}")
        self._pushed = True
        try:
            step(self.store)
        except ReviewError as exc:
            self.setObsolete(True)
            self.error(str(exc))
        self.after()

    def redo(self) -> None:
        if self._skip_first_redo:
            self._skip_first_redo = False
            self._pushed = True
            return
        self._run(self.command.do, "Redid")

    def undo(self) -> None:
        self._run(self.command.undo, "Undid")
