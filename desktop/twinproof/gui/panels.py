"""The decision bar under the images and the audit-trail dock.

The bar's buttons are the registry's actions (same keys, same menus), so a decision made
with P, from the Review menu or with the mouse runs the same code. The audit view reads
``review.audit_rows`` for the pair on screen or the whole shoot, newest first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from twinproof import review
from twinproof.gui.actionids import ActionId
from twinproof.gui.decisions import consent_status
from twinproof.gui.elided import WrappedLabel
from twinproof.gui.session import ShootSession
from twinproof.gui.theme import DECISION_COLOURS, VERDICT_COLOURS

DECISION_BUTTONS = (ActionId.DECIDE_APPROVE, ActionId.DECIDE_CHANGES, ActionId.DECIDE_REJECT,
                    ActionId.DECIDE_CLEAR)


class DecisionBar(QWidget):
    """Three rows: the decision in words (state, who, when, stars, why); the pair's talent and
    consent; the decision buttons and Talent…. Texts wrap onto a second line rather
    than shortening: "approved ·…" hid who decided, when and the stars in a tooltip (issue 26),
    and a wrapping label asks for no width, so the bar still fits a 1280 px window."""

    def __init__(self, actions: dict[ActionId, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DecisionBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.dot = QLabel("●", self)
        self.state = WrappedLabel("—", self)
        self.consent_dot = QLabel("●", self)
        self.consent = WrappedLabel("", self)
        self.consent.setObjectName("ConsentLabel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        outer.setSpacing(2)
        # the words get the bar's whole width (beside the buttons they wrapped word by word)
        for dot, words in ((self.dot, self.state), (self.consent_dot, self.consent)):
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(dot, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(words, 1)
            outer.addLayout(row)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        outer.addLayout(buttons)
        for key in DECISION_BUTTONS:
            button = QToolButton(self)
            button.setDefaultAction(actions[key])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        talent = QToolButton(self)
        talent.setDefaultAction(actions[ActionId.PAIR_TALENT])
        buttons.addWidget(talent)

    def show_pair(self, session: ShootSession | None) -> None:
        pair = session.current if session else None
        if session is None or pair is None:
            self.state.set_full_text("—")
            self.consent.set_full_text("")
            return
        s = pair.record.state
        self.dot.setStyleSheet(f"color: {DECISION_COLOURS.get(s, '#7a7a7a')}")
        said = _decision_words(session, pair.id) if s != "unreviewed" else None
        words = STATE_WORDS.get(s, s.replace("_", " ").capitalize())
        if said:
            words += f" {said[0]}"
        if pair.rating:
            words += f" · {stars_words(pair.rating)}"
        if said and said[2]:
            words += f" · {said[2]}"
        self.state.set_full_text(words, said[1] if said else "")
        ok, words = consent_status(session, pair.id)
        talent = pair.record.talent_name
        self.consent_dot.setStyleSheet(f"color: {VERDICT_COLOURS['pass' if ok else 'review']}")
        who = f"Talent: {talent}" if talent else "Talent: not linked"
        self.consent.set_full_text(f"{who} · consent valid today" if ok else f"{who} · {words}", words)


#: A decision's state as the bar says it.
STATE_WORDS = {
    "unreviewed": "Not reviewed yet", "approved": "Approved", "rejected": "Rejected",
    "changes_requested": "Changes requested", "approved_with_changes": "Approved with changes",
    # an approval whose consent was revoked: said as every export says it
    "suspended": "Suspended · not cleared for use",
}


def stars_words(stars: int) -> str:
    """"★★★★☆ 4 of 5 stars": the glyphs and, for whoever cannot tell them apart, the count."""
    return f"{'★' * stars}{'☆' * (5 - stars)} {stars} of 5 star{'s' if stars != 1 else ''}"


def _decision_words(session: ShootSession, pair_id: int) -> tuple[str, str, str] | None:
    """Who decided and when ("by A. Director on 07 Dec at 10:12"), why, and everything in
    full for the tooltip (the comment, an override)."""
    history = review.decision_history(session.store, pair_id)
    if not history:
        return None
    d = history[-1]
    when = d.created_at.astimezone().strftime("%d %b at %H:%M")
    reasons = ", ".join(r.replace("_", " ") for r in d.reasons)
    if d.reason_text:
        reasons = f"{reasons}: {d.reason_text}" if reasons else d.reason_text
    who = f"by {d.reviewer} on {when}"
    why = reasons
    if d.override_justification:
        why = f"{why} · failed verdict overridden" if why else "failed verdict overridden"
    full = "\n".join(t for t in (
        f"{d.state.replace('_', ' ')} by {d.reviewer}, {d.created_at.astimezone():%Y-%m-%d %H:%M}",
        f"Reasons: {reasons}" if reasons else "",
        f"Comment: {d.comment}" if d.comment else "",
        f"Override: {d.override_justification}" if d.override_justification else "",
        f"Verdict when decided: {d.verdict_at_decision}" if d.verdict_at_decision else "") if t)
    return who, full, why


#: The audit trail's event kinds in words for the dock (the record's identifiers stay in the
#: tooltip and the CSV): "consent_block" read as jargon beside "decision" and "talent".
EVENT_WORDS = {"consent_block": "blocked", "stale_block": "refused (stale)", "file_changed": "file changed",
               "pair_made": "paired", "pair_broken": "unpaired", "analysis_failed": "analysis failed"}


class AuditView(QWidget):
    COLUMNS = ("When", "Who", "Event", "What")
    #: The reviewer asked for a CSV of what is listed (pair id, or -1 for the whole shoot).
    export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: ShootSession | None = None
        self.only_pair = QCheckBox("This pair only", self)
        self.only_pair.setChecked(True)
        self.only_pair.toggled.connect(self.refresh)
        export = QPushButton("Export CSV…", self)
        export.clicked.connect(self._export)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # "What" wraps onto as many lines as it needs: in a narrow dock it was cut to "…"
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # "What" wraps inside the dock: with the scroll bars left to Qt, the vertical one took its
        # width after "What" was stretched, and the wrapped lines ran past the right edge behind a
        # horizontal scroll bar ("talent Angelina J ha" at 1280 x 720)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # and never wider than what is left: a stretched last section stays at least Qt's default
        # 100 px, which a 290 px dock does not have beside the other three
        self.table.horizontalHeader().setStretchLastSection(False)
        top = QHBoxLayout()
        top.addWidget(self.only_pair)
        top.addStretch(1)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_session(self, session: ShootSession | None) -> None:
        self.session = session
        if session is not None:
            session.current_changed.connect(self.refresh)
            session.pair_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        if not self.isVisible() and self.table.rowCount():
            return  # refreshed when shown; reading the trail for a hidden dock is waste
        session = self.session
        rows = []
        if session is not None:
            pid = session.current_id if self.only_pair.isChecked() else None
            if not (self.only_pair.isChecked() and pid is None):
                rows = list(reversed(review.audit_rows(session.store, pid)))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            local = r.at.astimezone()
            cells = (local.strftime("%d %b %H:%M"), r.reviewer, EVENT_WORDS.get(r.event, r.event), r.summary)
            tips = (local.strftime("%Y-%m-%d %H:%M:%S %Z"), r.reviewer, r.event, f"{r.summary}\n{r.detail}")
            for j, (text, tip) in enumerate(zip(cells, tips, strict=True)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.table.setItem(i, j, item)
        for column in range(3):
            self.table.resizeColumnToContents(column)
        self._fit_what()

    def _fit_what(self) -> None:
        """"What" takes the width the other columns leave, and its rows the lines it needs."""
        left = sum(self.table.columnWidth(c) for c in range(3))
        self.table.setColumnWidth(3, max(60, self.table.viewport().width() - left))
        self.table.resizeRowsToContents()

    def _export(self) -> None:
        session = self.session
        if session is None:
            return
        pid = session.current_id if self.only_pair.isChecked() else None
        self.export_requested.emit(-1 if pid is None else pid)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_what()  # a narrower column wraps onto more lines
