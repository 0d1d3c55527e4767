"""Every descriptor the jaw-estimator study needs, read once (issue 23, branch jaw23).

    .venv/bin/python benchmarks/jaw_atoms.py

For each identifiable photograph of both calibration sets: its descriptor, the shift each probe
edit makes (the portrait's own and its mirror image's), and, for people with 3 or more photographs,
the photograph as a twin: unedited, jaw −10 % and eyes +16 % (the tests' warps), each with its
mirror image's descriptor and its reading conditions. Cached in $TMPDIR/twinproof_newshot_corpus,
so estimators can be compared over every subset of portraits in seconds.
"""

from __future__ import annotations

import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.newshot_corpus import CACHE, corpus, read_one  # noqa: E402
from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, save  # noqa: E402

from twinproof.core.identity import FaceIdentity  # noqa: E402
from twinproof.core.identity.edit_directions import _descriptor, _probe_face  # noqa: E402
from twinproof.core.identity.probe_edits import PROBES, probe  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.landmarks import detect_landmarks  # noqa: E402

ATOMS_VERSION = "1"
EDITS = {"jaw": lambda n, a: cases.jaw(n, a, -10), "eyes": lambda n, a: cases.eyes(n, a, 16)}


def portrait_atoms(pixels: np.ndarray, face) -> dict | None:
    d0 = _descriptor(pixels, face, 60.0)
    if d0 is None:
        return None
    out: dict = {"d": d0, "probe": {}}
    for name in PROBES:
        for pct in (PROBES[name], -PROBES[name]):
            warped = probe(pixels, face.points, name, pct)
            d1 = _descriptor(warped, _probe_face(warped, face), 60.0)
            out["probe"][(name, pct)] = None if d1 is None else d1 - d0
    return out


def mirrored(pixels: np.ndarray) -> dict | None:
    flipped = np.ascontiguousarray(pixels[:, ::-1])
    face = detect_landmarks(flipped).face
    return None if face is None else portrait_atoms(flipped, face)


def atoms() -> dict:
    store = CACHE / f"jaw_atoms_v{ATOMS_VERSION}.pkl"
    if store.exists():
        return pickle.loads(store.read_bytes())
    groups, readings = corpus()
    out: dict = {"people": {}, "photos": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for person, paths in sorted(groups.items()):
            good = [str(p) for p in paths if isinstance(readings[str(p)].identity, FaceIdentity)]
            if len(good) < 2:
                continue
            out["people"][person] = good
            for path in good:
                pixels = load_image(path).pixels
                face = readings[path].landmarks.face
                rec = {"own": portrait_atoms(pixels, face), "mirror": mirrored(pixels),
                       "conditions": readings[path].conditions, "twin": {}}
                if len(good) >= 3:
                    PHOTOS[f"atom:{path}"] = lambda p=pixels: p  # type: ignore[misc]
                    cases.landmarks.cache_clear()
                    rec["twin"]["control"] = {"d": rec["own"]["d"] if rec["own"] else None,
                                              "mirror": rec["mirror"], "conditions": readings[path].conditions}
                    for label, make in EDITS.items():
                        arr = np.ascontiguousarray(make(f"atom:{path}", pixels.copy()))
                        reading = read_one(save(arr, Path(tmp) / "e.png"))
                        ident = reading.identity
                        rec["twin"][label] = {
                            "d": np.asarray(ident.descriptor, np.float64) if isinstance(ident, FaceIdentity) else None,
                            "mirror": mirrored(arr), "conditions": reading.conditions,
                            "own": portrait_atoms(arr, reading.landmarks.face) if reading.landmarks.face else None}
                out["photos"][path] = rec
                print(person, Path(path).name, flush=True)
    store.write_bytes(pickle.dumps(out))
    return out


if __name__ == "__main__":
    a = atoms()
    print(len(a["people"]), "people,", len(a["photos"]), "photos")
