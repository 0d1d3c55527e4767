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
