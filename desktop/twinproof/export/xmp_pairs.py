"""The sidecar of a real photograph that belongs to several pairs (one real frame, several twins).

A sidecar belongs to one image file: Lightroom, Capture One, darktable, digiKam and exiftool look
for exactly ``IMG.xmp`` or ``IMG.jpg.xmp`` beside it, so a second file per pair would be read by no
one. The real photograph's one sidecar therefore describes every pair it belongs to:

- ``twinproof:Pairs``, an unordered array (``rdf:Bag``) with one structure per pair holding what a
  one-pair sidecar says at its top level (pair, counterpart twin, decision, verdict, reviewer,
  clearance, metrics summary, the twin's credentials, its flags as an ``rdf:Seq``), and
  ``twinproof:PairCount``;
- the keywords of every pair (``twinproof:approved`` and ``twinproof:rejected`` when its twins were
  decided both ways), so a catalogue's keyword filter finds the frame from any of them;
- at the top level only what is true of the frame whatever the pair: its role, source type
  (``digitalCapture``), and the shoot and talent when the pairs share them. The per-pair fields of a
  one-pair sidecar (``twinproof:Pair``, ``Decision``...) are not written: one pair's would misdescribe
  the others;
- a rating or label (``rate_real``) only when every pair asks for the same one; otherwise none, and
  one TwinProof wrote before is taken back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from twinproof.atomic import atomic_write_bytes
from twinproof.core.result.words import flag_line
from twinproof.export import xmp_io as x
from twinproof.export.records import PairExport
from twinproof.export.xmp import (
    LABELS,
    SCHEMA,
    XmpOptions,
    _keywords,
    _rate_and_label,
    _summary,
    existing_packet,
    set_keywords,
    source_type,
    xmp_rating,
)

#: Top-level fields of a one-pair sidecar that describe the pair, not the frame.
FRAME_FIELDS = ("SchemaVersion", "Role")


def write_real_sidecar(path: str | Path, items: Sequence[PairExport], options: XmpOptions | None = None,
                       notes: list[str] | None = None) -> Path:
    """Create or update the sidecar of a real photograph that belongs to all of ``items``'
    pairs, atomically; damaged sidecars as :func:`twinproof.export.xmp.existing_packet` says."""
    target = Path(path)
    packet = existing_packet(target, notes)
    apply_pairs(packet, items, options or XmpOptions())
    return atomic_write_bytes(target, x.serialise(packet))


def apply_pairs(packet: x.Packet, items: Sequence[PairExport], options: XmpOptions) -> None:
    """Set TwinProof's properties on a real photograph's packet for all of its pairs."""
    first = items[0]
    agree = len({xmp_rating(i, options) for i in items}) == 1 and len({LABELS.get(i.state) for i in items}) == 1
    if options.rate_real and agree:
        _rate_and_label(packet, first, options)
    elif x.get(packet, "twinproof", "RatingWritten") is not None:
        if x.get(packet, "xmp", "Rating") == x.get(packet, "twinproof", "RatingWritten"):
            x.remove(packet, x.q("xmp", "Rating"))
        if x.get(packet, "xmp", "Label") in LABELS.values():
            x.remove(packet, x.q("xmp", "Label"))
    source, basis = source_type(first, "real")
    x.set_text(packet, x.q("Iptc4xmpExt", "DigitalSourceType"), source)
    flat: list[str] = []
    hier: list[str] = []
    for item in items:
        f, h = _keywords(item, "real")
        flat += f
        hier += h
    set_keywords(packet, list(dict.fromkeys(flat)), list(dict.fromkeys(hier)))
    x.remove_namespace(packet, x.NS["twinproof"])
    desc = packet.main_description()
    top = {"SchemaVersion": SCHEMA, "Role": "real", "PairCount": str(len(items)), "DigitalSourceTypeBasis": basis}
    for field, names in (("Shoot", {i.shoot.name if i.shoot else "" for i in items}),
                         ("Talent", {i.talent_name or "" for i in items})):
        if len(names) == 1 and (name := names.pop()):
            top[field] = name
    if options.rate_real and agree and (written := xmp_rating(first, options)) is not None:
        top["RatingWritten"] = str(written)
    for name, value in top.items():
        desc.set(x.q("twinproof", name), value)
    bag = ET.SubElement(ET.SubElement(desc, x.q("twinproof", "Pairs")), f"{{{x.RDF}}}Bag")
    for item in items:
        _pair_structure(ET.SubElement(bag, f"{{{x.RDF}}}li", {f"{{{x.RDF}}}parseType": "Resource"}), item)


def _pair_structure(li: ET.Element, item: PairExport) -> None:
    values = {k: v for k, v in _summary(item, "real").items() if k not in FRAME_FIELDS}
    if item.pair.rating:
        values["Stars"] = str(item.pair.rating)
    for name, value in values.items():
        ET.SubElement(li, x.q("twinproof", name)).text = value
    flags = [flag_line(f) for f in item.flags]
    if flags:
        seq = ET.SubElement(ET.SubElement(li, x.q("twinproof", "Flags")), f"{{{x.RDF}}}Seq")
        for line in flags:
            ET.SubElement(seq, f"{{{x.RDF}}}li").text = line
