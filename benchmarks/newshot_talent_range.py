"""Her own photographs as the yardstick of a new shot, measured (issue 23, first part).

    .venv/bin/python benchmarks/newshot_talent_range.py

For each person of the calibration sets with 3 or more usable photographs (eyes 42 px apart or
more): the second photograph is the twin, the first the real photograph, up to five others the
reference portraits, and the uncertainty model is fitted without that person. The twin unedited
(the control), with eyes enlarged 16 % and with the jaw slimmed 10 %, each judged by the
product's own findings against one photograph (``shot_findings.face_findings``) and against her
own range (``talent_range.range_findings``). Prints, per edit, how many stand out (any flag of
the edited measurement) each way, and the ± of each yardstick.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.newshot_corpus import CACHE, corpus, read_one, same_pairs  # noqa: E402
from benchmarks.newshot_fit import leave_one_out, samples  # noqa: E402
from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, save  # noqa: E402

from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width  # noqa: E402
from twinproof.core.compare.shot_findings import face_findings  # noqa: E402
from twinproof.core.compare.talent_range import range_findings  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.policy import load_policy  # noqa: E402
from twinproof.core.reading.parts import FaceShape  # noqa: E402

EDITS = {"control": (None, "eye_width"), "eyes +16 %": (lambda n, a: cases.eyes(n, a, 16), "eye_width"),
         "jaw −10 %": (lambda n, a: cases.jaw(n, a, -10), "jaw_width")}


def main() -> None:
    groups, readings = corpus()
    policy = load_policy()
    pairs = [(p, str(a), str(b), readings[str(a)], readings[str(b)]) for p, a, b in same_pairs(groups)]
    eyes = json.loads((CACHE / "eyes.json").read_text()) if (CACHE / "eyes.json").exists() else {}
    loo = leave_one_out(samples(pairs, eyes))
    counts: dict[str, list[tuple[str, bool, bool, float, float]]] = {k: [] for k in EDITS}
    with tempfile.TemporaryDirectory() as tmp:
        for person, paths in sorted(groups.items()):
            good = [str(p) for p in paths if isinstance(readings[str(p)].face, FaceShape)
                    and readings[str(p)].conditions.iod_px >= loo[person].min_iod_px]
            if len(good) < 3:
                continue
            real_path, twin_path, refs = good[0], good[1], good[2:7]
            own = [(readings[p], load_image(p).pixels) for p in [real_path, *refs]]
            base = load_image(twin_path).pixels
            PHOTOS[f"range:{twin_path}"] = lambda p=base: p
            for label, (make, measure) in EDITS.items():
                arr = base if make is None else np.ascontiguousarray(make(f"range:{twin_path}", base.copy()))
                twin = readings[twin_path] if make is None else read_one(save(arr, Path(tmp) / "e.png"))
                real = own[0][0]
                flow = tracked_eye_width(own[0][1], real.landmarks.face.points, arr, twin.landmarks.face.points)
                one = face_findings(real, twin, flow.percent if isinstance(flow, TrackedEyes) else None, policy,
                                    loo[person])
                ranged = range_findings(own, twin, arr, policy, loo[person])
                path = f"face.proportions.{measure}.percent"
                counts[label].append((person, any(f.metric == path for f in one.flags),
                                      any(f.metric == path for f in ranged.flags),
                                      one.uncertainty[path].plus_minus, ranged.uncertainty[path].plus_minus))
    for label, items in counts.items():
        print(f"{label:11s} stands out: one photograph {sum(i[1] for i in items)} of {len(items)}, her own range "
              f"{sum(i[2] for i in items)} of {len(items)}; median ± {np.median([i[3] for i in items]):.1f} → "
              f"{np.median([i[4] for i in items]):.1f}")
        for i in items:
            print(f"    {i[0]:22s} one {i[1]!s:5s} range {i[2]!s:5s} ± {i[3]:.1f} → {i[4]:.1f}")


if __name__ == "__main__":
    main()
