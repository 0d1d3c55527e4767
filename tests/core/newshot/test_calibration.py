"""The new-shot limits against real photographs of the same people in different shots
(shared/faces): at most two of the 38 pairs may fail anything, and another person fails on
identity (docs/fidelity.md, "New shots")."""

from __future__ import annotations

import csv

import pytest

from tests.core.newshot.test_mode import FACES, needs_faces
from twinproof.core.analysis import analyze_pair
from twinproof.core.result import Mode, Severity

pytestmark = [pytest.mark.slow, needs_faces]


def _rows(decision: str) -> list[dict[str, str]]:
    rows = csv.DictReader((FACES / "master.csv").read_text().splitlines())
    return [r for r in rows if r["Decision"] == decision]


def test_the_same_person_in_another_shot_is_not_failed():
    failed = {}
    for row in _rows("Yes"):
        result = analyze_pair(FACES / row["file_x"], FACES / row["file_y"]).result
        assert result.mode is Mode.NEW_SHOT, (row, result.analysis.mode_reason)
        fails = [f.metric for f in result.flags if f.severity is Severity.FAIL]
        if fails:
            failed[f"{row['file_x']}-{row['file_y']}"] = fails
    assert len(failed) <= 2, failed


def test_another_person_fails_on_identity():
    for row in _rows("No")[:12]:
        result = analyze_pair(FACES / row["file_x"], FACES / row["file_y"]).result
        assert any(f.metric == "identity.distance" and f.severity is Severity.FAIL for f in result.flags), row


def test_eyes_enlarged_in_another_shot_are_caught():
    """The twin of every third same-person pair with both eyes enlarged 16 % (a controlled
    edit of a real photograph): the eye width, followed by optical flow into the twin's face
    laid on the real's, flags it in at least 10 of the 12 (11 when measured; the eye model's
    eyelids alone caught 4)."""
    from pathlib import Path
    from tempfile import TemporaryDirectory

    import numpy as np

    from tests.core.fidelity import cases
    from tests.core.photos import PHOTOS, save
    from twinproof.core.imageio import load_image

    caught, changes = 0, []
    with TemporaryDirectory() as tmp:
        for row in _rows("Yes")[::3]:
            pixels = load_image(FACES / row["file_y"]).pixels
            name = f"faces:{row['file_y']}"
            PHOTOS[name] = lambda p=pixels: p
            twin = save(np.ascontiguousarray(cases.eyes(name, pixels.copy(), 16)), Path(tmp) / "eyes.png")
            result = analyze_pair(FACES / row["file_x"], twin).result
            changes.append(result.value("face.proportions.eye_width.percent"))
            caught += any(f.metric == "face.proportions.eye_width.percent" for f in result.flags)
    assert len(changes) == 13 and caught >= 10, changes
