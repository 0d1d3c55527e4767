"""The talent's own range beside the twin's value in the evidence panel (issue 23), on real
results (``tests/data/results/make_v3.py``): one man's twin with the jaw slimmed 10 %, judged
against his 4 photographs; the same twin without portraits; a control frame."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QColor

from twinproof.core.result import AnalysisResult, Status
from twinproof.gui.metrics import MetricsPanel
from twinproof.gui.rangestrip import STATUS_COLOURS, RangeStrip, ranges
from twinproof.gui.session import PairState
from twinproof.review.records import PairRecord

STORED = Path(__file__).resolve().parents[1] / "data" / "results"
JAW = "face.identity_edits.jaw_width.percent"


def stored(name: str) -> dict:
    return json.loads((STORED / f"{name}.json").read_text(encoding="utf-8"))


def shown(qtbot, name: str) -> MetricsPanel:
    data = stored(name)
    record = PairRecord(1, 1, name, "real.jpg", "a", "twin.jpg", "b", None, None, "unreviewed", 1, False,
                        data["verdict"], True)
    panel = MetricsPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 900)
    panel.show()
    panel.show_pair(PairState(record, data))
    return panel


def lines(panel: MetricsPanel) -> list[str]:
    tree = panel.tree
    return [" ".join(tree.topLevelItem(i).text(0).split()) for i in range(tree.topLevelItemCount())]


def strips(panel: MetricsPanel) -> dict[str, RangeStrip]:
    tree, out = panel.tree, {}
    for i in range(tree.topLevelItemCount()):
        widget = tree.itemWidget(tree.topLevelItem(i), 0)
        if isinstance(widget, RangeStrip):
            out[widget.range.path] = widget
    return out


def test_each_measurement_against_her_portraits_has_its_range_and_words(qtbot):
    panel = shown(qtbot, "v3_range_jaw")
    found = strips(panel)
    # the three identity-model readings and the five mesh proportions, each against her range
    assert JAW in found and len(found) == 8
    jaw = found[JAW].range
    assert (jaw.portraits, jaw.status, jaw.fail) == (4, Status.FAIL, 7.0)
    text = lines(panel)
    assert "outside the talent's own range across 4 portraits" in text
    assert "Judged against the talent's 4 portraits" in text
    assert "Judged against the real photo (another shot)" in text  # the identity distance and garment


def test_the_slimmed_jaw_is_drawn_outside_her_band_and_past_the_fail_tick(qtbot):
    panel = shown(qtbot, "v3_range_jaw")
    strip = strips(panel)[JAW]
    strip.resize(300, strip.height())
    image = strip.grab().toImage()
    row = image.height() // 2

    def runs(colour: QColor, y: int, tol: int, differ: bool = False) -> list[tuple[int, int]]:
        """Runs of pixels of about this colour (or, ``differ``, not of it) along a row, (first, last)."""
        out: list[tuple[int, int]] = []
        for x in range(image.width()):
            near = all(abs(a - b) <= tol for a, b in zip(image.pixelColor(x, y).getRgb()[:3], colour.getRgb()[:3],
                                                          strict=True))
            if near != differ:
                if out and out[-1][1] == x - 1:
                    out[-1] = (out[-1][0], x)
                else:
                    out.append((x, x))
        return out

    fail = runs(QColor(STATUS_COLOURS[Status.FAIL]), row - 2, 20)
    diamond = max(fail, key=lambda r: r[1] - r[0])  # the diamond is wide; the limits' ticks are 1.5 px
    ticks = [r for r in fail if r != diamond]
    # her band: the widest run, 4 px above the axis, that differs from the strip's own background
    background = image.pixelColor(image.width() - 2, row - 4)
    band = max(runs(background, row - 4, 3, differ=True), key=lambda r: r[1] - r[0])
    assert band[1] - band[0] > 40 and len(ticks) == 2
    assert diamond[1] < band[0]  # -10.3 % lies left of her range (±6.8 %)
    assert diamond[1] < ticks[0][0]  # and past the fail limit, -7 %


def test_without_portraits_no_range_is_drawn_and_the_yardstick_is_named(qtbot):
    panel = shown(qtbot, "v3_newshot_jaw")
    assert strips(panel) == {}
    assert "Judged against the spread of other people (no portraits)" in lines(panel)


def test_a_control_frame_says_its_yardstick_once(qtbot):
    panel = shown(qtbot, "v3_control")
    said = [t for t in lines(panel) if t.startswith("Judged against")]
    assert said == ["Judged against the real photo (control frame)"]


def test_ranges_are_only_for_her_portraits():
    result = AnalysisResult.from_json(stored("v3_range_jaw"))
    assert all(r.portraits == 4 for r in ranges(result).values())
    assert ranges(AnalysisResult.from_json(stored("v2_look03"))) == {}


def test_strips_stay_on_their_rows_when_the_panel_lays_itself_out_again(qtbot):
    """A narrower panel rebuilds the rows (text broken anew, rows taller): each strip must sit on
    its own row, not where the row was before (seen at 1280 × 720: blank space, strips gone)."""
    from PySide6.QtWidgets import QAbstractItemView

    panel = shown(qtbot, "v3_range_jaw")
    tree = panel.tree
    jaw_row = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                   if "the talent's own range" in " ".join(tree.topLevelItem(i).text(0).split()))
    tree.scrollToItem(jaw_row, QAbstractItemView.ScrollHint.PositionAtTop)
    panel.resize(300, 900)
    panel.show_pair(panel._shown[0])  # what the relayout timer does
    qtbot.wait(50)
    placed = [(tree.visualItemRect(tree.topLevelItem(i)).top(), tree.itemWidget(tree.topLevelItem(i), 0))
              for i in range(tree.topLevelItemCount())]
    placed = [(top, w) for top, w in placed if isinstance(w, RangeStrip)]
    assert len(placed) == 8
    assert all(w.geometry().top() == top for top, w in placed)
