"""Control frames as the same-light yardstick for skin, measured (issue 23, step 2).

    .venv/bin/python benchmarks/control_frames.py

One colour photograph per person of both calibration sets (the first whose face and skin are
read). Its control frame is the generator's twin of this very frame: here the photograph itself,
JPEG-recompressed (q 92), unedited, and with the skin lightened ΔL* +10 (the tests' edit), each
analysed with ``control=True`` (a same frame). Prints the skin ΔL* read, the skin flags, and
whether the unedited control raises any fail. Nothing is fitted: the same-frame limits judge.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.newshot_corpus import corpus  # noqa: E402
from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, jpeg_roundtrip, save  # noqa: E402

from twinproof.core.analysis import analyze_pair  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.reading.parts import SkinSample  # noqa: E402
from twinproof.core.result import Severity  # noqa: E402


def main() -> None:
    groups, readings = corpus()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for person, paths in sorted(groups.items()):
            found = next((str(p) for p in paths if isinstance(readings[str(p)].skin, SkinSample)
                          and not readings[str(p)].conditions.greyscale), None)
            if found is None:
                continue
            base = load_image(found).pixels
            PHOTOS[f"control:{found}"] = lambda p=base: p  # type: ignore[misc]
            cases.landmarks.cache_clear()
            real = save(base, Path(tmp) / "real.png")
            out = {}
            for label, arr in (("unedited", base), ("skin +10", cases.lighten(f"control:{found}", base.copy(), 10))):
                twin = save(jpeg_roundtrip(np.ascontiguousarray(arr), 92), Path(tmp) / f"{label[:4]}.jpg")
                result = analyze_pair(real, twin, control=True).result
                skin = result.metrics.skin
                delta_l = getattr(skin, "delta_L", None)
                flags = [f for f in result.flags if f.metric.startswith("skin.")]
                fails = [f for f in result.flags if f.severity is Severity.FAIL]
                out[label] = (delta_l, flags, fails, result.analysis.mode.value)
            rows.append((person, Path(found).name, out))
    for person, name, out in rows:
        (dl0, _f0, fail0, mode0), (dl1, f1, _x, _m) = out["unedited"], out["skin +10"]
        print(f"{person:22s} {name:24s} {mode0:10s} unedited ΔL* {dl0:+5.1f} fails {len(fail0)} | +10: ΔL* {dl1:+5.1f} "
              f"flags {', '.join(sorted({f'{f.metric} {f.severity.value}' for f in f1})) or 'none'}")
    caught = sum(bool(o["skin +10"][1]) for _p, _n, o in rows)
    clean = sum(not o["unedited"][2] for _p, _n, o in rows)
    dls = [o["skin +10"][0] for _p, _n, o in rows if o["skin +10"][0] is not None]
    print(f"skin ΔL* +10 caught by the control frame in {caught} of {len(rows)} people (read {min(dls):+.1f} .. "
          f"{max(dls):+.1f}); unedited controls without a fail: {clean} of {len(rows)}")


if __name__ == "__main__":
    main()
