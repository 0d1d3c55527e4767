"""The start screen's thumbnails are replaced whole (``twinproof.atomic``): a reader that
opened the old picture (the start screen, while the window closes) still reads it entire, and
no half-written JPEG is ever left in the cache folder."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.gui.conftest import SAMPLE
from twinproof.gui import recent


def test_a_thumbnail_is_replaced_whole_never_written_over(qapp):
    first, second = (QImage(str(SAMPLE / f"look0{n}_twin.jpg")) for n in (1, 2))
    assert not first.isNull() and not second.isNull()
    recent.save_thumbnail("ss27.shoot", first)
    path = recent.thumbnail_path("ss27.shoot")
    old = path.read_bytes()
    with open(path, "rb") as reader:  # opened before the new picture is saved
        recent.save_thumbnail("ss27.shoot", second)
        assert reader.read() == old  # written in place, it read the new JPEG or a cut one
    new = path.read_bytes()
    assert new != old and new.startswith(b"\xff\xd8") and new.endswith(b"\xff\xd9")
    shown = recent.load_thumbnail("ss27.shoot")
    assert shown is not None and max(shown.width(), shown.height()) == recent.THUMB
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
