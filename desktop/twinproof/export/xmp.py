"""XMP sidecars for each image of a pair: the decision where photo tools look for it.

Lightroom, Bridge, Capture One and darktable read ``xmp:Rating`` (-1 reject, 1-5 stars),
``xmp:Label``, ``dc:subject`` keywords and ``lr:hierarchicalSubject``; the IPTC digital
source type says which image is generated. What is written, and why:

- The **twin** carries the decision and the reviewer's stars: ``xmp:Rating`` is -1 when
  rejected (Lightroom's and Bridge's reject), else the reviewer's 1-5 stars
  (``review.rate``), else the decision's default (approved 5 or the chosen rating, approved
  with changes 4, changes requested 1); a twin whose approval was **suspended** (its consent
  revoked) gets no rating and the Purple label; the decision keeps its colour label, keywords, and
  ``Iptc4xmpExt:DigitalSourceType`` (the AI disclosure): what the twin's valid C2PA manifest
  declares, else ``trainedAlgorithmicMedia``; ``twinproof:DigitalSourceTypeBasis`` says which.
- The **real** photograph carries ``digitalCapture``, keywords naming its twin's decision and
  the TwinProof summary, but by default *not* a rating or label: the decision judges the twin,
  and the photographer's own picks on the shoot must not be overwritten (``rate_real=True``
  writes them on both).
- Both get a ``twinproof:`` namespace block with the metrics summary and the decision (its
  reasons, reason text, comment and override justification), ``ClearedForUse`` and
  ``Clearance`` ("not cleared for use: approval suspended - consent C-1 ... revoked"), and a
  ``twinproof:not-cleared-for-use`` keyword on every twin that may not be used.

An existing sidecar is updated in place: only the properties above change; every other
application's field (develop settings, other keywords) is kept. Nothing is written into the
image itself - that would break a C2PA manifest's hash.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from twinproof.atomic import atomic_write_bytes, fit_name, name_max
from twinproof.core.result.words import flag_line
from twinproof.export import xmp_io as x
from twinproof.export.provenance import credential_state, credentials_of, twin_source_type
from twinproof.export.records import PairExport, metric_value

SCHEMA = "1"
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SOURCE_TYPE = {"twin": DST + "trainedAlgorithmicMedia", "real": DST + "digitalCapture"}
RATINGS = {"approved_with_changes": 4, "changes_requested": 1, "rejected": -1}
LABELS = {"approved": "Green", "approved_with_changes": "Blue", "changes_requested": "Yellow",
          "rejected": "Red", "suspended": "Purple"}
#: Flat keywords TwinProof owns start with this; on update they are replaced, others kept.
KEYWORD_PREFIX = "twinproof:"
HIER_ROOT = "TwinProof|"
Role = Literal["real", "twin"]
Naming = Literal["adobe", "darktable", "both"]


@dataclass(frozen=True)
class XmpOptions:
    approved_rating: int = 5
    rate_real: bool = False
    naming: Naming = "adobe"

    def __post_init__(self) -> None:
        if not 1 <= self.approved_rating <= 5:
            raise ValueError(f"the approved rating must be 1-5 stars, not {self.approved_rating}")


def sidecar_paths(image: str | Path, naming: Naming = "adobe") -> list[Path]:
    """``IMG.xmp`` (Adobe, Capture One), ``IMG.jpg.xmp`` (darktable), or both."""
    path = Path(image)
    adobe, darktable = path.with_suffix(".xmp"), path.with_name(path.name + ".xmp")
    return {"adobe": [adobe], "darktable": [darktable], "both": [adobe, darktable]}[naming]


def source_type(item: PairExport, role: Role) -> tuple[str, str]:
    """The IPTC digital source type of one image of the pair, and why (see provenance)."""
    if role == "real":
        return SOURCE_TYPE["real"], "the real photograph of the shoot"
    return twin_source_type(credentials_of(item))


def _keywords(item: PairExport, role: Role) -> tuple[list[str], list[str]]:
    state = item.state
    flat = [f"{KEYWORD_PREFIX}{role}", f"{KEYWORD_PREFIX}{state}",
            f"{KEYWORD_PREFIX}verdict-{item.verdict.replace(' ', '-')}"]
    hier = [f"TwinProof|{role}", f"TwinProof|decision|{state}", f"TwinProof|verdict|{item.verdict}"]
    if not item.cleared:  # a DAM filters on it: the twin may not be published
        flat.append(f"{KEYWORD_PREFIX}not-cleared-for-use")
        hier.append("TwinProof|not cleared for use")
    for flag in item.flags:
        cat = str(flag.get("category", "flag"))
        flat.append(f"{KEYWORD_PREFIX}flag-{cat}")
        hier.append(f"TwinProof|flag|{cat}")
    if role == "twin":
        # Hierarchical too: darktable and digiKam read only lr:hierarchicalSubject when it is
        # there, and the disclosure keyword must reach them.
        flat.append("AI-generated")
        hier.append("AI-generated")
    return list(dict.fromkeys(flat)), list(dict.fromkeys(hier))


def _summary(item: PairExport, role: Role) -> dict[str, str]:
    d = item.decision
    result = item.result
    other = item.pair.twin_path if role == "real" else item.pair.real_path
    values = {
        "SchemaVersion": SCHEMA, "Role": role, "Pair": item.pair.name,
        "Shoot": item.shoot.name if item.shoot else "", "Counterpart": Path(other).name,
        "Decision": item.state, "Verdict": item.verdict,
        "Reviewer": d.reviewer if d else "", "ReviewerLogin": (d.db_role or "") if d else "",
        "DecidedAt": d.created_at.isoformat() if d else "",
        "Reasons": ", ".join(d.reasons) if d else "",
        "ReasonText": (d.reason_text or "") if d else "", "DecisionComment": (d.comment or "") if d else "",
        "OverrideJustification": (d.override_justification or "") if d else "",
        "ClearedForUse": "True" if item.cleared else "False", "Clearance": item.clearance,
        "Talent": item.talent_name or "", "ConsentValid": "True" if item.consent.ok else "False",
        "PolicyVersion": str((result.get("policy") or {}).get("version") or ""),
    }
    ssim = metric_value(item.analysis_result, "ssim.value")
    de = metric_value(item.analysis_result, "colour.delta_e00_mean")
    if ssim is not None:
        values["SSIM"] = f"{ssim:.4f}"
    if de is not None:
        values["DeltaE00Mean"] = f"{de:.3f}"
    values["FlagCount"] = str(len(item.flags))
    # The delivered twin's Content Credentials, in both sidecars: an invalid, a remote and a
    # valid manifest must not all read "TwinProof's default".
    names = {"state": "TwinContentCredentials", "validation": "TwinContentCredentialsValidation",
             "declared_source_type": "TwinDeclaredSourceType", "signer": "TwinCredentialsSigner",
             "generator": "TwinCredentialsGenerator", "url": "TwinCredentialsURL"}
    for key, value in credential_state(credentials_of(item)).items():
        if key in names:
            values[names[key]] = value
    return {k: v for k, v in values.items() if v != ""}


def xmp_rating(item: PairExport, options: XmpOptions) -> int | None:
    """The ``xmp:Rating`` of the twin: -1 when rejected (Lightroom's reject), else the
    reviewer's stars (1-5), else the decision's default stars, else None (nothing to say)."""
    state = item.state
    if state == "rejected":
        return -1
    if state == "suspended":  # no stars: a filter on "4 stars and up" must not pick it
        return None
    stars = item.pair.rating
    if stars:
        return int(stars)
    if state == "approved":
        return options.approved_rating
    return RATINGS.get(state)


def _rate_and_label(packet: x.Packet, item: PairExport, options: XmpOptions) -> None:
    """Rating and colour label; what TwinProof wrote before and has no more reason to say (a
    decision reset, stars cleared) is taken back, a rating another tool set is left alone."""
    rating, label = xmp_rating(item, options), LABELS.get(item.state)
    wrote = x.get(packet, "twinproof", "RatingWritten")
    decided_before = x.get(packet, "twinproof", "Decision") not in (None, "unreviewed")
    current = x.get(packet, "xmp", "Rating")
    if rating is not None:
        x.set_text(packet, x.q("xmp", "Rating"), str(rating))
    elif current is not None and (current == wrote or (wrote is None and decided_before)):
        x.remove(packet, x.q("xmp", "Rating"))
    if label is not None:
        x.set_text(packet, x.q("xmp", "Label"), label)
    elif decided_before and x.get(packet, "xmp", "Label") in LABELS.values():
        x.remove(packet, x.q("xmp", "Label"))


def apply(packet: x.Packet, item: PairExport, role: Role, options: XmpOptions) -> None:
    """Set TwinProof's properties on a packet, leaving every other property alone."""
    rated = role == "twin" or options.rate_real
    if rated:
        _rate_and_label(packet, item, options)
    source, basis = source_type(item, role)
    x.set_text(packet, x.q("Iptc4xmpExt", "DigitalSourceType"), source)
    set_keywords(packet, *_keywords(item, role))
    x.remove_namespace(packet, x.NS["twinproof"])
    desc = packet.main_description()
    mine_too = {"DigitalSourceTypeBasis": basis}
    if item.pair.rating:
        mine_too["Stars"] = str(item.pair.rating)
    if rated and (written := xmp_rating(item, options)) is not None:
        mine_too["RatingWritten"] = str(written)
    for name, value in {**_summary(item, role), **mine_too}.items():
        desc.set(x.q("twinproof", name), value)
    flags = [flag_line(f) for f in item.flags]
    if flags:
        x.set_array(packet, x.q("twinproof", "Flags"), flags, "Seq")


def set_keywords(packet: x.Packet, flat: list[str], hier: list[str]) -> None:
    """TwinProof's keywords replace the ones it wrote before; every other keyword is kept."""
    mine = set(flat)
    kept = [k for k in x.get_list(packet, "dc", "subject")
            if not k.casefold().startswith(KEYWORD_PREFIX) and k not in mine]
    x.set_array(packet, x.q("dc", "subject"), kept + flat)
    kept_h = [k for k in x.get_list(packet, "lr", "hierarchicalSubject")
              if not k.startswith(HIER_ROOT) and k not in hier]
    x.set_array(packet, x.q("lr", "hierarchicalSubject"), kept_h + hier)


def _sidecar_bytes(p: Path) -> bytes:
    try:
        # A named pipe or device under a sidecar's name would block a read forever: only a
        # regular file is a sidecar (as core.imageio does for images).
        if not stat.S_ISREG(p.stat().st_mode):
            raise x.XmpError(f"{p}: is not a regular file, so it is not a sidecar TwinProof will touch")
        return p.read_bytes()
    except OSError as exc:
        raise x.XmpError(f"{p}: cannot be read ({exc.strerror or exc})") from exc


def read_sidecar(path: str | Path) -> x.Packet:
    """Parse a sidecar safely (see :mod:`twinproof.export.xmp_io`)."""
    p = Path(path)
    return x.parse(_sidecar_bytes(p), str(p))


def set_aside(path: Path) -> Path:
    """Move a damaged sidecar out of the way as ``NAME.bak`` (``NAME.2.bak``... when taken):
    nothing is deleted, and the next export is not blocked by it."""
    n = 1
    while True:
        suffix = ".bak" if n == 1 else f".{n}.bak"  # within the 255-byte name limit (issue 28)
        backup = path.with_name(fit_name(path.name + suffix, name_max(path.parent), keep_suffix=suffix))
        if not backup.exists() and not backup.is_symlink():
            break
        n += 1
    os.replace(path, backup)
    return backup


def existing_packet(target: Path, notes: list[str] | None = None) -> x.Packet:
    """The sidecar already at ``target`` (or a new packet). One an earlier TwinProof wrote with
    raw control characters is repaired; one that is not XML at all, or XML but not XMP, is set
    aside as ``.bak``; either is said in ``notes``. A DTD or entities (a hostile file) is
    refused with :class:`XmpError` and left untouched."""
    if not (target.exists() or target.is_symlink()):
        return x.new_packet()
    data = _sidecar_bytes(target)
    try:
        return x.parse(data, str(target))
    except x.XmpRefusedError:
        raise
    except x.XmpError as exc:
        repaired = x.repair(data, str(target))
        if repaired is not None:
            if notes is not None:
                notes.append(f"{target}: repaired (control characters an earlier version wrote "
                             f"were removed)")
            return repaired
        backup = set_aside(target)
        if notes is not None:
            notes.append(f"{target}: unreadable ({exc}); kept as {backup.name} and written anew")
        return x.new_packet()


def write_sidecar(path: str | Path, item: PairExport, role: Role,
                  options: XmpOptions | None = None, notes: list[str] | None = None) -> Path:
    """Create or update one pair's sidecar atomically (see :func:`existing_packet` for damaged
    ones). A real photograph in several pairs: ``xmp_pairs.write_real_sidecar``."""
    target = Path(path)
    packet = existing_packet(target, notes)
    apply(packet, item, role, options or XmpOptions())
    return atomic_write_bytes(target, x.serialise(packet))


def write_pair_sidecars(item: PairExport, options: XmpOptions | None = None) -> list[Path]:
    """Sidecars next to both images of one pair, without the export's checks (image paths,
    shared names): prefer :func:`twinproof.export.sidecars.write_sidecars`."""
    opts = options or XmpOptions()
    written: list[Path] = []
    roles: tuple[tuple[Role, str], ...] = (("real", item.pair.real_path),
                                           ("twin", item.pair.twin_path))
    for role, image in roles:
        for path in sidecar_paths(image, opts.naming):
            written.append(write_sidecar(path, item, role, opts))
    return written
