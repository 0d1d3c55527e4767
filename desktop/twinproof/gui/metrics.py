"""The evidence panel: the verdict, every measurement beside its limit, flags in words.

Clicking a flag shows where it is: the heat map of its kind (structure → SSIM, colour → ΔE;
face and body shape flags: the landmark overlay instead) is switched on, and when the flag
carries a region box (the face, skin, garment and body steps give one) the view zooms to it.
The panel only formats what the analysis dict says (``evidence``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from twinproof.core import plain_words
from twinproof.core.result import BY_PATH, Mode, Status
from twinproof.core.result.judge import breach_text
from twinproof.core.result.rows import value_text
from twinproof.core.result.types import Flag
from twinproof.gui import evidence
from twinproof.gui.rangestrip import HEIGHT, Range, RangeStrip, ranges
from twinproof.gui.rangestrip import STATUS_COLOURS as STRIP_WORDS
from twinproof.gui.session import PairState
from twinproof.gui.theme import VERDICT_COLOURS

SEVERITY_COLOURS = {"fail": VERDICT_COLOURS["fail"], "warn": VERDICT_COLOURS["review"]}
VERDICT_WORDS = {
    "pass": "Pass — no measurement crossed the policy's limits",
    "review": "Review — something needs a human look",
    "fail": "Fail — at least one measurement crossed a fail limit",
}
FLAG_ROLE = Qt.ItemDataRole.UserRole + 10
#: The measurement a row shows (its path under ``metrics``), so a flag and its row can be joined.
PATH_ROLE = Qt.ItemDataRole.UserRole + 11
#: A row's whole label and limits, before they are broken into lines to fit the panel.
TEXT_ROLE = Qt.ItemDataRole.UserRole + 12
#: Pixels a cell's text needs besides itself (the view's margins).
CELL_PAD = 14
#: The line naming what the rows under it were judged against (neutral, as all chrome, and italic).
YARDSTICK = QColor(185, 185, 185)


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
        # a steady width to lay the columns out in; everything is made to fit it
        self.tree.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.itemClicked.connect(self._clicked)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.resizeSection(0, 165)
        header.resizeSection(1, 60)
        self._shown: tuple[PairState | None, str] = (None, "")
        self._width = 0
        self._why = ""
        # a narrower or wider panel lays the rows out again (values whole, limits on two lines)
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(60)
        self._relayout.timeout.connect(lambda: self.show_pair(*self._shown))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.verdict)
        layout.addWidget(self.tree, 1)

    def show_pair(self, state: PairState | None, progress: str = "") -> None:
        scroll = self.tree.verticalScrollBar().value() if state is self._shown[0] else 0
        self._shown, self._width, self._why = (state, progress), self.tree.viewport().width(), ""
        self.tree.clear()
        self._fill(state, progress)
        self._fit_columns()
        # rows grew when their text was broken to fit: place the range strips on the rows again
        # (they were placed at the rows' first heights, and stayed there until a scroll)
        self.tree.doItemsLayout()
        self.tree.verticalScrollBar().setValue(scroll)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.tree.viewport().width() != self._width and self._shown[0] is not None:
            self._relayout.start()

    def _fill(self, state: PairState | None, progress: str) -> None:
        if state is None:
            self.verdict.setText("No pair selected")
            return
        if state.error:
            self.verdict.setText(f"Cannot analyse {state.record.name}: {state.error}")
            return
        if state.result is None:
            self.verdict.setText(progress or f"{state.record.name}: not analysed yet")
            return
        result = state.typed
        if result is None:
            why = evidence.unreadable(state.result) or "unknown format"
            self.verdict.setText(f"{state.record.name}: the stored analysis cannot be read ({why}); "
                                 "analyse it again (Ctrl+R)")
            return
        verdict = str(result.verdict)
        stale = ("" if state.record.up_to_date else " (files changed since: re-analysing)"
                 if not state.record.analysis_current else f" ({state.record.stale}: re-analysing)")
        words = VERDICT_WORDS.get(verdict, verdict)
        if result.missing_required and not result.flags:  # why a review without a flag, up front
            words += f"\nNot measured, but the policy requires it: {', '.join(result.missing_required)}"
        if result.mode is Mode.NEW_SHOT:
            # why, on screen in words (it was a tooltip in jargon), the technical reason after
            # the plain words only: the technical reason after them took half the panel on a
            # laptop (it is in the tooltip and under "How the pair was compared")
            why = plain_words.mode_reason(result.analysis.mode_reason)
            words += ("\nNew shot: compared person to person; pixel comparison not applicable."
                      f"\nWhy: {why.split(' (', 1)[0] if why != result.analysis.mode_reason else why}")
            self.verdict.setToolTip(f"Why a new shot: {why}")
        else:
            self.verdict.setToolTip("")
        self.verdict.setText(words + stale)
        colour = VERDICT_COLOURS.get(verdict, VERDICT_COLOURS[None])
        self.verdict.setStyleSheet(f"color: {colour};")
        flags = evidence.flags_of(result)
        self._section(f"Flags ({len(flags)})" if flags else "Flags: none")
        for f, typed_flag in zip(flags, sorted(result.flags, key=lambda x: x.severity != "fail"), strict=True):
            category = str(f.get("category", "")).replace("_", " ")
            region = str(f.get("region", ""))
            title = category if region in category or region in ("", "image") else f"{category} · {region}"
            desc = BY_PATH.get(typed_flag.metric)
            measured = result.value(typed_flag.metric)  # signed: "−7.8 %", not the magnitude judged
            shown = (value_text(desc, float(measured)) if desc and isinstance(measured, int | float)
                     else f"{typed_flag.value:g}")
            # plain words first ("Skin looks lighter"), the technical value beside ("+7.2° ITA")
            said = plain_words.finding(typed_flag.metric, float(measured)) \
                if isinstance(measured, int | float) else None
            title = said[:1].upper() + said[1:] if said else title
            item = QTreeWidgetItem([title, shown, breach_text(typed_flag)])
            item.setData(0, FLAG_ROLE, typed_flag)
            item.setData(0, TEXT_ROLE, (title, shown, breach_text(typed_flag), True))
            item.setToolTip(1, shown)
            item.setToolTip(0, "Click to show where" + (f"\n{desc.label}: {desc.explanation}" if desc else ""))
            sev = SEVERITY_COLOURS.get(str(f.get("severity")))
            if sev:
                item.setForeground(2, QBrush(QColor(sev)))
            self.tree.addTopLevelItem(item)
            message = str(f.get("message", ""))
            if "delta_e00" in typed_flag.metric:  # what the number means, where it is read
                message += f" — ΔE00 {plain_words.DE_SCALE}"
            words_item = QTreeWidgetItem([self._wrap(message)])
            words_item.setToolTip(0, str(f.get("message", "")))
            words_item.setData(0, FLAG_ROLE, typed_flag)
            words_item.setForeground(0, QBrush(QColor(190, 190, 190)))
            self.tree.addTopLevelItem(words_item)
            words_item.setFirstColumnSpanned(True)
        group, against, strips = None, "", ranges(result)
        metric_rows = evidence.metric_rows(result)
        # the yardstick: once when every row shares it (a same frame), else under each group
        single = len({r.against.words for r in metric_rows if r.against is not None}) <= 1
        for row in metric_rows:
            if row.group != group:
                group, against = row.group, against if single else ""
                self._section(group or "Measurements")
            if row.against is not None and row.against.words != against:
                against = row.against.words
                self._note(f"Judged {against}", tip=row.against.sentence, colour=YARDSTICK, italic=True)
            self._row(row)
            if row.path in strips:
                self._strip(strips[row.path])
        if result.missing_required:
            self._row(evidence.MetricRow("Required but missing", ", ".join(result.missing_required), "", "warn"))
        self._section("How the pair was compared")
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
        undecided = row.severity == "cannot judge"  # a new shot's value its uncertainty swamps
        missing = "not applicable" if row.inapplicable else "cannot judge" if undecided else "not measured"
        # a note in place of limits was cut in that narrow column ("phase correlation (translatio…"):
        # it gets a full-width line of its own below, unless it only repeats the value
        note_line = "" if unmeasured or undecided or row.threshold or row.note == row.value else row.note
        label = plain_words.label(row.path, row.label) if row.path else row.label
        item = QTreeWidgetItem([label, "—" if unmeasured else row.value,
                                missing if unmeasured or undecided else row.threshold])
        tip = "\n".join(t for t in (row.label, row.value, row.threshold, row.note, row.explanation) if t)
        for column in range(3):
            item.setToolTip(column, tip)
        item.setData(0, PATH_ROLE, row.path)
        # limits are laid out to fit; a note in their place stays one line (whole in the tooltip)
        # a measurement's value sizes its column; a text (the mode, a signer) wraps inside it
        limit = missing if unmeasured or undecided else row.threshold
        item.setData(0, TEXT_ROLE, (label, item.text(1), limit, bool(row.path)))
        sev = SEVERITY_COLOURS.get(row.severity or "")
        if sev:
            item.setForeground(1, QBrush(QColor(sev)))
        if unmeasured:
            for column in range(3 if row.inapplicable else 2, 3):
                item.setForeground(column, QBrush(QColor(150, 150, 150)))
            if row.inapplicable:
                item.setForeground(0, QBrush(QColor(120, 120, 120)))
        self.tree.addTopLevelItem(item)
        if note_line:
            self._note(note_line)
        if unmeasured and row.inapplicable and row.note == self._why:
            return  # the reason of the row above (a new shot's pixel comparisons): said once
        self._why = row.note if unmeasured and row.inapplicable else ""
        if undecided:
            for column in (1, 2):
                item.setForeground(column, QBrush(QColor(150, 150, 150)))
        if unmeasured or undecided:  # why, in words, on its own full-width line (a column would clip it)
            self._note(row.note)

    def _note(self, text: str, tip: str = "", colour: QColor | None = None, italic: bool = False) -> None:
        """A sentence on a full-width grey line of its own, broken to the panel's width."""
        line = QTreeWidgetItem([self._wrap(text, indent="   ")])
        line.setToolTip(0, tip or text)
        if italic:
            font = line.font(0)
            font.setItalic(True)
            line.setFont(0, font)
        line.setForeground(0, QBrush(colour or QColor(150, 150, 150)))
        self.tree.addTopLevelItem(line)
        line.setFirstColumnSpanned(True)

    def _strip(self, shown: Range) -> None:
        """Her range beside the twin's value, in words and drawn, on full-width lines under its row."""
        if shown.status is not Status.CANNOT_JUDGE:  # (its reason, on the line above, says it all)
            self._note(shown.words, colour=QColor(STRIP_WORDS.get(shown.status, "#9a9a9a")))
        line = QTreeWidgetItem([""])
        line.setSizeHint(0, QSize(0, HEIGHT))
        self.tree.addTopLevelItem(line)
        line.setFirstColumnSpanned(True)
        self.tree.setItemWidget(line, 0, RangeStrip(shown, self.tree))

    def _fit_columns(self) -> None:
        """Values whole, limits whole (issue 17: "+10.9…", "warn <0.7 · f…" at 1366 × 768):
        the value column as wide as its widest measurement; the limits on one line or, when
        that breaks fewer rows, each limit on a line of its own ("warn ±5" over "fail ±10");
        labels and texts (the mode, a signer) broken between words in what is left."""
        fm = self.tree.fontMetrics()
        items = [it for i in range(self.tree.topLevelItemCount()) if (it := self.tree.topLevelItem(i)) is not None]
        rows = [(it, it.data(0, TEXT_ROLE)) for it in items if it.data(0, TEXT_ROLE)]
        if not rows:
            return
        width = self.tree.viewport().width()

        def w(text: str) -> int:
            return fm.horizontalAdvance(text) + CELL_PAD

        # a text value (the mode, a signer, what is missing) breaks between words, never inside
        # one; the titles stay whole too ("Valu", "Measureme" when every value was '—')
        titles = self.tree.header().fontMetrics()
        header = [titles.horizontalAdvance(self.tree.headerItem().text(c)) + CELL_PAD for c in range(2)]
        value_w = min(max(header[1], *(w(value) for _, (_l, value, _t, measured) in rows if measured),
                          *(w(word) for _, (_l, value, _t, measured) in rows if not measured
                            for word in value.split())),
                      width * 2 // 5)
        limits = [limit for _, (_l, _v, limit, _m) in rows if limit]
        one_line = max((w(t) for t in limits), default=0)
        split = max((w(part) for t in limits for part in t.split(" · ")), default=0)

        def broken(label_col: int, two_lines: bool) -> int:
            """How many rows this layout puts on more than one line."""
            return sum(w(label) > label_col or (two_lines and " · " in limit) for _, (label, _v, limit, _m) in rows)

        layouts = [(broken(width - value_w - lim, two), two, width - value_w - lim)
                   for two, lim in ((False, one_line), (True, split))]
        _n, two_lines, label_col = min(layouts, key=lambda layout: (layout[0], layout[1]))
        # labels give way first, breaking between words, down to their longest word
        longest_word = max(header[0], *(w(word) for _, (label, *_r) in rows for word in label.split()))
        label_col = max(min(longest_word, width * 2 // 5), label_col)
        self.tree.header().resizeSection(0, label_col)
        self.tree.header().resizeSection(1, value_w)
        for item, (label, value, limit, measured) in rows:
            if limit:
                item.setText(2, limit.replace(" · ", "\n") if two_lines else limit)
            item.setText(0, self._lines(label, label_col) if w(label) > label_col else label)
            if not measured and w(value) > value_w:
                item.setText(1, self._lines(value, value_w))

    def _lines(self, text: str, column: int, indent: str = "") -> str:
        """Text broken between words to fit a column (pixels), each line indented."""
        fm = self.tree.fontMetrics()
        lines: list[str] = []
        for word in text.split():
            if lines and fm.horizontalAdvance(f"{lines[-1]} {word}") + CELL_PAD <= column:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(indent + word)
        return "\n".join(lines)

    def _wrap(self, text: str, indent: str = "") -> str:
        """Break a sentence to the panel's width: a spanned tree row neither wraps nor scrolls,
        and an explanation cut off with '…' explains nothing."""
        return self._lines(text, max(120, self.tree.viewport().width() - 8), indent)

    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        flag: Flag | None = item.data(0, FLAG_ROLE)
        if flag is not None:
            self.flag_clicked.emit(flag)  # typed, as the core made it
