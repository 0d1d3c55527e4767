"""Annotations on a pair and comment threads, each change committed and audited as made.

Edits take the ``expected_version`` the caller last saw, or ``expect`` (the values of the
fields being changed as the caller last saw them), so two reviewers moving the same mark cannot
silently overwrite each other (``ConflictError``). Undo commands use ``expect``: their own
earlier steps bump the version, but the fields they touch must still hold what they left. Deletion is soft
(``deleted_at``): undoing a delete just clears it, and nothing a reviewer wrote is lost.
The undoable command objects wrapping these functions are in ``twinproof.review.commands``.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinproof.review import models as m
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.errors import ConflictError, NotFoundError, ReviewError
from twinproof.review.geometry import AnnotationKind, validate_colour, validate_geometry
from twinproof.review.records import AnnotationRecord, CommentRecord
from twinproof.review.shoots import load_pair

DEFAULT_COLOUR: Final = "#ff3b30"
KEEP: Final[Any] = object()  # "leave this field as it is" in update_annotation
#: A flag link: the measurement the flag judged (``flag.metric``, e.g. "face.changes.lips.percent").
Flag = str


def _load(session: Session, annotation_id: int, expected_version: int | None) -> m.Annotation:
    row = session.get(m.Annotation, annotation_id)
    if row is None:
        raise NotFoundError(f"no annotation with id {annotation_id}")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            f"annotation {annotation_id} was changed by {row.updated_by} (now version "
            f"{row.version}, you had {expected_version}); nothing was overwritten - reload"
        )
    return row


def fields(row: m.Annotation | AnnotationRecord) -> dict[str, Any]:
    """The editable fields, keyed as ``update_annotation`` takes them."""
    return {"geometry": dict(row.geometry), "text": row.text, "colour": row.colour,
            "flag": row.flag_metric}


def _audit(session: Session, store: ReviewStore, row: m.Annotation, action: str,
           **detail: Any) -> None:
    record(session, store.reviewer, AuditEventKind.ANNOTATION,
           f"{row.kind} #{row.id} {action}", pair_id=row.pair_id, annotation_id=row.id,
           action=action, **detail)


def add_annotation(
    store: ReviewStore,
    pair_id: int,
    kind: AnnotationKind | str,
    geometry: dict[str, Any],
    *,
    image_size: tuple[int, int],
    colour: str = DEFAULT_COLOUR,
    text: str = "",
    flag: Flag | None = None,
) -> AnnotationRecord:
    """Mark the REAL image of a pair; ``image_size`` is its (width, height) in pixels."""
    clean = validate_geometry(kind, geometry)
    width, height = image_size
    if width <= 0 or height <= 0:
        raise ReviewError(f"image size must be positive, not {image_size}")
    with store.transaction() as session:
        load_pair(session, pair_id)
        row = m.Annotation(
            pair_id=pair_id, kind=AnnotationKind(kind).value, geometry=clean,
            image_width=width, image_height=height, colour=validate_colour(colour), text=text,
            flag_metric=flag or None,
            author=store.reviewer, updated_by=store.reviewer,
        )
        session.add(row)
        session.flush()
        _audit(session, store, row, "added", geometry=clean, text=text, flag=flag)
        return AnnotationRecord.of(row)


def update_annotation(
    store: ReviewStore,
    annotation_id: int,
    *,
    expected_version: int | None,
    geometry: dict[str, Any] = KEEP,
    text: str = KEEP,
    colour: str = KEEP,
    flag: Flag | None = KEEP,
    expect: dict[str, Any] | None = None,
) -> AnnotationRecord:
    """Move/resize (new geometry), edit text, recolour or (un)link a flag; KEEP = unchanged."""
    with store.transaction() as session:
        row = _load(session, annotation_id, expected_version)
        if row.deleted_at is not None:
            raise ReviewError(f"annotation {annotation_id} is deleted; undo the delete first")
        for key, value in (expect or {}).items():
            if fields(row)[key] != (validate_geometry(row.kind, value)
                                    if key == "geometry" else value):
                raise ConflictError(
                    f"the {key} of annotation {annotation_id} was changed by {row.updated_by}"
                    " since; nothing was overwritten - reload"
                )
        changes: dict[str, Any] = {}
        if geometry is not KEEP:
            changes["geometry"] = validate_geometry(row.kind, geometry)
        if text is not KEEP:
            changes["text"] = text
        if colour is not KEEP:
            changes["colour"] = validate_colour(colour)
        if flag is not KEEP:
            changes["flag_metric"] = flag or None
            # a link made anew replaces one made the old way (category, region)
            row.flag_category = row.flag_region = None
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at, row.updated_by = m.utcnow(), store.reviewer
        session.flush()
        _audit(session, store, row, "edited", **changes)
        return AnnotationRecord.of(row)


def _set_deleted(store: ReviewStore, annotation_id: int, expected_version: int | None,
                 deleted: bool) -> AnnotationRecord:
    with store.transaction() as session:
        row = _load(session, annotation_id, expected_version)
        if (row.deleted_at is not None) == deleted:
            raise ConflictError(
                f"annotation {annotation_id} was already {'deleted' if deleted else 'restored'}"
                f" by {row.updated_by}; reload"
            )
        row.deleted_at = m.utcnow() if deleted else None
        row.updated_at, row.updated_by = m.utcnow(), store.reviewer
        session.flush()
        _audit(session, store, row, "deleted" if deleted else "restored")
        return AnnotationRecord.of(row)


def delete_annotation(store: ReviewStore, annotation_id: int,
                      expected_version: int | None = None) -> AnnotationRecord:
    """Soft-delete (hidden from listings, restorable)."""
    return _set_deleted(store, annotation_id, expected_version, True)


def restore_annotation(store: ReviewStore, annotation_id: int,
                       expected_version: int | None = None) -> AnnotationRecord:
    return _set_deleted(store, annotation_id, expected_version, False)


def set_resolved(store: ReviewStore, annotation_id: int, resolved: bool = True,
                 expected_version: int | None = None) -> AnnotationRecord:
    """Mark a mark's thread resolved (or reopen it), audited; resolving twice is a conflict
    so two reviewers acting at once learn of each other."""
    with store.transaction() as session:
        row = _load(session, annotation_id, expected_version)
        if (row.resolved_at is not None) == resolved:
            state = "resolved" if resolved else "reopened"
            raise ConflictError(f"annotation {annotation_id} was already {state} by "
                                f"{row.resolved_by or row.updated_by}; reload")
        row.resolved_at = m.utcnow() if resolved else None
        row.resolved_by = store.reviewer if resolved else None
        session.flush()
        _audit(session, store, row, "resolved" if resolved else "reopened")
        return AnnotationRecord.of(row)


def get_annotation(store: ReviewStore, annotation_id: int) -> AnnotationRecord:
    with store.transaction() as session:
        return AnnotationRecord.of(_load(session, annotation_id, None))


def list_annotations(store: ReviewStore, pair_id: int, *,
                     include_deleted: bool = False) -> list[AnnotationRecord]:
    query = select(m.Annotation).where(m.Annotation.pair_id == pair_id).order_by(m.Annotation.id)
    if not include_deleted:
        query = query.where(m.Annotation.deleted_at.is_(None))
    with store.transaction() as session:
        return [AnnotationRecord.of(r) for r in session.scalars(query)]


def add_comment(store: ReviewStore, pair_id: int, text: str,
                annotation_id: int | None = None) -> CommentRecord:
    """A comment on the pair, or a reply in the thread of an annotation (a pin's thread)."""
    if not text.strip():
        raise ReviewError("a comment cannot be empty")
    with store.transaction() as session:
        pair = load_pair(session, pair_id)
        if annotation_id is not None and _load(session, annotation_id, None).pair_id != pair_id:
            raise ReviewError(f"annotation {annotation_id} is not on pair {pair.name!r}")
        row = m.Comment(pair_id=pair_id, annotation_id=annotation_id, author=store.reviewer,
                        text=text)
        session.add(row)
        session.flush()
        record(session, store.reviewer, AuditEventKind.COMMENT,
               f"{pair.name}: comment #{row.id}" + (f" on #{annotation_id}" if annotation_id else ""),
               pair_id=pair_id, shoot_id=pair.shoot_id, comment_id=row.id,
               annotation_id=annotation_id, text=text)
        return CommentRecord.of(row)


def delete_comment(store: ReviewStore, comment_id: int, *, deleted: bool = True) -> CommentRecord:
    """Hide a comment (``deleted=False`` brings it back); the text stays in the record."""
    with store.transaction() as session:
        row = session.get(m.Comment, comment_id)
        if row is None:
            raise NotFoundError(f"no comment with id {comment_id}")
        row.deleted_at = m.utcnow() if deleted else None
        record(session, store.reviewer, AuditEventKind.COMMENT,
               f"comment #{row.id} {'deleted' if deleted else 'restored'}", pair_id=row.pair_id,
               comment_id=row.id, action="deleted" if deleted else "restored")
        return CommentRecord.of(row)


def list_comments(store: ReviewStore, pair_id: int,
                  annotation_id: int | None = None) -> list[CommentRecord]:
    """A pair's comments (all of them), or one annotation's thread; oldest first."""
    query = select(m.Comment).where(m.Comment.pair_id == pair_id, m.Comment.deleted_at.is_(None))
    if annotation_id is not None:
        query = query.where(m.Comment.annotation_id == annotation_id)
    with store.transaction() as session:
        return [CommentRecord.of(r) for r in session.scalars(query.order_by(m.Comment.id))]
