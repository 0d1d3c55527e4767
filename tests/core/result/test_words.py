"""A flag reads the same in one line everywhere: from the core's typed flag and from the stored
JSON object of the same flag (the sample's look03, eyes enlarged 12 %)."""

from __future__ import annotations

import json
from pathlib import Path

from twinproof.core.result import AnalysisResult
from twinproof.core.result.words import flag_line

STORED = Path(__file__).resolve().parents[2] / "data" / "results"


def test_a_flag_is_one_line_from_the_typed_flag_and_from_its_json():
    data = json.loads((STORED / "v2_look03.json").read_text())
    typed = AnalysisResult.from_json(data).flags[0]
    stored = data["flags"][0]
    line = "FAIL face_shape/eyes: eyes 11% larger [face.changes.eyes.percent]"
    assert flag_line(typed) == flag_line(stored) == line
    assert flag_line(stored, severity=False, metric=False) == "face_shape/eyes: eyes 11% larger"
    assert flag_line({**stored, "region": ""}, metric=False) == "FAIL face_shape/image: eyes 11% larger"
