"""Match real shoot images with their digital twins, from two folders or one.

Pure file-name logic (no database, no image decoding) so the CLI, the GUI's import dialog and
the tests share it. Every entry of a folder that is not taken is said, with why
(``PairingResult.skipped``): a symbolic link that loops or points nowhere, a pipe, a folder, a
file that is not an image TwinProof imports - an import that skipped one silently reported its
partner as having "no file with the same name on the other side". Whatever cannot be matched
unambiguously is returned as unmatched with a reason instead of guessed: pairing the wrong twin
with a real image would make every later measurement and decision about the wrong person or
garment.

Conventions (case-insensitive; separators ``_``, ``-``, ``.`` or a space before the marker):
- two folders: same stem in both (``real/look01.jpg`` + ``twin/look01.png``); a marker on
  either side is ignored (``real/look01_real.jpg`` + ``twin/look01_twin.png``);
- one folder: ``look01_real.jpg`` + ``look01_twin.png``, ``look01-real`` + ``look01-twin``,
  ``look01.jpg`` + ``look01.ai.png`` (an unmarked file is the real one when a twin exists);
- several twins of one real frame (variants, a control frame beside new shots): a number or a
  letter after the twin marker, ``look01_twin.jpg``, ``look01_twin2.jpg``, ``look01_twin-b.jpg``:
  one pair each, all with the same real photograph (named ``look01``, ``look01_twin2``, ...).
"""

from __future__ import annotations

