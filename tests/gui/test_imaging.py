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


def test_every_sort_key_names_a_measurement_the_core_makes():
    """The pair list sorts by any measurement: each key must point into a real analysis (a
    typo would sort every pair as 'not measured')."""
    from twinproof.core.analysis import analyze_pair
    from twinproof.gui.evidence import SORT_KEYS, metric_value
    from twinproof.paths import resource_path

    sample = resource_path("sample")
    results = [analyze_pair(sample / f"{n}_real.jpg", sample / f"{n}_twin.jpg").to_dict()
               for n in ("look01", "look06")]
    # what a waist-up portrait cannot show (legs, waist-down widths) is null with a reason
    unseen = {"Torso ÷ leg", "Thighs width", "Arm ÷ torso", "Shoulder ÷ hip", "Waist width", "Hips width",
              "Likeness to the talent"}  # (no talent linked here)
    unseen |= {label for label in SORT_KEYS if label.endswith("(new shot)")}  # the samples are one frame
    # read against a talent's reference portraits, in a new shot only (issue 23)
    unseen |= {label for label in SORT_KEYS if label.endswith("(the talent's own range)")}
    for label, (metric, field) in SORT_KEYS.items():
        values = [metric_value(r, metric, field) for r in results]
        if label not in unseen:
            assert any(v is not None for v in values), label
    assert "Eyes change" in SORT_KEYS and "SSIM (structure)" in SORT_KEYS
    chest = metric_value(results[1], "body", "widths.chest.percent")
    assert chest is not None and chest < -5  # look06: torso narrowed 8%
