"""The two labelled sets of real photographs (../shared/faces and ../shared/faces-more) read
as the product reads a face, and every labelled pair between them, for calibration and tests.

Who is who: ``faces-more/people.csv`` names the person of each photo; in ``faces`` the
same-person pairs of ``master.csv`` join photos into people (complete: every pair inside such a
group is labelled the same person). Different-person pairs: inside ``faces`` only those labelled
so (its one-photo people are not named, and several of them are one person); inside
``faces-more`` every pair of two named people; across the sets every pair (different sources;
the closest, a CEO in ``faces`` against a selfie in ``faces-more``, checked by eye).
Relatives: two different people of one family in ``faces-more/azure`` (siblings, parent and
child, and the couples).
"""

from __future__ import annotations

import csv
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twinproof.core.identity.calibration import OTHERS, RELATIVES, SAME, LabelledPair

SHARED = Path(os.environ.get("TWINPROOF_SHARED", Path(__file__).resolve().parents[4] / "shared"))
FACES, MORE = SHARED / "faces", SHARED / "faces-more"
AVAILABLE = (FACES / "master.csv").is_file() and (MORE / "people.csv").is_file()
MISSING = (f"labelled faces not found at {FACES} and {MORE} (../shared/faces, ../shared/faces-more; "
           "set TWINPROOF_SHARED)")


@dataclass(frozen=True)
class Photo:
    key: str  # "faces/img1.jpg", "faces-more/azure/Family1-Dad1.jpg"
    path: Path
    person: str


def _faces_people(rows: list[dict[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for r in rows:
        a, b = root(r["file_x"]), root(r["file_y"])
        if r["Decision"] == "Yes" and a != b:
            parent[a] = b
    return {p.name: "faces:" + min(n for n in parent if root(n) == root(p.name)).split(".")[0]
            if p.name in parent else "faces:" + p.stem for p in sorted(FACES.glob("*.jpg"))}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def photos() -> list[Photo]:
    """Every photograph of both sets, with its person."""
    people = [Photo(f"faces/{name}", FACES / name, person)
              for name, person in _faces_people(_rows(FACES / "master.csv")).items()]
    people += [Photo(f"faces-more/{r['path']}", MORE / r["path"], r["person"]) for r in _rows(MORE / "people.csv")]
    return people


def _family(person: str) -> str | None:
    return person[3:].split("-")[0] if person.startswith("az_") else None


def labelled_pairs(found: dict[str, Photo], distances: dict[tuple[str, str], float]) -> list[LabelledPair]:
    """Every labelled pair of two photos whose faces were both read (``found``)."""
    rows = _rows(FACES / "master.csv")
    labelled_different = {frozenset((f"faces/{r['file_x']}", f"faces/{r['file_y']}"))
                          for r in rows if r["Decision"] == "No"}
    out = []
    for a, b in itertools.combinations(sorted(found), 2):
        pa, pb = found[a].person, found[b].person
        if pa == pb:
            kind = SAME
        elif a.startswith("faces/") and b.startswith("faces/") and frozenset((a, b)) not in labelled_different:
            continue
        else:
            kind = RELATIVES if _family(pa) is not None and _family(pa) == _family(pb) else OTHERS
        out.append(LabelledPair(a, b, pa, pb, distances[(a, b)], kind))
    return out


def read_all(min_face_px: float) -> tuple[dict[str, Photo], dict[str, np.ndarray], dict[str, str]]:
    """Each photo read as the product reads a face (our detector, the face mesh, the mesh chip,
    the ONNX descriptor; faces under ``min_face_px`` not identified): the photos read, their
    descriptors, and for the others why not."""
    from twinproof.core.identity import FaceIdentity, read_identity
    from twinproof.core.imageio import load_image
    from twinproof.core.landmarks import detect_landmarks

    found, descriptors, unread = {}, {}, {}
    for photo in photos():
        pixels = load_image(photo.path).pixels
        result = read_identity(pixels, detect_landmarks(pixels).face, min_face_px=min_face_px)
        if isinstance(result, FaceIdentity):
            found[photo.key], descriptors[photo.key] = photo, result.descriptor.astype(np.float64)
        else:
            unread[photo.key] = result.reason
    return found, descriptors, unread


def all_pairs(min_face_px: float) -> tuple[list[LabelledPair], dict[str, Photo], dict[str, str]]:
    """Every labelled pair of both sets with its distance; the photos read; the ones not read."""
    found, desc, unread = read_all(min_face_px)
    keys = sorted(found)
    distances = {(a, b): float(np.linalg.norm(desc[a] - desc[b])) for a, b in itertools.combinations(keys, 2)}
    return labelled_pairs(found, distances), found, unread
