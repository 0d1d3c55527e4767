"""XMP sidecars for each image of a pair: the decision where photo tools look for it.

Lightroom, Bridge, Capture One and darktable read ``xmp:Rating`` (-1 reject, 1-5 stars),
``xmp:Label``, ``dc:subject`` keywords and ``lr:hierarchicalSubject``; the IPTC digital
source type says which image is generated. What is written, and why:

- The **twin** carries the decision: rating (approved 5 or the chosen rating, approved with
  changes 4, changes requested 1, rejected -1), a colour label, keywords, and
  ``Iptc4xmpExt:DigitalSourceType`` = ``trainedAlgorithmicMedia`` (the AI disclosure).
- The **real** photograph carries ``digitalCapture``, keywords naming its twin's decision and
  the TwinProof summary, but by default *not* a rating or label: the decision judges the twin,
  and the photographer's own picks on the shoot must not be overwritten (``rate_real=True``
  writes them on both).
- Both get a ``twinproof:`` namespace block with the metrics summary and the decision.

An existing sidecar is updated in place: only the properties above change; every other
application's field (develop settings, other keywords) is kept. Nothing is written into the
image itself - that would break a C2PA manifest's hash.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from twinproof.atomic import atomic_write_bytes
from twinproof.export import xmp_io as x
from twinproof.export.records import PairExport, metric_value

SCHEMA = "1"
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SOURCE_TYPE = {"twin": DST + "trainedAlgorithmicMedia", "real": DST + "digitalCapture"}
RATINGS = {"approved_with_changes": 4, "changes_requested": 1, "rejected": -1}
LABELS = {"approved": "Green", "approved_with_changes": "Blue", "changes_requested": "Yellow",
          "rejected": "Red"}
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


def _keywords(item: PairExport, role: Role) -> tuple[list[str], list[str]]:
    state = item.state
    flat = [f"{KEYWORD_PREFIX}{role}", f"{KEYWORD_PREFIX}{state}",
            f"{KEYWORD_PREFIX}verdict-{item.verdict.replace(' ', '-')}"]
    hier = [f"TwinProof|{role}", f"TwinProof|decision|{state}", f"TwinProof|verdict|{item.verdict}"]
    for flag in item.flags:
        cat = str(flag.get("category", "flag"))
        flat.append(f"{KEYWORD_PREFIX}flag-{cat}")
        hier.append(f"TwinProof|flag|{cat}")
    if role == "twin":
        flat.append("AI-generated")
    return list(dict.fromkeys(flat)), list(dict.fromkeys(hier))


def _summary(item: PairExport, role: Role) -> dict[str, str]:
    d = item.decision
    result = item.result
    other = item.pair.twin_path if role == "real" else item.pair.real_path
    values = {
        "SchemaVersion": SCHEMA, "Role": role, "Pair": item.pair.name,
        "Shoot": item.shoot.name if item.shoot else "", "Counterpart": Path(other).name,
        "Decision": item.state, "Verdict": item.verdict,
        "Reviewer": d.reviewer if d else "", "DecidedAt": d.created_at.isoformat() if d else "",
        "Reasons": ", ".join(d.reasons) if d else "",
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
    return {k: v for k, v in values.items() if v != ""}


def apply(packet: x.Packet, item: PairExport, role: Role, options: XmpOptions) -> None:
    """Set TwinProof's properties on a packet, leaving every other property alone."""
    rated = role == "twin" or options.rate_real
    state = item.state
    if rated and state == "unreviewed" and x.get(packet, "twinproof", "Decision") not in (
            None, "unreviewed") and x.get(packet, "xmp", "Label") in LABELS.values():
        # A decision was reset: take back the rating and label TwinProof wrote for it.
        x.remove(packet, x.q("xmp", "Rating"))
        x.remove(packet, x.q("xmp", "Label"))
    if rated and state != "unreviewed":
        rating = options.approved_rating if state == "approved" else RATINGS[state]
        x.set_text(packet, x.q("xmp", "Rating"), str(rating))
        x.set_text(packet, x.q("xmp", "Label"), LABELS[state])
    x.set_text(packet, x.q("Iptc4xmpExt", "DigitalSourceType"), SOURCE_TYPE[role])
    flat, hier = _keywords(item, role)
    mine = set(flat)
    kept = [k for k in x.get_list(packet, "dc", "subject")
            if not k.casefold().startswith(KEYWORD_PREFIX) and k not in mine]
    x.set_array(packet, x.q("dc", "subject"), kept + flat)
    kept_h = [k for k in x.get_list(packet, "lr", "hierarchicalSubject")
              if not k.startswith(HIER_ROOT)]
    x.set_array(packet, x.q("lr", "hierarchicalSubject"), kept_h + hier)
    x.remove_namespace(packet, x.NS["twinproof"])
    desc = packet.main_description()
    for name, value in _summary(item, role).items():
        desc.set(x.q("twinproof", name), value)
    flags = [f"{f.get('severity')}: {f.get('category')}/{f.get('region')} - {f.get('message')}"
             for f in item.flags]
    if flags:
        x.set_array(packet, x.q("twinproof", "Flags"), flags, "Seq")


def read_sidecar(path: str | Path) -> x.Packet:
    """Parse a sidecar safely (see :mod:`twinproof.export.xmp_io`)."""
    p = Path(path)
    try:
        # A named pipe or device under a sidecar's name would block a read forever: only a
        # regular file is a sidecar (as core.imageio does for images).
        if not stat.S_ISREG(p.stat().st_mode):
            raise x.XmpError(f"{p}: is not a regular file, so it is not a sidecar TwinProof will touch")
        data = p.read_bytes()
    except OSError as exc:
        raise x.XmpError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    return x.parse(data, str(p))


def write_sidecar(path: str | Path, item: PairExport, role: Role,
                  options: XmpOptions | None = None) -> Path:
    """Create or update one sidecar atomically; an unreadable existing one is refused."""
    target = Path(path)
    packet = read_sidecar(target) if target.exists() or target.is_symlink() else x.new_packet()
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
