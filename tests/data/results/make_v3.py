"""Make the schema-3 new-shot results the readers' tests read (issue 23): real analyses of one
man's photographs (``../shared/faces-more/ramiz/s2``), the twin his photograph 1 with the jaw
slimmed 10 % (the fidelity tests' own warp), judged against his own range across photographs
2, 3, 6 and 7; the same twin without portraits; and a control frame (photograph 2 against a
JPEG copy of itself, marked a control).

    .venv/bin/python -m tests.data.results.make_v3 [OUT_DIR]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from tests.core.fidelity import cases
from tests.core.photos import PHOTOS

from twinproof.core.analysis import analyze_pair
from twinproof.core.imageio import load_image

S2 = Path(__file__).resolve().parents[3].parent / "shared" / "faces-more" / "ramiz" / "s2"
OUT = Path(__file__).resolve().parent


def slimmed_twin(folder: Path) -> Path:
    base = load_image(S2 / "1.jpg").pixels
    PHOTOS["make_v3:s2/1"] = lambda: base
    cases.landmarks.cache_clear()
    twin = np.ascontiguousarray(cases.jaw("make_v3:s2/1", base.copy(), -10))
    path = folder / "s2-1-jaw-10.jpg"
    Image.fromarray(twin).save(path, quality=95)
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    with tempfile.TemporaryDirectory() as tmp:
        twin = slimmed_twin(Path(tmp))
        refs = [S2 / f"{n}.jpg" for n in (3, 6, 7)]
        made = {
            "v3_range_jaw": analyze_pair(S2 / "2.jpg", twin, references=refs),
            "v3_newshot_jaw": analyze_pair(S2 / "2.jpg", twin),
        }
        copy = Path(tmp) / "s2-2-control.jpg"
        Image.open(S2 / "2.jpg").convert("RGB").save(copy, quality=92)
        made["v3_control"] = analyze_pair(S2 / "2.jpg", copy, control=True)
        for name, analysed in made.items():
            data = analysed.result.to_json()
            for side in ("real", "twin"):  # no temporary paths in a stored test file
                data[side]["path"] = Path(data[side]["path"]).name
            (out / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
            print(name, data["verdict"], len(data["flags"]), "flags")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