import errno
import re
import stat
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
    r"^(?P<base>.+?)[ _.\-](?P<marker>" + "|".join(REAL_MARKERS + TWIN_MARKERS) + r")"
    # one real frame, several twins: ``look01_twin2``, ``look01_twin-02``, ``look01_twin-b`` (a
    # letter only after a separator: ``first_aid`` is no twin "d" of "first")
    r"(?:[ _.\-]?(?P<number>\d{1,3})|[ _.\-](?P<letter>[a-z]))?$",
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
    """``unmatched``: image files left unpaired; ``skipped``: entries of the folders that are
    not image files to pair (each with its reason). Hidden files are neither."""

    pairs: list[MatchedPair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    skipped: list[Unmatched] = field(default_factory=list)


#: Camera raw formats: a twin is compared with a developed photograph, not the raw data.
RAW_EXTENSIONS = frozenset({".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".dng",
                            ".raf", ".orf", ".rw2", ".pef", ".srw", ".iiq", ".3fr", ".x3f", ".erf"})
#: Files that live beside images and are expected there (said as such, not as strangers).
COMPANION_EXTENSIONS = frozenset({".xmp", ".bak", ".pp3", ".dop", ".cos", ".on1", ".thm"})


def natural_key(text: str) -> list[int | str]:
    """Sort ``look2`` before ``look10``, as a person would."""
    # isdecimal, not isdigit: "²" is a digit to isdigit() but int() refuses it (fuzzing found it).
    return [int(t) if t.isdecimal() else t.casefold() for t in re.split(r"(\d+)", text)]


def image_files(folder: Path) -> list[Path]:
    """Image files directly in ``folder`` (hidden files skipped), naturally sorted."""
    return scan_folder(folder, "unknown")[0]


def scan_folder(folder: Path, side: Side) -> tuple[list[Path], list[Unmatched]]:
    """The image files directly in ``folder`` and every other visible entry with why it is
    not one; both naturally sorted. Hidden files (``.DS_Store``, a crash's temporary file)
    are neither."""
    images: list[Path] = []
    skipped: list[Unmatched] = []
    for path in folder.iterdir():
        if path.name.startswith("."):
            continue
        why = skip_reason(path)
        if why is None:
            images.append(path)
        else:
            skipped.append(Unmatched(path, side, why))
    images.sort(key=lambda p: natural_key(p.name))
    skipped.sort(key=lambda u: natural_key(u.path.name))
    return images, skipped


def skip_reason(path: Path) -> str | None:
    """Why ``path`` is not an image file an import takes, in words (None: it is one)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return ("a broken symbolic link: what it points to does not exist" if path.is_symlink()
                else "gone while the folder was read")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops back on itself"
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISDIR(st.st_mode):
        return "a folder: an import takes only the files directly inside the chosen folders"
    suffix = path.suffix.lower()
    if suffix in IMAGE_EXTENSIONS:
        return None if stat.S_ISREG(st.st_mode) else "not a regular file: a pipe, device or socket"
    return not_an_image(suffix)


def not_an_image(suffix: str) -> str:
    """Why a file with this extension is not imported, and what to do when it should be."""
    if suffix in COMPANION_EXTENSIONS:
        return f"a {suffix} file kept beside the images: metadata, not an image"
    if suffix == ".gif":
        return "GIF is not imported: pair it by hand (`twinproof shoot pair`) if it is a twin"
    if suffix in RAW_EXTENSIONS:
        return "a camera raw file: import the TIFF or JPEG developed from it"
    if suffix in (".psd", ".psb"):
        return "a Photoshop document: import a TIFF or JPEG saved from it"
    kinds = ", ".join(sorted(IMAGE_EXTENSIONS))
    return f"not an image TwinProof imports: {suffix or 'no extension'} (it imports {kinds})"


def _partner_skipped(skipped: dict[str, list[Unmatched]], key: str) -> str | None:
    """The reason for a file whose namesake on the other side was skipped, or None."""
    others = skipped.get(key)
    if not others:
        return None
    first = others[0]
    return f"its possible partner {first.path.name} was skipped: {first.reason}"


def _skipped_by_key(skipped: list[Unmatched]) -> dict[str, list[Unmatched]]:
    groups: dict[str, list[Unmatched]] = defaultdict(list)
    for item in skipped:
        groups[split_marker(Path(item.path.name).stem)[0].casefold()].append(item)
    return groups


def split_marker(stem: str) -> tuple[str, Side | None]:
    """``look01_twin`` -> (``look01``, "twin"); an unmarked stem -> (stem, None)."""
    base, side, _variant = split_variant(stem)
    return base, side


def split_variant(stem: str) -> tuple[str, Side | None, bool]:
    """As :func:`split_marker`, and whether the twin is a numbered or lettered variant
    (``look01_twin2``, ``look01_twin-b``: one of several twins of the real ``look01``).
    A real photograph has no variants: ``look01_real2`` is a name of its own."""
    match = _MARKED.match(stem)
    if not match:
        return stem, None, False
    variant = match["number"] is not None or match["letter"] is not None
    if match["marker"].lower() in REAL_MARKERS:
        return (stem, None, False) if variant else (match["base"], "real", False)
    return match["base"], "twin", variant


def _twins_of(base: str, real: Path, twins: list[Path]) -> list[MatchedPair] | str:
    """The pairs of one real photograph with each of its twins, or why they cannot be told
    apart. The unnumbered twin's pair keeps the look's name (as when it was the only twin:
    a re-import finds it again); a variant's pair is named after its file (``look01_twin2``)."""
    plain = [t for t in twins if not split_variant(t.stem)[2]]
    if len(plain) > 1:
        return (f"{len(plain)} twin files of {base!r} have no number: name the others like "
                f"{base}_twin2, {base}_twin3 (or {base}_twin-b) to review them all")
    stems = [t.stem.casefold() for t in twins if t not in plain]
    if len(set(stems)) != len(stems):
        return f"several twin files of {base!r} differ only in their extension"
    ordered = plain + sorted((t for t in twins if t not in plain), key=lambda t: natural_key(t.stem))
    return [MatchedPair(base if t in plain else t.stem, real, t) for t in ordered]  # the look first


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
    real_files, real_skipped = scan_folder(real_dir, "real")
    twin_files, twin_skipped = scan_folder(twin_dir, "twin")
    reals, twins = _by_key(real_files), _by_key(twin_files)
    skipped_on = {"real": _skipped_by_key(real_skipped), "twin": _skipped_by_key(twin_skipped)}
    result = PairingResult(skipped=real_skipped + twin_skipped)
    for key in sorted(reals.keys() | twins.keys(), key=natural_key):
        real, twin = reals.get(key, []), twins.get(key, [])
        several = None
        if len(real) == 1 and twin:
            found = _twins_of(real[0][0], real[0][1], [p for _b, p in twin])
            if not isinstance(found, str):
                result.pairs.extend(found)
                continue
            several = found
        sides: tuple[tuple[Side, list[tuple[str, Path]], list[tuple[str, Path]]], ...] = (
            ("real", real, twin), ("twin", twin, real)
        )
        for side, group, other in sides:
            other_side = "twin" if side == "real" else "real"
            reason = (
                f"{len(group)} files share the name {key!r}" if len(group) > 1
                else _partner_skipped(skipped_on[other_side], key)
                or "no file with the same name on the other side"
            )
            if len(group) == 1 and len(other) > 1:
                reason = f"{len(other)} candidate files share the name {key!r}"
            reason = several or reason
            result.unmatched.extend(Unmatched(p, side, reason) for _b, p in group)
    return _names_unique(result)


def pair_single_folder(folder: Path) -> PairingResult:
    """Pair files in one folder by a real/twin marker in their names."""
    groups: dict[str, dict[str, list[tuple[str, Path]]]] = defaultdict(
        lambda: {"real": [], "twin": [], "plain": []}
    )
    files, skipped = scan_folder(folder, "unknown")
    for path in files:
        base, side = split_marker(path.stem)
        groups[base.casefold()][side or "plain"].append((base, path))
    result = PairingResult(skipped=skipped)
    skipped_by_key = _skipped_by_key(skipped)
    for key in sorted(groups, key=natural_key):
        g = groups[key]
        reals = g["real"] or g["plain"]
        several = None
        if len(reals) == 1 and g["twin"] and not (g["real"] and g["plain"]):
            found = _twins_of(reals[0][0], reals[0][1], [p for _b, p in g["twin"]])
            if not isinstance(found, str):
                result.pairs.extend(found)
                continue
            several = found
        if several:
            reason = several
        elif not g["twin"]:
            reason = (_partner_skipped(skipped_by_key, key)
                      or "no twin file (e.g. NAME_twin.png or NAME.ai.png) for it")
        elif not reals:
            reason = (_partner_skipped(skipped_by_key, key)
                      or "no real file (e.g. NAME_real.jpg or NAME.jpg) for it")
        else:
            reason = f"several candidate files share the name {key!r}"
        labelled: tuple[tuple[Side, str], ...] = (
            ("real", "real"), ("twin", "twin"), ("unknown", "plain")
        )
        for label, group_name in labelled:
            result.unmatched.extend(Unmatched(p, label, reason) for _b, p in g[group_name])
    return _names_unique(result)


def _names_unique(result: PairingResult) -> PairingResult:
    """Pairs whose names collide (a variant ``look01_twin2`` and a look of that very name,
    ``look01_twin2_real.jpg``) are unmatched with why: a shoot's pair names are unique."""
    count: dict[str, int] = defaultdict(int)
    for mp in result.pairs:
        count[mp.name.casefold()] += 1
    if all(n == 1 for n in count.values()):
        return result
    kept, unmatched = [], list(result.unmatched)
    for mp in result.pairs:
        if count[mp.name.casefold()] == 1:
            kept.append(mp)
            continue
        why = f"two pairs would be named {mp.name!r}: rename one of the files"
        if not any(mp.real == u.path for u in unmatched) and not any(
                k.real == mp.real for k in result.pairs if count[k.name.casefold()] == 1):
            unmatched.append(Unmatched(mp.real, "real", why))
        unmatched.append(Unmatched(mp.twin, "twin", why))
    return PairingResult(kept, unmatched, list(result.skipped))
