"""Match real shoot images with their digital twins, from two folders or one.

Pure file-name logic (no database, no image decoding) so the CLI, the GUI's import dialog and
the tests share it. Whatever cannot be matched unambiguously is returned as unmatched with a
reason instead of guessed: pairing the wrong twin with a real image would make every later
measurement and decision about the wrong person or garment.

Conventions (case-insensitive; separators ``_``, ``-``, ``.`` or a space before the marker):
- two folders: same stem in both (``real/look01.jpg`` + ``twin/look01.png``); a marker on
  either side is ignored (``real/look01_real.jpg`` + ``twin/look01_twin.png``);
- one folder: ``look01_real.jpg`` + ``look01_twin.png``, ``look01-real`` + ``look01-twin``,
  ``look01.jpg`` + ``look01.ai.png`` (an unmarked file is the real one when a twin exists).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

#: What an import picks up: the formats core.formats reads that shoots are delivered in
#: (phones: HEIC/HEIF; generators: AVIF). GIF is read when paired by hand, not imported.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif",
                              ".hif", ".avif"})
REAL_MARKERS = ("real", "orig", "original", "photo", "shoot")
TWIN_MARKERS = ("twin", "ai", "gen", "generated", "synthetic", "digitaltwin")
_MARKED = re.compile(
    r"^(?P<base>.+?)[ _.\-](?P<marker>" + "|".join(REAL_MARKERS + TWIN_MARKERS) + r")$",
    re.IGNORECASE,
)

Side = Literal["real", "twin", "unknown"]


@dataclass(frozen=True)
class MatchedPair:
    name: str
    real: Path
    twin: Path


@dataclass(frozen=True)
class Unmatched:
    path: Path
    side: Side
    reason: str


@dataclass(frozen=True)
class PairingResult:
    pairs: list[MatchedPair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)


def natural_key(text: str) -> list[int | str]:
    """Sort ``look2`` before ``look10``, as a person would."""
    # isdecimal, not isdigit: "²" is a digit to isdigit() but int() refuses it (fuzzing found it).
    return [int(t) if t.isdecimal() else t.casefold() for t in re.split(r"(\d+)", text)]


def image_files(folder: Path) -> list[Path]:
    """Image files directly in ``folder`` (hidden files skipped), naturally sorted."""
    found = [
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in IMAGE_EXTENSIONS
    ]
    return sorted(found, key=lambda p: natural_key(p.name))


def split_marker(stem: str) -> tuple[str, Side | None]:
    """``look01_twin`` -> (``look01``, "twin"); an unmarked stem -> (stem, None)."""
    match = _MARKED.match(stem)
    if not match:
        return stem, None
    side: Side = "real" if match["marker"].lower() in REAL_MARKERS else "twin"
    return match["base"], side


def _by_key(files: list[Path]) -> dict[str, list[tuple[str, Path]]]:
    groups: dict[str, list[tuple[str, Path]]] = defaultdict(list)
    for path in files:
        base, _side = split_marker(path.stem)
        groups[base.casefold()].append((base, path))
    return groups


def pair_folders(real_dir: Path, twin_dir: Path) -> PairingResult:
    """Pair ``real_dir`` with ``twin_dir`` by stem (markers ignored)."""
    if real_dir.resolve() == twin_dir.resolve():
        return pair_single_folder(real_dir)
    reals, twins = _by_key(image_files(real_dir)), _by_key(image_files(twin_dir))
    result = PairingResult()
    for key in sorted(reals.keys() | twins.keys(), key=natural_key):
        real, twin = reals.get(key, []), twins.get(key, [])
        if len(real) == 1 and len(twin) == 1:
            result.pairs.append(MatchedPair(real[0][0], real[0][1], twin[0][1]))
            continue
        sides: tuple[tuple[Side, list[tuple[str, Path]], list[tuple[str, Path]]], ...] = (
            ("real", real, twin), ("twin", twin, real)
        )
        for side, group, other in sides:
            reason = (
                f"{len(group)} files share the name {key!r}" if len(group) > 1
                else "no file with the same name on the other side"
            )
            if len(group) == 1 and len(other) > 1:
                reason = f"{len(other)} candidate files share the name {key!r}"
            result.unmatched.extend(Unmatched(p, side, reason) for _b, p in group)
    return result


def pair_single_folder(folder: Path) -> PairingResult:
    """Pair files in one folder by a real/twin marker in their names."""
    groups: dict[str, dict[str, list[tuple[str, Path]]]] = defaultdict(
        lambda: {"real": [], "twin": [], "plain": []}
    )
    for path in image_files(folder):
        base, side = split_marker(path.stem)
        groups[base.casefold()][side or "plain"].append((base, path))
    result = PairingResult()
    for key in sorted(groups, key=natural_key):
        g = groups[key]
        reals = g["real"] or g["plain"]
        if len(reals) == 1 and len(g["twin"]) == 1 and not (g["real"] and g["plain"]):
            result.pairs.append(MatchedPair(reals[0][0], reals[0][1], g["twin"][0][1]))
            continue
        if not g["twin"]:
            reason = "no twin file (e.g. NAME_twin.png or NAME.ai.png) for it"
        elif not reals:
            reason = "no real file (e.g. NAME_real.jpg or NAME.jpg) for it"
        else:
            reason = f"several candidate files share the name {key!r}"
        labelled: tuple[tuple[Side, str], ...] = (
            ("real", "real"), ("twin", "twin"), ("unknown", "plain")
        )
        for label, group_name in labelled:
            result.unmatched.extend(Unmatched(p, label, reason) for _b, p in g[group_name])
    return result
