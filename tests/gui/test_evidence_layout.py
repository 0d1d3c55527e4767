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


def _header_cut(panel) -> list[str]:
    """Column titles wider than their column ("Measureme", "Valu" at 1280 × 720)."""
    header = panel.tree.header()
    fm, item = header.fontMetrics(), panel.tree.headerItem()
    return [item.text(c) for c in range(2)
            if fm.horizontalAdvance(item.text(c)) + CELL_PAD - 4 > header.sectionSize(c)]


def test_a_new_shot_without_a_face_is_whole_on_a_laptop_screen(window, qtbot, tmp_path):
    """A twin too small to show a face (24 px): every value is '—' so the value column was as
    narrow as '0.76', and 'Cannot reveal' rows broke 'eyes enlarged 16 %' one word a line, cut
    ("enl…", "sli…"); the titles read "Valu" and "Measureme"."""
    from PIL import Image

    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copy(SAMPLE / "look04_real.jpg", real / "look04.jpg")
    Image.open(SAMPLE / "look04_twin.jpg").resize((24, 24)).save(twin / "look04.jpg")
    window.resize(1280, 720)
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    panel = window.metrics
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 20)
    tree = panel.tree
    labels = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any("Cannot reveal" in t for t in labels), labels  # a new shot that reveals nothing
    for size in ((1280, 720), (1366, 768)):
        window.resize(*size)
        qtbot.waitUntil(lambda s=size: window.width() == s[0])
        qtbot.waitUntil(lambda: panel._width == panel.tree.viewport().width(), timeout=3000)
        assert _cut(panel) == [], (size, panel.width())
        assert _header_cut(panel) == [], (size, panel.width())


def _lines_of(panel, startswith: str) -> list[str]:
    tree = panel.tree
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if " ".join(item.text(0).split()).startswith(startswith):
            return [item.text(c) for c in range(3)]
    raise AssertionError(f"no row {startswith!r}")


def test_what_a_new_shot_cannot_reveal_reads_as_sentences(window, qtbot, tmp_path):
    """'Cannot reveal: a jaw slimmed 10 %' is a line across the panel, not broken into a column
    (one word a line in the value column, '%' left alone in the label column), and the mode fits
    its column ('new shot (person to person)' took five lines)."""
    from PIL import Image

    real, twin = tmp_path / "real", tmp_path / "twin"
    real.mkdir()
    twin.mkdir()
    shutil.copy(SAMPLE / "look04_real.jpg", real / "look04.jpg")
    Image.open(SAMPLE / "look04_twin.jpg").resize((24, 24)).save(twin / "look04.jpg")
    window.resize(1280, 720)
    open_plan(window, qtbot, real, twin, tmp_path / "s.shoot")
    wait_idle(window, qtbot)
    panel = window.metrics
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() > 20)
    qtbot.waitUntil(lambda: panel._width == panel.tree.viewport().width(), timeout=3000)
    label, value, limits = _lines_of(panel, "Cannot reveal: a jaw slimmed")
    assert label == "Cannot reveal: a jaw slimmed 10 %" and value == limits == ""
    label, value, _ = _lines_of(panel, "Compared as")
    assert value == "new shot", value


def test_the_talent_dialog_search_hint_is_whole(qtbot):
    """The person search's hint read "Type to find a person, or a new na…" at 1280 × 720."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    from twinproof.gui.talentlink import TalentLinkDialog

    dialog = TalentLinkDialog("look03", None, [], None, {})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.search
    option = QStyleOptionFrame()
    field.initStyleOption(option)
    room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field).width()
    advance = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert advance <= room - 4, (field.width(), field.minimumWidth(), field.font().toString())
