"""The ``jaw_vline`` edit's twin descriptors for ``jaw_study`` (cached beside ``jaw_atoms``)."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.jaw_atoms import CACHE, atoms, mirrored, portrait_atoms  # noqa: E402
from benchmarks.jaw_vline import vline  # noqa: E402
from benchmarks.newshot_corpus import corpus  # noqa: E402

from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.landmarks import detect_landmarks  # noqa: E402


def vline_atoms() -> dict:
    store = CACHE / "jaw_vline_atoms_v1.pkl"
    if store.exists():
        return pickle.loads(store.read_bytes())
    a = atoms()
    _groups, readings = corpus()
    out = {}
    for person, good in a["people"].items():
        for path in good if len(good) >= 3 else []:
            pixels = load_image(path).pixels
            arr = np.ascontiguousarray(vline(pixels, readings[path].landmarks.face.points))
            face = detect_landmarks(arr).face
            own = portrait_atoms(arr, face) if face is not None else None
            out[path] = {"d": own["d"] if own else None, "own": own, "mirror": mirrored(arr),
                         "conditions": readings[path].conditions}
            print(person, Path(path).name, flush=True)
    store.write_bytes(pickle.dumps(out))
    return out


if __name__ == "__main__":
    vline_atoms()
