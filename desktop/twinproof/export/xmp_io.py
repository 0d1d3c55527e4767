"""Reading and writing XMP packets safely, value forms included, other tools' fields kept.

Why by hand: ``python-xmp-toolkit`` needs the system Exempi library and ``pyexiv2`` is GPLv3.
An XMP sidecar is RDF/XML with a small set of shapes, so the standard library's ElementTree
is enough - but only behind ``defusedxml``: a sidecar comes from anywhere (a photographer's
drive, a generator's delivery), and a DTD with entity declarations (a "billion laughs" bomb,
an external entity reading local files) must be refused before it is expanded.

RDF lets one property be written three ways and every reader must accept all of them:
an attribute of ``rdf:Description`` (``xmp:Rating="5"``), an element with text
(``<xmp:Rating>5</xmp:Rating>``) or an element with ``rdf:resource`` (URIs); arrays are
``rdf:Bag`` / ``rdf:Seq`` / ``rdf:Alt`` of ``rdf:li``.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from twinproof.core.errors import TwinProofError

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "darktable": "http://darktable.sf.net/",
    "twinproof": "https://twinproof.app/ns/xmp/1.0/",
}
RDF = NS["rdf"]
ARRAYS = ("Bag", "Seq", "Alt")
#: Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls
#: other than tab/LF/CR, surrogates, U+FFFE/U+FFFF. A file or reviewer name may hold them
#: (ESC, BEL, \x01); written raw they make the whole sidecar unreadable for every tool.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_ILLEGAL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class XmpError(TwinProofError):
    """A sidecar cannot be read or is refused (malformed, hostile DTD or entities)."""


class XmpRefusedError(XmpError):
    """A sidecar declares a DTD or entities: possibly hostile, never touched."""


def q(prefix: str, name: str) -> str:
    """The ElementTree name ``{uri}name`` of ``prefix:name``."""
    return f"{{{NS[prefix]}}}{name}"


@dataclass
class Packet:
    """A parsed XMP packet: the ``x:xmpmeta`` root and the prefixes its author used."""

    root: ET.Element
    prefixes: dict[str, str]

    @property
    def rdf(self) -> ET.Element:
        node = self.root.find(f"{{{RDF}}}RDF")
        assert node is not None  # guaranteed by parse()/new_packet()
        return node

    def descriptions(self) -> list[ET.Element]:
        return self.rdf.findall(f"{{{RDF}}}Description")

    def main_description(self) -> ET.Element:
        """The first ``rdf:Description`` (created when the packet has none)."""
        found = self.descriptions()
        if found:
            return found[0]
        return ET.SubElement(self.rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})


def new_packet() -> Packet:
    root = ET.Element(q("x", "xmpmeta"))
    rdf = ET.SubElement(root, f"{{{RDF}}}RDF")
    ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
    return Packet(root, {})


def parse(data: bytes, where: str = "XMP") -> Packet:
    """Parse an XMP packet, refusing DTDs and entities; accepts a bare ``rdf:RDF`` root."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpRefusedError(f"{where}: refused: the file declares a DTD or entities "
                       f"({type(exc).__name__}), which XMP never needs and XML bombs use") from exc
    except ET.ParseError as exc:
        raise XmpError(f"{where}: not valid XML ({exc})") from exc
    if root.tag == f"{{{RDF}}}RDF":
        wrapper = ET.Element(q("x", "xmpmeta"))
        wrapper.append(root)
        root = wrapper
    if root.find(f"{{{RDF}}}RDF") is None:
        raise XmpError(f"{where}: not an XMP packet (no rdf:RDF inside {root.tag})")
    return Packet(root, _prefixes(data))


def _prefixes(data: bytes) -> dict[str, str]:
    """The author's ``xmlns`` prefixes, decoded by the XML parser itself (so a sidecar in
    ISO-8859-1 or UTF-16 is read right); only called on a document already parsed safely."""
    found: dict[str, str] = {}
    try:
        for _event, (prefix, uri) in SafeET.iterparse(io.BytesIO(data), events=("start-ns",),
                                                       forbid_dtd=True, forbid_entities=True,
                                                       forbid_external=True):
            if prefix:
                found.setdefault(prefix, uri)
    except (DefusedXmlException, ET.ParseError):
        return {}
    return found


