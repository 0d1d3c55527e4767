"""The pair list: thumbnail, name, verdict, decision and worst flag; filters and sorting.

A ``QAbstractListModel`` over the session's pairs (it reads, never writes), a sort/filter
proxy that knows the review states and the metrics, and a delegate that paints each row.
Moving between pairs (arrows, J/K) walks the *proxy* order, so stepping follows what the
reviewer sees: only flagged pairs, worst SSIM first, and so on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from twinproof.core.result import Mode
from twinproof.gui import evidence
from twinproof.gui.session import PairState, ShootSession
from twinproof.gui.theme import DECISION_COLOURS, VERDICT_COLOURS, decision_text

STATE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
FILTERS = ("All pairs", "Unreviewed", "Flagged", "Approved", "Rejected", "Changes requested", "New shots",
           "Same frame")
SORTS = ("Shoot order", "Name", "Verdict (worst first)", "Mode (new shots first)", *evidence.SORT_KEYS)


def new_shot_reason(state: PairState) -> str | None:
    """Why the analysis judged this pair a new shot (None: one frame, or not analysed)."""
    r = state.typed
    if r is None or r.mode is not Mode.NEW_SHOT:
        return None
    return r.analysis.mode_reason or "another shot of the person"


def detail_text(state: PairState) -> str:
    """The row's third line: the error, the worst flag, or why a pair without flags still needs
    a look (a 'review' that read "no flags" sent the reviewer hunting for the reason)."""
    if state.error:
        return state.error
    if not state.analysed:
        return ""
    worst = evidence.worst_flag(state.typed)
    if worst:
        return str(worst.get("message", ""))
    missing = state.typed.missing_required if state.typed is not None else []
    return f"not measured: {', '.join(missing)}" if missing else "no flags"


Index = QModelIndex | QPersistentModelIndex


class PairListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session: ShootSession | None = None
        self.ids: list[int] = []

    def set_session(self, session: ShootSession | None) -> None:
        self.session = session
        if session is not None:
            session.pairs_reset.connect(self.reset)
            session.pair_changed.connect(self.pair_changed)
        self.reset()

    def reset(self) -> None:
        self.beginResetModel()
        self.ids = list(self.session.order) if self.session else []
        self.endResetModel()

    def pair_changed(self, pair_id: int) -> None:
        if pair_id in self.ids:
            row = self.ids.index(pair_id)
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.session is None:
            return None
        state = self.session.pairs.get(self.ids[index.row()])
        if state is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return state.record.name
        if role == STATE_ROLE:
            return state
        if role == ID_ROLE:
            return state.id
        if role == Qt.ItemDataRole.ToolTipRole:  # all the row shortens with "…", whole
            worst = evidence.worst_flag(state.typed)
            detail = state.error or (worst.get("message", "") if worst else "")
            verdict = state.record.verdict if state.analysed else \
                f"analysis stale: {state.record.stale}" if state.record.stale else "not analysed"
            shot = new_shot_reason(state)
            mode = f"new shot: compared person to person ({shot})" if shot else ""
            lines = (state.record.name, f"{verdict} · {decision_text(state.record.state)}", mode, detail,
                     f"talent: {state.record.talent_name or 'not linked'}",
                     f"generator: {state.record.generator}" if state.record.generator else "",
                     state.record.real_path, state.record.twin_path)
            return "\n".join(t for t in lines if t)
        return None

    def row_of(self, pair_id: int) -> int:
        return self.ids.index(pair_id) if pair_id in self.ids else -1


class PairFilter(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mode = FILTERS[0]
        self.sort_key = SORTS[0]

    def set_filter(self, mode: str) -> None:
        self.mode = mode
        self.invalidate()

    def set_sort(self, key: str) -> None:
        self.sort_key = key
        self.invalidate()
        self.sort(0)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        state: PairState = self.sourceModel().index(row, 0, parent).data(STATE_ROLE)
        if state is None or self.mode == "All pairs":
            return True
        s = state.record.state
        return {
            "Unreviewed": s == "unreviewed",
            "Flagged": bool(evidence.flags_of(state.typed)) or bool(state.error),
            "Approved": s in ("approved", "approved_with_changes"),
            "Rejected": s == "rejected",
            "Changes requested": s == "changes_requested",
            "New shots": new_shot_reason(state) is not None,
            "Same frame": state.result is not None and new_shot_reason(state) is None,
        }.get(self.mode, True)

    def _key(self, state: PairState) -> tuple[Any, ...]:
        if self.sort_key == "Name":
            return (state.record.name.casefold(),)
        if self.sort_key.startswith("Mode"):
            return (new_shot_reason(state) is None, state.id)
        if self.sort_key.startswith("Verdict"):
            return (-evidence.VERDICT_RANK.get(state.record.verdict or "", 0), state.id)
        if self.sort_key in evidence.SORT_KEYS:
            value = evidence.metric_value(state.typed, *evidence.SORT_KEYS[self.sort_key])
            # lower SSIM is worse; higher ΔE is worse: show the worst first either way
            if value is None:
                return (True, 0.0)
            if self.sort_key in evidence.LOWER_IS_WORSE:
                return (False, value)
            return (False, -abs(value))
        return (state.id,)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(STATE_ROLE), right.data(STATE_ROLE)
        if a is None or b is None:
            return False
        return self._key(a) < self._key(b)


class PairDelegate(QStyledItemDelegate):
    """Thumbnail on the left; name, verdict · decision, and the worst flag on three lines."""

    THUMB = 64

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, self.THUMB + 12)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        state: PairState | None = index.data(STATE_ROLE)
        if state is None:
            return
        painter.save()
        rect: QRect = option.rect
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(78, 78, 78))
        thumb = QRect(rect.left() + 6, rect.top() + 6, self.THUMB, self.THUMB)
        painter.fillRect(thumb, QColor(30, 30, 30))
        if state.thumbnail is not None and not state.thumbnail.isNull():
            scaled = state.thumbnail.size().scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(thumb.center())
            painter.drawImage(target, state.thumbnail)
        if new_shot_reason(state) is not None:
            self._badge(painter, thumb, "new shot")
        x = thumb.right() + 10
        width = rect.right() - x - 6
        line = option.fontMetrics.height() + 2
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor(235, 235, 235))
        top = rect.top() + 6
        painter.drawText(QRect(x, top, width, line), Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(state.record.name, Qt.TextElideMode.ElideRight, width))
        painter.setFont(option.font)
        verdict = state.record.verdict if state.analysed else None
        self._dot(painter, x, top + line, VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None]))
        self._dot(painter, x + 12, top + line, DECISION_COLOURS.get(state.record.state, "#7a7a7a"))
        stars = f"  {'★' * state.rating}" if state.rating else ""
        status = f"{verdict or ('error' if state.error else 'stale' if state.record.stale else 'not analysed')} · " \
                 f"{decision_text(state.record.state)}{stars}"
        painter.setPen(QColor(200, 200, 200))
        painter.drawText(QRect(x + 26, top + line, width - 26, line), Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(status, Qt.TextElideMode.ElideRight, width - 26))
        detail = detail_text(state)
        painter.setPen(QColor(160, 160, 160))
        painter.drawText(QRect(x, top + 2 * line, width, line), Qt.AlignmentFlag.AlignVCenter,
                         option.fontMetrics.elidedText(detail, Qt.TextElideMode.ElideRight, width))
        painter.restore()

    @staticmethod
    def _badge(painter: QPainter, thumb: QRect, text: str) -> None:
        """A small label across the thumbnail's foot: the pair is compared person to person."""
        font = QFont(painter.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
        font.setBold(True)
        painter.setFont(font)
        height = painter.fontMetrics().height() + 2
        band = QRect(thumb.left(), thumb.bottom() - height + 1, thumb.width(), height)
        painter.fillRect(band, QColor(10, 132, 255, 220))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(band, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _dot(painter: QPainter, x: int, y: int, colour: str) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawEllipse(x, y + 5, 8, 8)


class PairList(QWidget):
    """The list with its filter and sort controls (the left dock)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PairListModel(self)
        self.proxy = PairFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(True)
        self.view = QListView(self)
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(PairDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.filter = QComboBox(self)
        self.filter.addItems(FILTERS)
        self.filter.currentTextChanged.connect(self.proxy.set_filter)
        self.sort = QComboBox(self)
        self.sort.addItems(SORTS)
        # the longest measurement name must not widen the whole list; the popup shows it whole
        self.sort.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort.setMinimumContentsLength(12)
        self.sort.view().setMinimumWidth(self.sort.view().sizeHintForColumn(0) + 24)
        self.sort.currentTextChanged.connect(self.proxy.set_sort)
        self.filter.setToolTip("Show only some pairs")
        self.sort.setToolTip("Order of the list (metrics: worst first)")
        # one control a row: side by side they made the list (and so the window) too wide
        controls = QFormLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(4)
        controls.addRow("Show", self.filter)
        controls.addRow("Sort", self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)

    def visible_ids(self) -> list[int]:
        return [self.proxy.index(r, 0).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    def select(self, pair_id: int) -> None:
        row = self.model.row_of(pair_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row))
        if index.isValid() and self.view.currentIndex() != index:
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
