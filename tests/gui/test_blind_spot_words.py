"""What a new shot cannot reveal, in the app's words: the app has no ``--reference`` option, and
a man's pair must not read "reference portraits of her" (results stored before the words were
made neutral still say both)."""

from __future__ import annotations

import json
from pathlib import Path

from twinproof.core.result import AnalysisResult
from twinproof.gui import evidence

RESULTS = Path(__file__).resolve().parent.parent / "data" / "results"


def test_a_stored_blind_spot_points_to_the_app_not_the_command_line():
    result = AnalysisResult.from_json(json.loads((RESULTS / "v3_newshot_jaw.json").read_text(encoding="utf-8")))
    stored = " ".join(result.cannot_reveal or [])
    assert "`--reference`" in stored and "portraits of her" in stored  # as that version wrote it
    said = [(r.label, r.note) for r in evidence.registration_rows(result) if r.label.startswith("Cannot reveal")]
    jaw = [note for label, note in said if "jaw slimmed" in label]
    assert len(jaw) == 1, said
    assert "--reference" not in jaw[0] and "`" not in jaw[0], jaw
    assert " her " not in f" {jaw[0]} ", jaw
    assert "Add portraits" in jaw[0], jaw  # where in the app the portraits are added
