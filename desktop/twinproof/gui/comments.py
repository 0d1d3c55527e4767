"""The comments panel: every mark of the pair on screen with its replies, and its resolved
state, as proofing tools (Frame.io, Ziflow) list them.

A mark's checkbox resolves or reopens its thread (an undoable, audited change: the window
puts a ``review.commands.Resolve`` on the undo stack); clicking a mark zooms to it and selects
it; "Hide resolved" takes resolved marks off the list and off the images. Comments on the
pair itself (not on a mark) are listed too. The panel only reads; the window writes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from twinproof import review
from twinproof.review import AnnotationRecord, ReviewStore

MARK_ROLE = Qt.ItemDataRole.UserRole
KIND_WORDS = {"rectangle": "Box", "ellipse": "Ellipse", "arrow": "Arrow", "freehand": "Drawing", "pin": "Pin"}


def _when(record: Any) -> str:
    return record.created_at.astimezone().strftime("%d %b %H:%M")


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
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Comment", "By", "When"])
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, self.tree.header().ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, self.tree.header().ResizeMode.ResizeToContents)
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
            item = QTreeWidgetItem([f"{n}. {KIND_WORDS.get(mark.kind, mark.kind)}: {words}", mark.author,
                                    _when(mark)])
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
                child = QTreeWidgetItem([c.text, c.author, _when(c)])
                child.setToolTip(0, c.text)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
        on_pair = replies.get(None, [])
        if on_pair:
            group = QTreeWidgetItem(["On the pair", "", ""])
            for c in on_pair:
                child = QTreeWidgetItem([c.text, c.author, _when(c)])
                child.setToolTip(0, c.text)
                group.addChild(child)
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
            self.resolve_requested.emit(mark.id, resolved)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        mark = self.selected_mark() if item is self.tree.currentItem() else item.data(0, MARK_ROLE)
        if mark is not None:
            self.mark_chosen.emit(mark)

    def _reply(self) -> None:
        mark = self.selected_mark()
        if mark is not None:
            self.reply_requested.emit(mark)

    def _hide_toggled(self, on: bool) -> None:
        self.refresh()
        self.hide_resolved_changed.emit(on)
