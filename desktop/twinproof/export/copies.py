"""Annotated copies of the twins (and optionally the real photographs) with the decision's
XMP embedded: what Lightroom Classic and Bridge read for JPEG, PNG and TIFF files.

Why copies: those two read XMP *sidecars* only for raw files, so for a generator's JPEG the
decision in ``look01.xmp`` never shows. Writing XMP into the delivered file would change the
bytes the review and any C2PA signature vouch for, so the delivered files are only ever read;
the copies go to a folder of their own, named ``<pair>-twin.jpg`` / ``<pair>-real.jpg``.

Each copy's XMP is the original's own embedded XMP (other applications' fields kept), then,
if the copy already exists from an earlier export, *its* XMP (so what a catalogue saved into
the copy survives), with TwinProof's properties set as for a sidecar
(:func:`twinproof.export.xmp.apply`), plus where it came from: ``twinproof:OriginalPath``,
``OriginalSHA256`` and what happened to its Content Credentials. A file in the folder that is
not a TwinProof copy, or that is the original itself, is never overwritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from twinproof.atomic import fit_name
from twinproof.export import embed
from twinproof.export import xmp_io as x
from twinproof.export.provenance import credentials_of
from twinproof.export.records import PairExport
from twinproof.export.sidecars import image_problem
from twinproof.export.xmp import Role, XmpOptions, apply
from twinproof.hashing import file_sha256

UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@dataclass
class CopyResult:
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def copy_name(pair_name: str, role: Role, suffix: str) -> str:
    """A file name any file system takes: ``<pair>-<role><ext>``, unsafe characters as ``_``."""
    # At most 120 characters and 200 bytes (120 emoji or CJK characters were 360-480 bytes,
    # past the 255-byte limit on one name); a longer name is cut with a hash of the whole,
    # so two long names (or ``NAME-ID`` after a clash) stay distinct.
    clean = UNSAFE.sub("_", pair_name).strip(" .") or "pair"
    stem = fit_name(clean, min(200, len(clean[:120].encode("utf-8", "surrogateescape"))))
    return f"{stem}-{role}{suffix.lower()}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _base_packet(source: Path, target: Path) -> x.Packet:
    """The XMP to start from: an earlier copy's (a catalogue may have saved into it), else the
    original's embedded XMP, else a new packet. Raises when ``target`` is someone else's file."""
    if target.exists() or target.is_symlink():
        try:
            earlier = embed.read_embedded(target)
        except (x.XmpError, OSError):
            earlier = None
        if earlier is None or x.get(earlier, "twinproof", "Role") is None:
            raise x.XmpError(f"{target} exists and is not a TwinProof copy; not overwritten")
        return earlier
    return embed.read_embedded(source) or x.new_packet()


def _provenance_note(item: PairExport, role: Role, removed: bool) -> str:
    if role == "real":
        return "the real photograph"
    prov = credentials_of(item) or {}
    status = prov.get("status")
    if status == "present":
        said = f"the original carries Content Credentials ({prov.get('validation')})"
        return said + ("; removed from this copy, whose bytes they no longer match" if removed else "")
    if status == "remote":
        return "the original points to a remote C2PA manifest (not fetched); verify the original"
    return "the original carries no Content Credentials"


def write_copy(item: PairExport, role: Role, folder: Path, options: XmpOptions,
               taken: set[Path]) -> tuple[Path, bool]:
    """One annotated copy; returns (path, C2PA manifest removed)."""
    source = Path(item.pair.real_path if role == "real" else item.pair.twin_path)
    target = folder / copy_name(item.pair.name, role, source.suffix)
    if target in taken:
        target = folder / copy_name(f"{item.pair.name}-{item.pair.id}", role, source.suffix)
    taken.add(target)
    if _same_file(source, target):
        raise x.XmpError(f"{target} is the delivered file itself; no copy written over it")
    if role == "twin" and source.suffix.lower() in embed.EXIFTOOL_FORMATS and (
            (credentials_of(item) or {}).get("status") in ("present", "remote")):
        raise x.XmpError(f"{source.name}: a TIFF with Content Credentials gets no copy (embedding would "
                         "break its manifest, and exiftool cannot remove it)")
    packet = _base_packet(source, target)
    apply(packet, item, role, options)
    # A remote manifest's pointer in the original's XMP would send a verifier to a manifest
    # whose hash no longer matches this copy.
    x.remove(packet, "{http://purl.org/dc/terms/}provenance")
    desc = packet.main_description()
    desc.set(x.q("twinproof", "OriginalPath"), str(source))
    desc.set(x.q("twinproof", "OriginalSHA256"), file_sha256(source))
    removes = embed.carries_c2pa(source)
    desc.set(x.q("twinproof", "OriginalCredentials"), _provenance_note(item, role, removes))
    removed = embed.write_copy(source, target, embed.packet_bytes(packet))
    return target, removed


def write_copies(items: Sequence[PairExport], folder: Path, options: XmpOptions, *,
                 real: bool = False, before: Callable[[int, PairExport], None] | None = None
                 ) -> CopyResult:
    """Annotated copies of every twin (and real photograph when ``real``) into ``folder``."""
    out = CopyResult()
    taken: set[Path] = set()
    roles: tuple[Role, ...] = ("twin", "real") if real else ("twin",)
    for n, item in enumerate(items):
        if before is not None:
            before(n, item)
        for role in roles:
            image = item.pair.real_path if role == "real" else item.pair.twin_path
            problem = image_problem(image)
            if problem:
                out.problems.append(f"{item.pair.name}: {problem.replace('sidecar', 'copy')}")
                continue
            try:
                path, removed = write_copy(item, role, folder, options, taken)
            except (x.XmpError, OSError) as exc:
                out.problems.append(f"{item.pair.name}: annotated copy not written: {exc}")
                continue
            out.written.append(path)
            if removed:
                out.notes.append(f"{path.name}: the twin's C2PA manifest is not in the copy (its hash "
                                 "covers the original bytes); the original keeps it")
    return out