def xml_text(value: str) -> str:
    """``value`` without the characters XML cannot carry (ElementTree writes them raw)."""
    return XML_ILLEGAL.sub("", value)


def _clean_tree(root: ET.Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = xml_text(el.text)
        if el.tail:
            el.tail = xml_text(el.tail)
        for key, value in el.attrib.items():
            el.attrib[key] = xml_text(value)


def repair(data: bytes, where: str = "XMP") -> Packet | None:
    """A sidecar an earlier TwinProof wrote with raw control characters, parsed after removing
    them (only those bytes; no other guess is made); None when that does not make it XMP."""
    try:
        data.decode("utf-8")  # what TwinProof wrote; a UTF-16 file's NUL bytes are not junk
    except UnicodeDecodeError:
        return None
    cleaned = XML_ILLEGAL_BYTES.sub(b"", data)
    if cleaned == data:
        return None
    try:
        return parse(cleaned, where)
    except XmpError:
        return None


def serialise(packet: Packet) -> bytes:
    """UTF-8 XML with the usual prefixes (the author's own kept where they do not clash);
    every text and attribute value stripped of what XML cannot carry, so the result is
    well-formed whatever names went in (checked by parsing it back)."""
    _clean_tree(packet.root)
    for prefix, uri in {**packet.prefixes, **NS}.items():
        if re.fullmatch(r"ns\d+", prefix) or prefix == "xml":
            continue
        try:
            ET.register_namespace(prefix, uri)
        except ValueError:
            continue
    ET.indent(packet.root, space=" ")
    body = ET.tostring(packet.root, encoding="unicode")
    out = ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
    parse(out, "the XMP TwinProof is about to write")  # never write what no tool could read
    return out


def _element_value(el: ET.Element) -> str | list[str]:
    resource = el.get(f"{{{RDF}}}resource")
    if resource is not None:
        return resource
    for kind in ARRAYS:
        array = el.find(f"{{{RDF}}}{kind}")
        if array is not None:
            return [li.get(f"{{{RDF}}}resource") or (li.text or "").strip()
                    for li in array.findall(f"{{{RDF}}}li")]
    return (el.text or "").strip()


def get(packet: Packet, prefix: str, name: str) -> str | list[str] | None:
    """One property's value in any of its three RDF forms (first found), or None."""
    tag = q(prefix, name)
    for desc in packet.descriptions():
        if tag in desc.attrib:
            return desc.attrib[tag]
        el = desc.find(tag)
        if el is not None:
            return _element_value(el)
    return None


def get_list(packet: Packet, prefix: str, name: str) -> list[str]:
    """An array property as a list (a single value becomes a one-item list)."""
    value = get(packet, prefix, name)
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def remove(packet: Packet, tag: str) -> None:
    """Drop a property (``{uri}name``) wherever and however it is written."""
    for desc in packet.descriptions():
        desc.attrib.pop(tag, None)
        for el in desc.findall(tag):
            desc.remove(el)


def remove_namespace(packet: Packet, uri: str) -> None:
    """Drop every property of one namespace (TwinProof rewrites its own whole)."""
    start = f"{{{uri}}}"
    for desc in packet.descriptions():
        for key in [k for k in desc.attrib if k.startswith(start)]:
            del desc.attrib[key]
        for el in [e for e in desc if e.tag.startswith(start)]:
            desc.remove(el)


def set_text(packet: Packet, tag: str, value: str) -> None:
    remove(packet, tag)
    ET.SubElement(packet.main_description(), tag).text = value


def set_array(packet: Packet, tag: str, values: list[str], kind: str = "Bag") -> None:
    remove(packet, tag)
    if not values:
        return
    array = ET.SubElement(ET.SubElement(packet.main_description(), tag), f"{{{RDF}}}{kind}")
    for value in values:
        ET.SubElement(array, f"{{{RDF}}}li").text = value
