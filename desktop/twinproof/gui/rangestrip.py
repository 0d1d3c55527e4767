"""The talent's own range beside the twin's value (issue 23): a compact strip under each
measurement judged against her reference portraits.

One axis, centred on her own portraits: the band is her range (± at the policy's confidence,
from the spread of her photographs read the same way), the dashed and solid ticks the policy's
warn and fail limits either way, the diamond the twin's value, coloured by its status. The
words (``Range.words``, on the panel's line above it) say what the picture shows ("outside
her own range across 4 portraits"). A value is flagged only outside both the band and a
limit, which is what the picture lets one see at a glance. Everything comes from the stored
result (``core.result.rows`` and the policy it was judged by): nothing is measured here, and
painting is cheap enough for the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from twinproof.core.result import BY_PATH, AnalysisResult, Direction, Status, rows
from twinproof.core.result.rows import Row
from twinproof.core.result.yardstick import Kind
from twinproof.gui.theme import VERDICT_COLOURS

STATUS_COLOURS = {Status.FAIL: VERDICT_COLOURS["fail"], Status.WARN: VERDICT_COLOURS["review"],
                  Status.OK: VERDICT_COLOURS["pass"], Status.CANNOT_JUDGE: "#9a9a9a"}
#: Her range: a light neutral band (the chrome stays grey so no colour tints how an image is judged).
BAND = QColor(210, 210, 210, 75)
HEIGHT = 22


@dataclass(frozen=True)
class Range:
    """What one strip shows: the twin's signed value, her range (±), the limits either way."""

    path: str
    value: float
    plus_minus: float
    warn: float | None
    fail: float | None
    unit: str
    status: Status
    portraits: int

    @property
    def words(self) -> str:
        """Where the twin's value lies, against her range and the limits, in words."""
        across = f"the talent's own range across {self.portraits} portraits"
        outside = abs(self.value) > self.plus_minus
        past = self.warn is not None and abs(self.value) > self.warn
        if past and not outside:
            return f"past the limit, inside {across}"
        if self.status is Status.CANNOT_JUDGE:  # the reason is on the line above
            return f"band: {across}"
        if outside:
            return f"outside {across}" + ("" if past else ", within the limits")
        return f"inside {across}"


def ranges(result: AnalysisResult) -> dict[str, Range]:
    """A strip for each signed measurement judged against the talent's own portraits, by path."""
    out = {}
    for row in rows(result):
        r = _range(result, row)
        if r is not None:
            out[row.path] = r
    return out


def _range(result: AnalysisResult, row: Row) -> Range | None:
    against = row.against
    if against is None or against.kind is not Kind.HER_PORTRAITS or row.value is None or row.plus_minus is None:
        return None
    desc = BY_PATH[row.path]
    lim = desc.limits_for(result.mode)
    if lim is None or lim.direction is not Direction.ABS:
        return None
    warn = result.policy.limit(lim.section, lim.warn)
    fail = result.policy.limit(lim.section, lim.fail) if lim.fail else None
    return Range(row.path, row.value, row.plus_minus, warn, fail, desc.unit, row.status, against.portraits or 0)


class RangeStrip(QWidget):
    """Her range, the limits and the twin's value on one axis, with the words above."""

    def __init__(self, shown: Range, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.range = shown
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(HEIGHT)
        unit = f" {shown.unit}" if shown.unit else ""
        limits = ", ".join(f"{name} ±{v:g}" for name, v in (("warn (dashed)", shown.warn), ("fail", shown.fail))
                           if v is not None)
        said = shown.words[:1].upper() + shown.words[1:]
        self.setToolTip(f"{said}\nBand: the talent's own range, ±{shown.plus_minus:.1f}{unit} across {shown.portraits} "
                        f"portraits (the policy's confidence)\nTicks: the limits, {limits}"
                        + f"\nDiamond: the twin, {shown.value:+.1f}{unit}".replace("-", "−"))

    def sizeHint(self) -> QSize:
        return QSize(240, HEIGHT)

    def span(self) -> float:
        """Half the axis: room for the value, her range and the fail limit, with a margin."""
        r = self.range
        return 1.15 * max(abs(r.value), r.plus_minus, r.fail or 0.0, r.warn or 0.0, 1.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        r = self.range
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        left, right, mid_y = 14.0, self.width() - 14.0, self.height() / 2
        half = self.span()

        def x(v: float) -> float:
            return left + (v + half) / (2 * half) * (right - left)

        # her range: the band around the centre of her portraits
        p.fillRect(QRectF(QPointF(x(-r.plus_minus), mid_y - 6), QPointF(x(r.plus_minus), mid_y + 6)), BAND)
        p.setPen(QPen(QColor(150, 150, 150), 1))
        p.drawLine(QPointF(left, mid_y), QPointF(right, mid_y))
        p.drawLine(QPointF(x(0), mid_y - 6), QPointF(x(0), mid_y + 6))
        for limit, style, tone in ((r.warn, Qt.PenStyle.DashLine, VERDICT_COLOURS["review"]),
                                   (r.fail, Qt.PenStyle.SolidLine, VERDICT_COLOURS["fail"])):
            if limit is None:
                continue
            p.setPen(QPen(QColor(tone), 1.5, style))
            for v in (-limit, limit):
                p.drawLine(QPointF(x(v), mid_y - 8), QPointF(x(v), mid_y + 8))
        # the twin's value (at the axis' end, pointing out, if it lies beyond)
        cx = x(max(-half, min(half, r.value)))
        p.setPen(QPen(QColor(20, 20, 20), 1))
        p.setBrush(QColor(STATUS_COLOURS.get(r.status, "#bdbdbd")))
        p.drawPolygon(QPolygonF([QPointF(cx, mid_y - 7), QPointF(cx + 6, mid_y), QPointF(cx, mid_y + 7),
                                 QPointF(cx - 6, mid_y)]))
        p.end()
