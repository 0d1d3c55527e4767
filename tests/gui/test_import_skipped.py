"""The import dialog lists what the import skips, and why (issue 28): a symbolic link that
loops, a file that is not an image - greyed, not selectable (nothing to pair), after the files
that can be paired by hand."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.gui


def test_import_dialog_lists_skipped_entries_with_their_reasons(qtbot, shoot_dirs):
    from PySide6.QtCore import Qt

    from twinproof.gui.importer import ImportDialog

    real, twin = shoot_dirs
    os.symlink("look05.jpg", twin / "look05.jpg")  # loops
    (real / "look05.jpg").write_bytes((real / "look01.jpg").read_bytes())
    (real / "call sheet.txt").write_text("09:00 hair and make-up")
    dialog = ImportDialog(real, twin)
    qtbot.addWidget(dialog)
    texts = [dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count())]
    assert "2 skipped" in dialog.summary.text()
    assert "real: look05.jpg — its possible partner look05.jpg was skipped: a symbolic link " \
           "that loops back on itself" in texts
    assert "skipped twin: look05.jpg — a symbolic link that loops back on itself" in texts
    assert any(t.startswith("skipped real: call sheet.txt — not an image TwinProof imports") for t in texts)
    for i in range(dialog.unmatched.count()):
        item = dialog.unmatched.item(i)
        if item.text().startswith("skipped"):
            assert item.flags() == Qt.ItemFlag.NoItemFlags  # cannot be selected to pair


def test_sidecars_of_an_exported_folder_are_one_line_per_kind(qtbot, shoot_dirs):
    """After an export with XMP sidecars every image has its .xmp beside it: the dialog listed
    each one ("skipped real: look02.xmp — …" fourteen times for seven pairs) above anything that
    needs pairing; the CLI already says "skipped 14 .xmp file(s) kept beside the images"."""
    from twinproof.gui.importer import ImportDialog

    real, twin = shoot_dirs
    for folder in (real, twin):
        for image in list(folder.glob("look0[12].jpg")):
            image.with_suffix(".xmp").write_text("<x:xmpmeta/>")
    dialog = ImportDialog(real, twin)
    qtbot.addWidget(dialog)
    texts = [dialog.unmatched.item(i).text() for i in range(dialog.unmatched.count())]
    xmp = [t for t in texts if ".xmp" in t]
    assert len(xmp) == 1 and xmp[0].startswith("skipped 4 .xmp file(s)"), texts
    assert "4 skipped" in dialog.summary.text()
