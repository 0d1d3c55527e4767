"""The evidence panel: the verdict, every measurement beside its limit, flags in words.

Clicking a flag shows where it is: the heat map of its kind (structure → SSIM, colour → ΔE;
face and body shape flags: the landmark overlay instead) is switched on, and when the flag
carries a region box (the face, skin, garment and body steps give one) the view zooms to it.
The panel only formats what the analysis dict says (``evidence``).
"""

from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from twinproof.gui import evidence
from twinproof.gui.session import PairState
from twinproof.gui.theme import VERDICT_COLOURS

SEVERITY_COLOURS = {"fail": VERDICT_COLOURS["fail"], "warn": VERDICT_COLOURS["review"]}
VERDICT_WORDS = {
    "pass": "Pass — no measurement crossed the policy's limits",
    "review": "Review — something needs a human look",
    "fail": "Fail — at least one measurement crossed a fail limit",
}
FLAG_ROLE = Qt.ItemDataRole.UserRole + 10


class MetricsPanel(QWidget):
    flag_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verdict = QLabel("No pair", self)
        self.verdict.setObjectName("VerdictLabel")
        self.verdict.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Measurement", "Value", "Warn / fail"])
        self.tree.headerItem().setToolTip(2, "The policy's limits: beyond the first the verdict is "
                                             "'review', beyond the second 'fail' (± = either way)")
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.itemClicked.connect(self._clicked)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.resizeSection(0, 165)
        header.resizeSection(1, 60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.verdict)
        layout.addWidget(self.tree, 1)

    def show_pair(self, state: PairState | None, progress: str = "") -> None:
        self.tree.clear()
        if state is None:
            self.verdict.setText("No pair selected")
            return
        result = state.result
        if state.error:
            self.verdict.setText(f"Cannot analyse {state.record.name}: {state.error}")
            return
        if result is None:
            self.verdict.setText(progress or f"{state.record.name}: not analysed yet")
            return
        verdict = str(result.get("verdict") or state.record.verdict or "")
        stale = "" if state.record.analysis_current else " (files changed since: re-analysing)"
        self.verdict.setText(VERDICT_WORDS.get(verdict, verdict) + stale)
        colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None])
        self.verdict.setStyleSheet(f"color: {colour};")
        flags = evidence.flags_of(result)
        self._section(f"Flags ({len(flags)})" if flags else "Flags: none")
        for f in flags:
            limit = f"{f.get('severity', '')} at {f.get('threshold', '')}"
            category = str(f.get("category", "")).replace("_", " ")
            region = str(f.get("region", ""))
            title = category if region in category or region in ("", "image") else f"{category} · {region}"
            item = QTreeWidgetItem([title,
                                    f"{f.get('value', '')}", limit])
            item.setData(0, FLAG_ROLE, f)
            item.setToolTip(0, "Click to show where")
            sev = SEVERITY_COLOURS.get(str(f.get("severity")))
            if sev:
                item.setForeground(2, QBrush(QColor(sev)))
            self.tree.addTopLevelItem(item)
            words = QTreeWidgetItem([self._wrap(str(f.get("message", "")))])
            words.setToolTip(0, str(f.get("message", "")))
            words.setData(0, FLAG_ROLE, f)
            words.setFirstColumnSpanned(True)
            words.setForeground(0, QBrush(QColor(190, 190, 190)))
            self.tree.addTopLevelItem(words)
            words.setFirstColumnSpanned(True)
        group = None
        for row in evidence.metric_rows(result):
            if row.group != group:
                group = row.group
                self._section(group or "Measurements")
            self._row(row)
        missing = result.get("missing_required") or []
        if missing:
            self._row(evidence.MetricRow("Required but missing", ", ".join(missing), "", "warn"))
        self._section("Alignment (twin → real)")
        for row in evidence.registration_rows(result):
            self._row(row)
        self._section("Provenance of the twin (C2PA)")
        for row in evidence.provenance_rows(result):
            self._row(row)

    def _section(self, title: str) -> None:
        item = QTreeWidgetItem([title])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor(170, 170, 170)))
        self.tree.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)

    def _row(self, row: evidence.MetricRow) -> None:
        unmeasured = row.value == "not measured" and bool(row.note)
        item = QTreeWidgetItem([row.label, "—" if unmeasured else row.value,
                                "not measured" if unmeasured else row.threshold or row.note])
        tip = "\n".join(t for t in (row.label, row.value, row.threshold, row.note) if t)
        for column in range(3):
            item.setToolTip(column, tip)
        sev = SEVERITY_COLOURS.get(row.severity or "")
        if sev:
            item.setForeground(1, QBrush(QColor(sev)))
        if unmeasured:
            item.setForeground(2, QBrush(QColor(150, 150, 150)))
        self.tree.addTopLevelItem(item)
        if unmeasured:  # why, in words, on its own full-width line (a column would clip it)
            why = QTreeWidgetItem([self._wrap(row.note, indent="   ")])
            why.setToolTip(0, row.note)
            why.setForeground(0, QBrush(QColor(150, 150, 150)))
            self.tree.addTopLevelItem(why)
            why.setFirstColumnSpanned(True)

    def _wrap(self, text: str, indent: str = "") -> str:
        """Break a sentence to the panel's width: a spanned tree row neither wraps nor scrolls,
        and an explanation cut off with '…' explains nothing."""
        metrics = self.tree.fontMetrics()
        width = max(200, self.tree.viewport().width() - 12)
        chars = max(24, int(width / max(1.0, metrics.averageCharWidth())) - 2)
        return textwrap.fill(text, chars, initial_indent=indent, subsequent_indent=indent)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        flag: dict[str, Any] | None = item.data(0, FLAG_ROLE)
        if flag:
            self.flag_clicked.emit(flag)
