"""The evidence panel on a laptop screen: no value or limit is cut off (issue 17: "+10.9…",
"warn <0.7 · f…" at 1366 × 768), on a laptop's screen and a smaller one, on a real analysis."""

from __future__ import annotations

import shutil

from tests.gui.conftest import SAMPLE, open_plan, wait_idle
from twinproof.gui.metrics import CELL_PAD, TEXT_ROLE


def _cut(panel) -> list[str]:
    """Every cell line wider than its column (what Qt would paint with "…")."""
    tree, fm = panel.tree, panel.tree.fontMetrics()
    widths = [tree.header().sectionSize(c) for c in range(3)]
    widths[2] = tree.viewport().width() - widths[0] - widths[1]
    out = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if not item.data(0, TEXT_ROLE):
            continue  # sections and spanned sentences (broken to the panel's width)
        for c in range(3):
            if c == 2 and item.text(2) not in item.data(0, TEXT_ROLE)[2].replace(" · ", "\n"):
                continue  # a note in the limits' place: one line, whole in the tooltip
            for line in item.text(c).split("\n"):
                if fm.horizontalAdvance(line) + CELL_PAD - 4 > widths[c]:
                    out.append(f"{item.text(0)!r} column {c}: {line!r} in {widths[c]} px")
    return out


def test_values_and_limits_are_whole_on_a_laptop_screen(window, qtbot, tmp_path):
    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copy(SAMPLE / "look03_real.jpg", real / "look03.jpg")  # four face flags
    shutil.copy(SAMPLE / "look03_twin.jpg", twin / "look03.jpg")
    window.resize(1366, 768)
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    panel = window.metrics
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 20)
    tree = panel.tree
    texts = [tree.topLevelItem(i).text(c) for i in range(tree.topLevelItemCount()) for c in range(3)]
    assert any(t.startswith("+10.") for t in texts)  # the eyes' change, as in screenshot 07
    for size in ((1366, 768), (1280, 720)):  # laptops' screens, every panel docked
        window.resize(*size)
        qtbot.waitUntil(lambda s=size: window.width() == s[0])
        qtbot.waitUntil(lambda: panel._width == panel.tree.viewport().width(), timeout=3000)
        assert _cut(panel) == [], (size, panel.width())
