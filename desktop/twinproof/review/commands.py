"""Undoable edits: command objects with ``do``/``undo`` that apply and store each change.

The GUI wraps each in a ``QUndoCommand`` (``redo`` -> ``do``, ``undo`` -> ``undo``) on a
``QUndoStack``; ``UndoStack`` here is the same contract without Qt for the CLI and tests.
Every ``do`` and ``undo`` is a committed, audited change that first checks the fields it
writes still hold what it expects (``before`` for do, ``after`` for undo; deleted or not), so
undoing after a colleague edited the same mark raises ``ConflictError`` instead of wiping
their edit. Field checks rather than version numbers, because a command's own later
siblings on the stack legitimately bump the version of the same annotation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from twinproof.review.annotations import (
    DEFAULT_COLOUR,
    Flag,
    add_annotation,
    delete_annotation,
    fields,
    restore_annotation,
    set_resolved,
    update_annotation,
)
from twinproof.review.db import ReviewStore
from twinproof.review.decisions import DecisionState, decide, decision_history
from twinproof.review.errors import ConflictError
from twinproof.review.geometry import AnnotationKind, Bounds, fit, translate
from twinproof.review.ratings import rate
from twinproof.review.records import AnnotationRecord, DecisionRecord
from twinproof.review.shoots import get_pair
from twinproof.review.talent import link_talent


class Command(Protocol):
    """What a QUndoCommand wrapper needs: a label and the two directions."""

    @property
    def text(self) -> str: ...

    def do(self, store: ReviewStore) -> None: ...

    def undo(self, store: ReviewStore) -> None: ...


@dataclass
class AddAnnotation:
    """Draw a mark; undo soft-deletes it, redo restores the same row (same id)."""

    pair_id: int
    kind: AnnotationKind | str
    geometry: dict[str, Any]
    image_size: tuple[int, int]
    colour: str = DEFAULT_COLOUR
    body: str = ""
    flag: Flag | None = None
    annotation_id: int | None = None

    @property
    def text(self) -> str:
        return f"Add {AnnotationKind(self.kind).value}"

    def do(self, store: ReviewStore) -> None:
        if self.annotation_id is None:
            rec = add_annotation(store, self.pair_id, self.kind, self.geometry,
                                 image_size=self.image_size, colour=self.colour,
                                 text=self.body, flag=self.flag)
            self.annotation_id = rec.id
        else:
            restore_annotation(store, self.annotation_id)

    def undo(self, store: ReviewStore) -> None:
        assert self.annotation_id is not None, "undo before do"
        delete_annotation(store, self.annotation_id)


@dataclass
class DeleteAnnotation:
    annotation_id: int

    @property
    def text(self) -> str:
        return "Delete annotation"

    def do(self, store: ReviewStore) -> None:
        delete_annotation(store, self.annotation_id)

    def undo(self, store: ReviewStore) -> None:
        restore_annotation(store, self.annotation_id)


@dataclass
class EditAnnotation:
    """Any field change (geometry, text, colour, flag): ``before`` and ``after`` values."""

    annotation_id: int
    before: dict[str, Any]
    after: dict[str, Any]
    label: str = "Edit annotation"

    @property
    def text(self) -> str:
        return self.label

    def do(self, store: ReviewStore) -> None:
        update_annotation(store, self.annotation_id, expected_version=None, expect=self.before,
                          **self.after)

    def undo(self, store: ReviewStore) -> None:
        update_annotation(store, self.annotation_id, expected_version=None, expect=self.after,
                          **self.before)


def _edit(rec: AnnotationRecord, label: str, **after: Any) -> EditAnnotation:
    current = fields(rec)
    return EditAnnotation(rec.id, {k: current[k] for k in after}, after, label)


def move(rec: AnnotationRecord, dx: float, dy: float) -> EditAnnotation:
    return _edit(rec, "Move annotation", geometry=translate(rec.kind, rec.geometry, dx, dy))


def resize(rec: AnnotationRecord, new_bounds: Bounds) -> EditAnnotation:
    return _edit(rec, "Resize annotation", geometry=fit(rec.kind, rec.geometry, new_bounds))


def reshape(rec: AnnotationRecord, geometry: dict[str, Any]) -> EditAnnotation:
    """Any new geometry (e.g. dragging one end of an arrow)."""
    return _edit(rec, "Reshape annotation", geometry=geometry)


def edit_text(rec: AnnotationRecord, text: str) -> EditAnnotation:
    return _edit(rec, "Edit annotation text", text=text)


def recolour(rec: AnnotationRecord, colour: str) -> EditAnnotation:
    return _edit(rec, "Change annotation colour", colour=colour)


def link_flag(rec: AnnotationRecord, flag: Flag | None) -> EditAnnotation:
    return _edit(rec, "Link annotation to flag", flag=flag)


def delete(rec: AnnotationRecord) -> DeleteAnnotation:
    return DeleteAnnotation(rec.id)


@dataclass
class Resolve:
    """Mark a mark's thread resolved (or reopen it); undo does the opposite. Each direction is
    refused when a colleague already changed that state (``set_resolved`` raises)."""

    annotation_id: int
    resolved: bool = True

    @property
    def text(self) -> str:
        return "Resolve mark" if self.resolved else "Reopen mark"

    def do(self, store: ReviewStore) -> None:
        set_resolved(store, self.annotation_id, self.resolved)

    def undo(self, store: ReviewStore) -> None:
        set_resolved(store, self.annotation_id, not self.resolved)


@dataclass
class Decide:
    """A decision; undo records a new decision restoring the previous one (history is kept,
    and the rules apply again: undoing back to "approved" after consent expired is refused).
    Undo refuses if the pair's newest decision is no longer the one this command's last step
    left (compared by content, as sibling commands on the stack add rows of their own)."""

    pair_id: int
    state: DecisionState | str
    reasons: tuple[str, ...] = ()
    reason_text: str | None = None
    comment: str | None = None
    override: str | None = None
    expected_version: int | None = None
    previous: DecisionRecord | None = None
    made: DecisionRecord | None = None

    @property
    def text(self) -> str:
        return f"Decide {DecisionState(self.state).value.replace('_', ' ')}"

    def _apply(self, store: ReviewStore, state: DecisionState | str, reasons: tuple[str, ...],
               reason_text: str | None, override: str | None, comment: str | None) -> None:
        history = decision_history(store, self.pair_id)
        newest = history[-1] if history else None
        expected = self.expected_version
        if self.made is not None:  # undo/redo: the pair must still stand as our last step left it
            left = (self.made.state, self.made.reasons, self.made.reviewer)
            if newest is None or (newest.state, newest.reasons, newest.reviewer) != left:
                raise ConflictError("another reviewer decided on this pair since; reload")
            expected = get_pair(store, self.pair_id).version
        elif newest is not None:
            self.previous = newest
        self.made = decide(store, self.pair_id, state, reasons=reasons, reason_text=reason_text,
                           comment=comment, override=override, expected_version=expected)

    def do(self, store: ReviewStore) -> None:
        self._apply(store, self.state, self.reasons, self.reason_text, self.override,
                    self.comment)

    def undo(self, store: ReviewStore) -> None:
        p = self.previous
        if p is None:
            self._apply(store, DecisionState.UNREVIEWED, (), None, None, "undo")
        else:
            self._apply(store, p.state, tuple(p.reasons), p.reason_text,
                        p.override_justification, "undo")


@dataclass
class LinkTalent:
    """Say who the real person of a pair is (``talent`` None: unlink). Undo links back whoever
    was linked before; each direction first checks the pair still has the talent the other
    left, so undoing never unlinks a person a colleague linked meanwhile."""

    pair_id: int
    talent: int | str | None
    before: int | None = None
    after: int | None = None
    done_once: bool = False

    @property
    def text(self) -> str:
        return "Unlink talent" if self.talent is None else f"Link talent {self.talent}"

    def _set(self, store: ReviewStore, expect: int | None, to: int | str | None) -> None:
        pair = get_pair(store, self.pair_id)
        if pair.talent_id != expect:
            raise ConflictError(f"the talent of {pair.name!r} was changed by another reviewer "
                                "since; nothing was overwritten - reload")
        link_talent(store, [self.pair_id], to, [pair.version])

    def do(self, store: ReviewStore) -> None:
        if not self.done_once:
            self.before = get_pair(store, self.pair_id).talent_id
        self._set(store, self.before, self.talent)
        self.after = get_pair(store, self.pair_id).talent_id
        self.done_once = True

    def undo(self, store: ReviewStore) -> None:
        self._set(store, self.after, self.before)


@dataclass
class Rate:
    """Give stars; undo gives back the stars the pair had (a new, audited rating row). Each
    direction refuses when another reviewer rated the pair in between (compared by stars)."""

    pair_id: int
    stars: int
    previous: int | None = None
    done_once: bool = False

    @property
    def text(self) -> str:
        return "Clear rating" if self.stars == 0 else f"Rate {self.stars} star{'s' if self.stars != 1 else ''}"

    def do(self, store: ReviewStore) -> None:
        if not self.done_once:
            self.previous = get_pair(store, self.pair_id).rating
            rate(store, self.pair_id, self.stars)
            self.done_once = True
        else:
            rate(store, self.pair_id, self.stars, expected_rating=self.previous or 0)

    def undo(self, store: ReviewStore) -> None:
        rate(store, self.pair_id, self.previous or 0, expected_rating=self.stars)


@dataclass
class UndoStack:
    """QUndoStack's contract without Qt: push runs ``do``; undo/redo walk the history.

    A step that raises (a conflict) leaves the stack where it was, so the user can reload.
    """

    store: ReviewStore
    done: list[Command] = field(default_factory=list)
    undone: list[Command] = field(default_factory=list)

    def push(self, command: Command) -> None:
        command.do(self.store)
        self.done.append(command)
        self.undone.clear()

    def undo(self) -> None:
        if not self.done:
            return
        self.done[-1].undo(self.store)
        self.undone.append(self.done.pop())

    def redo(self) -> None:
        if not self.undone:
            return
        self.undone[-1].do(self.store)
        self.done.append(self.undone.pop())

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)
