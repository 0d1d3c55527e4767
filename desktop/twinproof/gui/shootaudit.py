"""The Shoot audit window: is there a pull across this shoot's twins (slimmer, lighter, larger
eyes) that no single pair shows?

It asks ``review.drift_source`` for the audit on the save thread (a 10,000-pair shoot takes a
few seconds) and shows the answer in words, then one small plot per measurement (each pair a
dot with its uncertainty, the median inside its 95 % interval, zero dashed) drawn from the
same primitives as the sheet's audit page (``core.drift.plot``), then the group differences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from twinproof.core.drift import AuditSettings, Drift, DriftAudit
from twinproof.core.drift.plot import Dot, Label, Line, Rect, plot_shapes
from twinproof.core.drift.words import (
    counts,
    drift_sentence,
    headline,
    interval,
    measure_note,
    number,
    p_text,
    summary,
)
from twinproof.gui.workers import Job

if TYPE_CHECKING:
    from twinproof.gui.mainwindow import MainWindow

CARD = QColor(246, 246, 248)
GROUPINGS = (("No groups", None), ("By talent", "talent"), ("By generator", "generator"),
             ("Across skin-tone groups", "skin-tone"))


class DriftPlot(QWidget):
    """One measurement's plot on a light card (the plot's colours are the sheet's)."""

    def __init__(self, drift: Drift, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drift = drift
        self.setMinimumSize(260, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), CARD)
        pad = 8.0
        p.translate(pad, pad * 0.6)
        for s in plot_shapes(self.drift, self.width() - 2 * pad, self.height() - pad, pt=1.0, font_pt=9.0):
            if isinstance(s, Rect):
                p.fillRect(QRectF(s.x, s.y, s.w, s.h), QColor(*s.fill))
            elif isinstance(s, Line):
                pen = QPen(QColor(*s.colour), s.width)
                pen.setStyle(Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
                p.setPen(pen)
                p.drawLine(QPointF(s.x0, s.y0), QPointF(s.x1, s.y1))
            elif isinstance(s, Dot):
                p.setPen(QPen(QColor(*s.colour), 1.0))
                p.setBrush(Qt.BrushStyle.NoBrush if s.hollow else QBrush(QColor(*s.colour)))
                box = QRectF(s.x - s.r, s.y - s.r, 2 * s.r, 2 * s.r)
                p.drawRect(box) if s.square else p.drawEllipse(box)
            elif isinstance(s, Label):
                font = QFont(self.font())
                font.setPointSizeF(s.size)
                p.setFont(font)
                p.setPen(QColor(*s.colour))
                w = 80.0
                left = {"left": s.x, "center": s.x - w / 2, "right": s.x - w}[s.align]
                flags = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
                         "right": Qt.AlignmentFlag.AlignRight}[s.align]
                p.drawText(QRectF(left, s.y, w, s.size * 2), int(flags | Qt.AlignmentFlag.AlignTop), s.text)
        p.end()


def _panel(d: Drift) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 6)
    lay.setSpacing(2)
    a, t = d.audited, d.test
    title = QLabel(f"<b>{a.label}</b>" + ("  <span style='color:#e5534b'><b>SYSTEMATIC</b></span>"
                                          if d.systematic else f"  <span style='color:#999'>n = {t.n}</span>"))
    numbers = QLabel(f"{number(t.median, a)} ({interval(t.ci95, a)}) · {counts(d)}")
    power = QLabel(f"smallest drift it could show ±{number(d.smallest_detectable, a, signed=False)} · "
                   f"Holm p {p_text(d.p_adjusted)}")
    power.setStyleSheet("color: #9a9aa2;")
    shown = [title, numbers, power]
    note = measure_note(d)
    if note:  # the jaw in edit-equivalent % (identity model) is not the mesh's %: say which
        measured = QLabel(note)
        measured.setWordWrap(True)
        measured.setStyleSheet("color: #9a9aa2;")
        shown.append(measured)
    for w in shown:
        w.setToolTip(drift_sentence(d))
        lay.addWidget(w)
    lay.addWidget(DriftPlot(d))
    return box


class ShootAuditDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        session = window.session
        assert session is not None
        self.store, self.shoot = session.store, session.shoot
        self.setWindowTitle(f"Shoot audit — {self.shoot.name}")
        self.resize(1100, 700)
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.grouping = QComboBox()
        for text, key in GROUPINGS:
            self.grouping.addItem(text, key)
        self.grouping.currentIndexChanged.connect(self.refresh)
        self.again = QPushButton("Audit again")
        self.again.clicked.connect(self.refresh)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #9a9aa2;")
        top.addWidget(QLabel("Drift across the twins of this shoot"))
        top.addStretch(1)
        top.addWidget(self.status)
        top.addWidget(self.grouping)
        top.addWidget(self.again)
        outer.addLayout(top)
        self.headline = QLabel("Reading the stored analyses…")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 15px; font-weight: 600;")
        outer.addWidget(self.headline)
        self.groups = QLabel("")
        self.groups.setWordWrap(True)
        self.groups.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.groups)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        outer.addWidget(self.area, 1)
        self.job: Job | None = None
        self.refresh()

    def refresh(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
        by = self.grouping.currentData()
        store, shoot = self.store, str(self.shoot.id)

        def work(_job: Job) -> DriftAudit:
            from twinproof.core.policy import load_default_policy
            from twinproof.review.drift_source import audit_shoot

            return audit_shoot(store, shoot, by=by, settings=AuditSettings.from_policy(load_default_policy()))[1]

        self.status.setText("auditing…")
        self.again.setEnabled(False)
        job = Job(work, "audit")
        job.signals.done.connect(lambda audit, j=job: self._show(audit) if j is self.job else None)
        job.signals.failed.connect(lambda exc, j=job: self._failed(exc) if j is self.job else None)
        self.job = job
        self.window_.pools.save(job)

    def _failed(self, exc: BaseException) -> None:
        self.again.setEnabled(True)
        self.status.setText("")
        self.headline.setText(f"The audit could not be made: {exc}")

    def _show(self, audit: DriftAudit) -> None:
        self.again.setEnabled(True)
        self.status.setText(f"{audit.pairs} analysed pair(s)")
        colour = "#e5534b" if audit.systematic else "#57ab5a"
        self.headline.setText(f"<span style='color:{colour}'>{headline(audit)}</span>")
        body = QWidget()
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(18)
        tested = sorted((d for d in audit.drifts if d.tested), key=lambda d: (not d.systematic, d.test.p_value))
        for i, d in enumerate(tested):
            grid.addWidget(_panel(d), i // 3, i % 3)
        groups = summary(audit)[1 + len(audit.drifts):]
        self.groups.setText("<br>".join(groups))
        self.groups.setVisible(bool(groups))
        rest = [drift_sentence(d) for d in audit.systematic] + [drift_sentence(d) for d in audit.drifts
                                                                 if not d.tested]
        if rest:
            notes = QLabel("<br>".join(rest))
            notes.setWordWrap(True)
            notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(notes, (len(tested) + 2) // 3, 0, 1, 3)
        grid.setRowStretch(grid.rowCount(), 1)
        self.area.setWidget(body)


def show_shoot_audit(window: MainWindow) -> ShootAuditDialog | None:
    """Open the audit of the open shoot (a word in the status bar when no shoot is open)."""
    if window.session is None:
        window.statusBar().showMessage("Open a shoot to audit it.", 8000)
        return None
    dialog = ShootAuditDialog(window)
    dialog.show()
    return dialog
