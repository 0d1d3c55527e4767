"""Qt's quick readers (thumbnails, previews) never hang on a file that is not a file."""

from __future__ import annotations

import os
import threading

import pytest

from twinproof.gui.imaging import read_preview, read_thumbnail


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipe_gives_no_thumbnail_and_does_not_block(tmp_path, qapp):
    fifo = tmp_path / "look01_twin.jpg"
    os.mkfifo(fifo)
    results: list[object] = []
    worker = threading.Thread(
        target=lambda: results.extend([read_thumbnail(str(fifo)), read_preview(str(fifo))]),
        daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a named pipe blocked"
    thumbnail, preview = results
    assert thumbnail.isNull() and preview is None


def test_missing_file_gives_no_thumbnail(tmp_path, qapp):
    assert read_thumbnail(str(tmp_path / "gone.jpg")).isNull()
    assert read_preview(str(tmp_path / "gone.jpg")) is None
