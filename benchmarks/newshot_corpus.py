"""The calibration corpus of the new-shot uncertainty: every photograph of ../shared/faces and
../shared/faces-more read once (cached on disk), grouped by person, and every same-person pair.

    from benchmarks.newshot_corpus import corpus
    people, readings = corpus()          # person -> [paths]; path -> ImageReading

19 people: shared/faces (its people are the connected groups of master.csv's "Yes" pairs) and
shared/faces-more (people.csv). The readings are the product's own (``core.reading.read``) at the
default policy's working size; they are kept in ``$TMPDIR/twinproof_newshot_corpus`` keyed by the
reading version, so a re-run costs seconds.
"""

from __future__ import annotations

import csv
import itertools
import os
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CACHE = Path(os.environ.get("TWINPROOF_CORPUS_CACHE", Path(tempfile.gettempdir()) / "twinproof_newshot_corpus"))


def people(shared: Path = SHARED) -> dict[str, list[Path]]:
    """Person -> photographs (only people with two or more)."""
    out: dict[str, list[Path]] = {}
    faces = shared / "faces"
    if (faces / "master.csv").exists():
        parent: dict[str, str] = {}

        def root(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        for row in csv.DictReader((faces / "master.csv").read_text().splitlines()):
            if row["Decision"] == "Yes":
                parent[root(row["file_x"])] = root(row["file_y"])
        groups: dict[str, list[str]] = {}
        for name in parent:
            groups.setdefault(root(name), []).append(name)
        for members in groups.values():
            members.sort(key=lambda n: int("".join(c for c in n if c.isdigit()) or 0))
            out[f"faces_{members[0].split('.')[0]}"] = [faces / m for m in members]
    more = shared / "faces-more"
    if (more / "people.csv").exists():
        for row in csv.DictReader((more / "people.csv").read_text().splitlines()):
            out.setdefault(row["person"], []).append(more / row["path"])
    return {p: v for p, v in out.items() if len(v) >= 2}


def same_pairs(groups: dict[str, list[Path]]) -> list[tuple[str, Path, Path]]:
    return [(person, a, b) for person, paths in groups.items() for a, b in itertools.combinations(paths, 2)]


def read_one(path: Path):
    from twinproof.core.imageio import load_image
    from twinproof.core.policy import load_policy
    from twinproof.core.reading.crop import as_float
    from twinproof.core.reading.read import landmarks_of, read_image
    from twinproof.core.registration import resize_long_side

    policy = load_policy()
    image = load_image(path)
    small, factor = resize_long_side(image.pixels, int(policy.get("analysis", "working_long_side")))
    return read_image(image, as_float(small), factor, policy.number("identity", "min_face_px"), landmarks_of(image))


def corpus(shared: Path = SHARED, verbose: bool = True):
    from twinproof.core.reading.read import READING_VERSION

    groups = people(shared)
    CACHE.mkdir(parents=True, exist_ok=True)
    store = CACHE / f"readings_v{READING_VERSION}.pkl"
    readings = pickle.loads(store.read_bytes()) if store.exists() else {}
    todo = [p for paths in groups.values() for p in paths if str(p) not in readings]
    for i, path in enumerate(todo):
        if verbose:
            print(f"reading {i + 1}/{len(todo)} {path.relative_to(shared)}", file=sys.stderr, flush=True)
        readings[str(path)] = read_one(path)
    if todo:
        store.write_bytes(pickle.dumps(readings))
    return groups, readings


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "desktop"))
    g, r = corpus()
    for person, paths in g.items():
        print(person, len(paths))
    print(len(same_pairs(g)), "same-person pairs")
