"""Shoots of real photographs for the drift audit's known answers (``../shared/faces`` and
``../shared/faces-more``): same-person new-shot pairs, control frames, and twins edited by a
known amount (jaw slimmed, skin lightened) with the manipulation table's edits.

Shared by tests/review/test_drift_photos.py and benchmarks/bench_drift_photos.py. Analyses
are kept in a JSON cache file (key: the real file, the twin file and the edit) so the test
and the benchmark analyse each pair once per cache folder.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from tests.core.fidelity import cases
from tests.core.photos import PHOTOS, jpeg_roundtrip
from twinproof.core.analysis import analyze_pair
from twinproof.core.imageio import load_image

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FACES, MORE = SHARED / "faces", SHARED / "faces-more"


def available() -> bool:
    return (FACES / "master.csv").is_file() and (MORE / "people.csv").is_file()


@dataclass(frozen=True)
class Shot:
    """A pair to analyse: the real photo, the photo its twin is made from, the person."""

    real: Path
    twin: Path
    person: str

    @property
    def control(self) -> bool:
        return self.real == self.twin


def _people_of_faces() -> dict[str, str]:
    """deepface's photos carry no names: people are the connected same-person pairs."""
    rows = list(csv.DictReader((FACES / "master.csv").read_text().splitlines()))
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x
    for r in rows:
        if r["Decision"] == "Yes":
            parent[root(r["file_x"])] = root(r["file_y"])
    return {f: f"faces:{root(f)}" for f in list(parent)}


def new_shots() -> list[Shot]:
    """Every same-person pair of deepface's set, then consecutive photos of each person of
    faces-more (colour only: a greyscale photo has no skin colour)."""
    people = _people_of_faces()
    rows = list(csv.DictReader((FACES / "master.csv").read_text().splitlines()))
    out = [Shot(FACES / r["file_x"], FACES / r["file_y"], people[r["file_x"]]) for r in rows if r["Decision"] == "Yes"]
    by_person: dict[str, list[Path]] = {}
    for r in csv.DictReader((MORE / "people.csv").read_text().splitlines()):
        if r["person"] != "elvis":  # old greyscale photographs
            by_person.setdefault(r["person"], []).append(MORE / r["path"])
    for person, files in by_person.items():
        out += [Shot(a, b, person) for a, b in itertools.pairwise(files)]
    return out


def controls(shots: list[Shot]) -> list[Shot]:
    """One control frame per real photo: the generator's twin of that very frame."""
    seen = dict.fromkeys(s.real for s in shots)
    person = {s.real: s.person for s in shots}
    return [Shot(p, p, person[p]) for p in seen]


def _edited(shot: Shot, edit: str, amount: float, folder: Path) -> Path:
    """The twin file: the twin photo edited (``jaw``: % width, ``lighten``: ΔL*), JPEG q92."""
    name = f"drift:{shot.twin}"
    pixels = load_image(shot.twin).pixels
    if pixels.ndim != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"{shot.twin.name}: not 8-bit colour")
    PHOTOS[name] = lambda p=pixels: p
    arr = pixels.copy()
    if edit == "jaw":
        arr = cases.jaw(name, arr, amount)
    elif edit == "lighten":
        arr = cases.lighten(name, arr, amount)
    out = twin_file(shot, edit, amount, folder)
    Image.fromarray(jpeg_roundtrip(np.ascontiguousarray(arr), 92)).save(out, quality=95)
    return out


def pair_files(folder: Path, index: int, real: Path, twin: Path) -> tuple[Path, Path]:
    """Copies of a pair's two files for a review record, which keeps each file in one pair
    (the same real photo serves several pairs here, and a control frame's real twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{index:03d}_real{real.suffix}", folder / f"{index:03d}_twin{twin.suffix}"
    for src, dst in zip((real, twin), out, strict=True):
        if not dst.exists():
            shutil.copyfile(src, dst)
    return out


def twin_file(shot: Shot, edit: str, amount: float, folder: Path) -> Path:
    return folder / f"{hashlib.sha1(f'{shot.twin}{edit}{amount}'.encode()).hexdigest()[:16]}.jpg"


def photos_by_person() -> dict[str, list[Path]]:
    """Every person's photographs, in file order (deepface's people are its connected groups)."""
    people = _people_of_faces()
    out: dict[str, list[Path]] = {}
    for name, person in sorted(people.items(), key=lambda kv: int("".join(c for c in kv[0] if c.isdigit()) or 0)):
        out.setdefault(person, []).append(FACES / name)
    for r in csv.DictReader((MORE / "people.csv").read_text().splitlines()):
        if "person-group" not in r["path"]:  # a group photo: not a portrait of her
            out.setdefault(r["person"], []).append(MORE / r["path"])
    return out


@dataclass(frozen=True)
class ReferencedShot:
    """A same-person new shot whose talent has reference portraits: her OTHER photographs
    (never the pair's own two)."""

    shot: Shot
    references: tuple[Path, ...]


def referenced_new_shots(portraits: int = 3, steps: tuple[int, ...] = (1, 2)) -> list[ReferencedShot]:
    """Photos ``step`` apart of every person with 2 + ``portraits`` photographs or more, each
    pair with ``portraits`` of her other photographs as references (the ones after the pair,
    going round), so each pair's yardstick is hers and never includes its own photos."""
    out = []
    for person, files in photos_by_person().items():
        if len(files) < 2 + portraits:
            continue
        for step in steps:
            for i in range(len(files) - step):
                j = i + step
                others = files[j + 1:] + files[:i] + files[i + 1:j]
                out.append(ReferencedShot(Shot(files[i], files[j], person), tuple(others[:portraits])))
    return out


class Analyses:
    """Analyse shots (edited or not, with reference portraits or not), once per cache folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.index = folder / "analyses.json"
        self.known: dict[str, dict | None] = json.loads(self.index.read_text()) if self.index.exists() else {}

    def twin_path(self, shot: Shot, edit: str = "none", amount: float = 0.0) -> Path:
        return twin_file(shot, edit, amount, self.folder)

    def result(self, shot: Shot, edit: str = "none", amount: float = 0.0,
               references: tuple[Path, ...] = ()) -> dict | None:
        key = f"{shot.real}|{shot.twin}|{edit}|{amount}" + "".join(f"|ref:{r}" for r in references)
        if key not in self.known:
            try:
                twin = _edited(shot, edit, amount, self.folder)
                found: dict | None = analyze_pair(shot.real, twin, references=list(references) or None).result.to_json()
            except (AssertionError, ValueError):  # no face to edit, or not colour
                found = None
            self.known[key] = found
            self.index.write_text(json.dumps(self.known))
        return self.known[key]
