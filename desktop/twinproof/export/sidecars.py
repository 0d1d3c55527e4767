"""Which sidecar files an export writes, decided for the whole export before writing any.

Two rules protect files that are not TwinProof's:
- a sidecar is only written next to an image: the record's path must be absolute, carry an
  image extension and exist. A crafted or stale record (``../../outside/victim.txt``, or an
  ``.xmp`` file itself) is skipped and reported, never given or turned into a sidecar;
- two images never share a sidecar. Adobe's ``IMG.xmp`` is shared by every file of one stem
  in a folder (``look.jpg`` and ``look.png``), so when a real photograph and a twin collide the
  real keeps ``IMG.xmp`` (the photographer's catalogue reads it) and the twin gets darktable's
  ``IMG.png.xmp``: otherwise the twin, written last, would label the real photograph as
  AI-generated.

A real photograph of several pairs (one frame, several twins) has one sidecar, as every image does
(readers look for exactly ``IMG.xmp`` / ``IMG.jpg.xmp``): it describes all of its pairs
(``xmp_pairs``), written once, after the plan has gathered them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from twinproof.atomic import name_max
from twinproof.export.records import PairExport
from twinproof.export.xmp import Role, XmpOptions, sidecar_paths, write_sidecar
from twinproof.export.xmp_io import XmpError
from twinproof.export.xmp_pairs import write_real_sidecar
from twinproof.review.pairing import IMAGE_EXTENSIONS


@dataclass
class SidecarPlan:
    #: (pair index, role) -> sidecar files to write for that image
    files: dict[tuple[int, Role], list[Path]] = field(default_factory=dict)
    #: images skipped, in words
    skipped: list[str] = field(default_factory=list)
    #: sidecars renamed to avoid a collision, or shared by a real photograph's pairs, in words
    renamed: list[str] = field(default_factory=list)
    #: pair index -> the other pairs of its real photograph, which its real sidecar describes too
    also: dict[int, list[int]] = field(default_factory=dict)


def image_problem(image: str) -> str | None:
    """Why no sidecar may be written next to ``image`` (None: it is a real image file)."""
    path = Path(image)
    if not path.is_absolute():
        return f"{image}: the record's path is not absolute; no sidecar written"
    if path.suffix.lower() not in IMAGE_EXTENSIONS:
        return f"{image}: not an image file ({path.suffix or 'no extension'}); no sidecar written"
    if not path.is_file():
        return f"{image}: image not found; no sidecar written"
    return None


def _name_too_long(sidecar: Path) -> str | None:
    """A sidecar name past the file system's limit (a sidecar's name is the convention its
    readers look for, so it cannot be shortened): said in words, not as ``Errno 36``."""
    size, limit = len(os.fsencode(sidecar.name)), name_max(sidecar.parent)
    if size <= limit:
        return None
    return (f"sidecar {sidecar.name[:40]}... not written: its name would be {size} bytes and one "
            f"name may have {limit} here; use --xmp-naming adobe (IMG.xmp) or shorten the image's name")


def plan(items: Sequence[PairExport], options: XmpOptions) -> SidecarPlan:
    """Sidecar names for every image, real photographs first so they keep Adobe's name."""
    out = SidecarPlan()
    claimed: dict[Path, str] = {}
    described: dict[Path, int] = {}  # sidecar -> the first pair it describes
    for role in ("real", "twin"):
        for n, item in enumerate(items):
            image = item.pair.real_path if role == "real" else item.pair.twin_path
            problem = image_problem(image)
            if problem:
                out.skipped.append(f"{item.pair.name}: {problem}")
                continue
            chosen: list[Path] = []
            for path in sidecar_paths(image, options.naming):
                key = path.resolve()
                if key in claimed and claimed[key] != image:
                    alternative = sidecar_paths(image, "darktable")[0]
                    out.renamed.append(f"{item.pair.name}: {path.name} belongs to "
                                       f"{Path(claimed[key]).name}; the {role} uses "
                                       f"{alternative.name}")
                    path, key = alternative, alternative.resolve()
                if too_long := _name_too_long(path):  # darktable's IMG.jpg.xmp of a long name
                    out.skipped.append(f"{item.pair.name}: {too_long}")
                    continue
                if key not in claimed:
                    claimed[key] = image
                    described[key] = n
                    chosen.append(path)
                elif described[key] != n and role == "real":  # one real frame, several twins
                    owner = out.also.setdefault(described[key], [])
                    if n not in owner:
                        owner.append(n)
                        out.renamed.append(f"{item.pair.name}: {Path(image).name} is the real photograph of "
                                           f"several pairs; its sidecar {path.name} describes each of them "
                                           f"(each twin's sidecar describes its own pair)")
            out.files[(n, role)] = chosen
    return out


def write_sidecars(items: Sequence[PairExport], options: XmpOptions,
                   before: Callable[[int, PairExport], None] | None = None
                   ) -> tuple[list[Path], list[str], list[str]]:
    """Write the planned sidecars; returns (written, problems, notes). A refused existing
    sidecar (hostile: a DTD or entities) is a problem for that image only, the others are
    written; a damaged one is repaired or set aside (a note), never a reason to stop."""
    sidecars = plan(items, options)
    written: list[Path] = []
    problems = list(sidecars.skipped)
    notes = list(sidecars.renamed)
    for n, item in enumerate(items):
        if before is not None:
            before(n, item)
        roles: tuple[Role, Role] = ("real", "twin")
        for role in roles:
            for path in sidecars.files.get((n, role), []):
                also = [items[i] for i in sidecars.also.get(n, [])] if role == "real" else []
                try:
                    if also:
                        written.append(write_real_sidecar(path, [item, *also], options, notes))
                    else:
                        written.append(write_sidecar(path, item, role, options, notes))
                except XmpError as exc:
                    problems.append(f"{item.pair.name}: sidecar not written: {exc}")
                except OSError as exc:
                    problems.append(f"{item.pair.name}: sidecar {path} not written: {_reason(exc, path)}")
    return written, problems, notes


def _reason(exc: OSError, path: Path) -> str:
    """Why a sidecar could not be written, about the sidecar and its folder: the OS error's own
    file name is the atomic write's temporary file (``.look.xmp.k2j4h1.tmp``), which the user
    never sees in the folder."""
    if exc.errno == errno.EROFS:
        return f"the folder {path.parent} is on a read-only disk"
    if exc.errno in (errno.EACCES, errno.EPERM):
        # the atomic write makes a file beside the sidecar and renames it over: both in the folder
        return f"{exc.strerror or 'permission denied'}: you may not write in its folder {path.parent}"
    return exc.strerror or type(exc).__name__
