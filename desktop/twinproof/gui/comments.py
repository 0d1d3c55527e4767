"""The comments panel: every mark of the pair on screen with its replies, and its resolved
state, as proofing tools (Frame.io, Ziflow) list them.

A mark's checkbox resolves or reopens its thread (an undoable, audited change: the window
puts a ``review.commands.Resolve`` on the undo stack); clicking a mark zooms to it and selects
it; "Hide resolved" takes resolved marks off the list and off the images. Comments on the
pair itself (not on a mark) are listed too. The panel only reads; the window writes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twinproof import review
from twinproof.review import AnnotationRecord, ReviewStore

MARK_ROLE = Qt.ItemDataRole.UserRole
KIND_WORDS = {"rectangle": "Box", "ellipse": "Ellipse", "arrow": "Arrow", "freehand": "Drawing", "pin": "Pin"}


class WrapDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the width they really get (the tree's own guess
    ignores the indentation and the check box, and cut the last line to "…")."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        check = 24 if index.data(Qt.ItemDataRole.CheckStateRole) is not None else 0
        width = max(80, self.tree.viewport().width() - self.tree.indentation() * (depth + 1) - check - 12)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(width, rect.height() + 6)


def _byline(record: Any) -> str:
    return f"— {record.author}, {record.created_at.astimezone():%d %b %H:%M}"


def _reply_item(comment: Any) -> QTreeWidgetItem:
    item = QTreeWidgetItem([f"{comment.text}\n{_byline(comment)}"])
    item.setToolTip(0, comment.text)
    return item


class CommentsPanel(QWidget):
    #: A mark's resolved box was ticked or cleared: (annotation id, resolved).
    resolve_requested = Signal(int, bool)
    #: A mark was clicked: show it (the AnnotationRecord).
    mark_chosen = Signal(object)
    reply_requested = Signal(object)
    pair_comment_requested = Signal()
    #: "Hide resolved" was switched (the images hide them too).
    hide_resolved_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: ReviewStore | None = None
        self.pair_id: int | None = None
        self.marks: list[AnnotationRecord] = []
        self.hide_box = QCheckBox("Hide resolved", self)
        self.hide_box.toggled.connect(self._hide_toggled)
        self.counts = QLabel("", self)
        # one column, wrapped: who and when go on a line of their own under each comment, so a
        # narrow dock shows every word instead of "Same in the re…"
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrapDelegate(self.tree))
        self.tree.itemChanged.connect(self._changed)
        self.tree.itemClicked.connect(self._clicked)
        reply, comment = QPushButton("Reply…", self), QPushButton("Comment on the pair…", self)
        reply.clicked.connect(self._reply)
        comment.clicked.connect(self.pair_comment_requested.emit)
        top = QHBoxLayout()
        top.addWidget(self.hide_box)
        top.addStretch(1)
        top.addWidget(self.counts)
        bottom = QHBoxLayout()
        bottom.addWidget(reply)
        bottom.addWidget(comment)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)

    def show_pair(self, store: ReviewStore | None, pair_id: int | None) -> None:
        self.store, self.pair_id = store, pair_id
        self.refresh()

    def refresh(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.marks = []
        if self.store is not None and self.pair_id is not None:
            self.marks = review.list_annotations(self.store, self.pair_id)
            comments = review.list_comments(self.store, self.pair_id)
            self._fill(comments)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        resolved = sum(m.resolved for m in self.marks)
        self.counts.setText(f"{len(self.marks)} mark(s), {resolved} resolved" if self.marks else "no marks")

    def _fill(self, comments: list[Any]) -> None:
        replies: dict[int | None, list[Any]] = {}
        for c in comments:
            replies.setdefault(c.annotation_id, []).append(c)
        for n, mark in enumerate(self.marks, start=1):
            if mark.resolved and self.hide_box.isChecked():
                continue
            words = mark.text or "(no comment)"
            item = QTreeWidgetItem([f"{n}. {KIND_WORDS.get(mark.kind, mark.kind)}: {words}\n"
                                    f"{_byline(mark)}"])
            item.setData(0, MARK_ROLE, mark)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if mark.resolved else Qt.CheckState.Unchecked)
            done = f"resolved by {mark.resolved_by}, {mark.resolved_at.astimezone():%d %b %H:%M}" \
                if mark.resolved and mark.resolved_at else "open: tick to resolve"
            item.setToolTip(0, f"{words}\n{done}\nclick to show it on the images")
            if mark.resolved:
                font = item.font(0)
                font.setStrikeOut(True)
                item.setFont(0, font)
            for c in replies.get(mark.id, []):
                item.addChild(_reply_item(c))
            self.tree.addTopLevelItem(item)
        on_pair = replies.get(None, [])
        if on_pair:
            group = QTreeWidgetItem(["On the pair"])
            for c in on_pair:
                group.addChild(_reply_item(c))
            self.tree.addTopLevelItem(group)

    def item_of(self, annotation_id: int) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            mark = item.data(0, MARK_ROLE) if item is not None else None
            if mark is not None and mark.id == annotation_id:
                return item
        return None

    def selected_mark(self) -> AnnotationRecord | None:
        item = self.tree.currentItem()
        while item is not None and item.data(0, MARK_ROLE) is None:
            item = item.parent()
        return item.data(0, MARK_ROLE) if item is not None else None

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        mark = item.data(0, MARK_ROLE)
        if mark is None or column != 0:
            return
        resolved = item.checkState(0) == Qt.CheckState.Checked
        if resolved != mark.resolved:
            # after the tick's own setData has returned: resolving rebuilds this tree, and
            # deleting the item inside its own signal crashed the app (1 run in 3 of the test)
            QTimer.singleShot(0, lambda: self.resolve_requested.emit(mark.id, resolved))

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        mark = self.selected_mark() if item is self.tree.currentItem() else item.data(0, MARK_ROLE)
        if mark is not None:
            self.mark_chosen.emit(mark)

    def _reply(self) -> None:
        mark = self.selected_mark()
        if mark is not None:
            self.reply_requested.emit(mark)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.tree.doItemsLayout()  # wrapped rows take the height the new width needs

    def _hide_toggled(self, on: bool) -> None:
        self.refresh()
        self.hide_resolved_changed.emit(on)
