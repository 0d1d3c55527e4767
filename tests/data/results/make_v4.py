"""Make the schema-4 result the readers' tests keep: a real new shot of one man
(``../shared/faces-more/ramiz/s2``, the twin his photograph 1 with the jaw slimmed 10 %) analysed
against photograph 2 with ONE reference portrait (3): too few for his own range, so the face is
judged against other people's spread "(fewer than 2 portraits)" and ``metrics.face.references``
is 1, the case no schema-3 file holds. Its twin's provenance is read as an analysis records it
(Content Credentials, the file's XMP: none here).

    .venv/bin/python -m tests.data.results.make_v4 [OUT_DIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.data.results.make_v3 import OUT, S2, slimmed_twin

from twinproof.batch.recording import analyse_files


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    with tempfile.TemporaryDirectory() as tmp:
        twin = slimmed_twin(Path(tmp))
        data = analyse_files(S2 / "2.jpg", twin, references=[S2 / "3.jpg"]).record.to_json()
    for side in ("real", "twin"):  # no temporary paths in a stored test file
        data[side]["path"] = Path(data[side]["path"]).name
    (out / "v4_one_portrait.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print("v4_one_portrait", data["verdict"], len(data["flags"]), "flags")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
