"""What an image file's own XMP says about where it came from: the generator's name and the
IPTC digital source type, read from the packet embedded in the file, else from a sidecar.

Why: a vendor's pipeline often strips Content Credentials, but generators (and the tools that
deliver their output) commonly write XMP: ``xmp:CreatorTool``, ``Iptc4xmpExt:DigitalSourceType``
(``trainedAlgorithmicMedia``, ``compositeWithTrainedAlgorithmicMedia``) and, since IPTC Photo
Metadata 2025.1, ``Iptc4xmpExt:AISystemUsed`` / ``AISystemVersionUsed``. The shoot audit groups
twins by generator, so what the file says is recorded with the analysis (in its provenance).

Weaker than a valid C2PA manifest: XMP is unsigned and anyone can write it. The audit therefore
ranks it after a reviewer's name and valid Content Credentials (``core.drift.inputs``).

Hostile input: the packet comes from anywhere. It is located by walking the container (JPEG
APP1, PNG iTXt, WebP ``XMP `` chunk; ``core.xmp_packet``) or, for other formats, by a bounded
byte search; at most
``MAX_XMP_BYTES`` are parsed, through ``defusedxml`` with DTDs, entities and external references
refused (an entity bomb or a ``file://`` entity is never expanded). Nothing here raises on a bad
file: the reading says "refused" or "unreadable" and why.

A sidecar TwinProof wrote itself (its ``twinproof:`` namespace) declares TwinProof's own AI
disclosure, not the generator's, so its digital source type is not read back as the file's.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from twinproof.core.result.codec import OMIT, encode
from twinproof.core.xmp_packet import MAX_XMP_BYTES, find_packet, too_large

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
#: Digital source types that say an algorithm made (part of) the image: its CreatorTool then
#: names the generator.
GENERATED = ("trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia",
             "compositeSynthetic")
#: Tool names of generators, as found in CreatorTool without a digital source type.
GENERATOR_TOOLS = ("midjourney", "dall-e", "dall·e", "openai", "firefly", "imagen", "gemini", "stable diffusion",
                   "stability ai", "comfyui", "automatic1111", "flux", "black forest labs", "leonardo", "runway",
                   "ideogram", "krea", "sora")
_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xmp": "http://ns.adobe.com/xap/1.0/",
       "ext": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "twinproof": "https://twinproof.app/ns/xmp/1.0/"}


@dataclass(frozen=True)
class XmpOrigin:
    """What the file's XMP says (JSON: the ``xmp`` of an analysis' ``provenance``).

    ``found``: "embedded", "sidecar", "none" (no packet, or none of these properties),
    "refused" (hostile or too large) or "unreadable" (not XML, not XMP)."""

    found: str
    #: Where: "JPEG APP1", "PNG iTXt", the sidecar's file name...
    where: str | None = field(default=None, metadata=OMIT)
    creator_tool: str | None = field(default=None, metadata=OMIT)
    digital_source_type: str | None = field(default=None, metadata=OMIT)
    ai_system: str | None = field(default=None, metadata=OMIT)
    ai_system_version: str | None = field(default=None, metadata=OMIT)
    #: Why it was refused or unreadable, or what was left out.
    detail: str | None = field(default=None, metadata=OMIT)

    def to_json(self) -> dict[str, Any]:
        return dict(encode(self))

    @property
    def generator(self) -> str | None:
        return xmp_generator(self.to_json())


def xmp_generator(xmp: Any) -> str | None:
    """The generator a recorded XMP reading names (the audit's rule, on the stored dict): the AI
    system it declares (with its version); else its CreatorTool when the file says an algorithm
    made it, or when the tool is a known generator's; else None (an editor's name, such as the
    Photoshop that last saved a photograph, is not a generator)."""
    if not isinstance(xmp, dict) or xmp.get("found") not in ("embedded", "sidecar"):
        return None
    system = " ".join(str(xmp.get("ai_system") or "").split())
    if system:
        version = " ".join(str(xmp.get("ai_system_version") or "").split())
        return f"{system} {version}".strip() if version and version not in system else system
    tool = " ".join(str(xmp.get("creator_tool") or "").split())
    if not tool:
        return None
    generated = str(xmp.get("digital_source_type") or "").rsplit("/", 1)[-1] in GENERATED
    if generated or any(name in tool.casefold() for name in GENERATOR_TOOLS):
        return tool
    return None


def read_xmp_origin(path: str | Path) -> XmpOrigin:
    """The file's embedded XMP, else its sidecar's (``IMG.jpg.xmp``, or ``IMG.xmp`` when no other
    file of that stem could own it). Never raises."""
    p = Path(path)
    try:
        embedded = _embedded(p)
    except OSError as exc:
        return XmpOrigin("unreadable", detail=f"the file cannot be read ({exc.strerror or exc})")
    if embedded.found in ("refused", "unreadable") or _says_something(embedded):
        return embedded
    for sidecar in _sidecars(p):
        found = _sidecar(sidecar)
        if found.found != "none":
            return found
    return embedded


def _says_something(x: XmpOrigin) -> bool:
    return any((x.creator_tool, x.digital_source_type, x.ai_system))


def _embedded(p: Path) -> XmpOrigin:
    found, where = find_packet(p)
    if found is None:
        return XmpOrigin("none")
    if isinstance(found, str):
        return XmpOrigin("refused" if where else "unreadable", where or None, detail=found)
    return _parse(found, "embedded", where)


# --- sidecars -----------------------------------------------------------------------------

#: Extensions of the image files that could share an Adobe-named sidecar (``IMG.xmp``) with this one.
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif", ".avif", ".gif", ".bmp",
                  ".dng", ".cr2", ".cr3", ".nef", ".arw", ".raf", ".orf", ".rw2", ".psd")


def _sidecars(p: Path) -> list[Path]:
    """darktable's ``IMG.jpg.xmp`` always names this file; Adobe's ``IMG.xmp`` only when no other
    image of the same stem sits beside it (``look.jpg`` and ``look.png`` would share it). A few
    stats, no directory listing: a batch reads 10,000 twins from one folder."""
    out = [p.with_name(p.name + ".xmp")]
    adobe = p.with_suffix(".xmp")
    if adobe.exists():
        variants = {s for suffix in IMAGE_SUFFIXES for s in (suffix, suffix.upper())}
        shared = [v for v in variants if v != p.suffix and _other_file(p.with_suffix(v), p)]
        if not shared:
            out.append(adobe)
    return out


def _other_file(candidate: Path, p: Path) -> bool:
    """``candidate`` exists and is not ``p`` itself (``look.JPG`` is ``look.jpg`` on macOS)."""
    try:
        return candidate.exists() and not candidate.samefile(p)
    except OSError:
        return False


def _sidecar(path: Path) -> XmpOrigin:
    try:
        info = path.stat()
    except OSError:
        return XmpOrigin("none")
    if not stat.S_ISREG(info.st_mode):
        return XmpOrigin("refused", path.name, detail="the sidecar is not a regular file")
    if info.st_size > MAX_XMP_BYTES:
        return XmpOrigin("refused", path.name, detail=too_large(info.st_size))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return XmpOrigin("unreadable", path.name, detail=f"cannot be read ({exc.strerror or exc})")
    return _parse(data, "sidecar", path.name)


# --- parsing ------------------------------------------------------------------------------

def _parse(data: bytes, found: str, where: str) -> XmpOrigin:
    if len(data) > MAX_XMP_BYTES:
        return XmpOrigin("refused", where, detail=too_large(len(data)))
    try:
        root = SafeET.fromstring(data.strip(b"\x00 \t\r\n"), forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except DefusedXmlException as exc:
        return XmpOrigin("refused", where, detail=f"the XMP declares a DTD or entities ({type(exc).__name__}), "
                                                  "which XMP never needs and XML bombs use")
    except (ParseError, ValueError) as exc:
        return XmpOrigin("unreadable", where, detail=f"not valid XML ({exc})")
    descriptions = list(root.iter(f"{{{_NS['rdf']}}}Description"))
    if not descriptions:
        return XmpOrigin("unreadable", where, detail="not an XMP packet (no rdf:Description)")
    origin = XmpOrigin(found, where, _get(descriptions, "xmp", "CreatorTool"),
                       _get(descriptions, "ext", "DigitalSourceType"), _get(descriptions, "ext", "AISystemUsed"),
                       _get(descriptions, "ext", "AISystemVersionUsed"))
    if _get(descriptions, "twinproof", "DigitalSourceTypeBasis") is not None and origin.digital_source_type:
        origin = replace(origin, digital_source_type=None,
                         detail="its digital source type was written by TwinProof (its own disclosure), not read")
    if not _says_something(origin):
        return replace(origin, found="none")
    return origin


def _get(descriptions: list[Element], prefix: str, name: str) -> str | None:
    """A property in any RDF form: attribute, element text, ``rdf:resource``, or the first item
    of an ``rdf:Alt``/``Bag``/``Seq``; trimmed, at most 200 characters, None when empty."""
    tag = f"{{{_NS[prefix]}}}{name}"
    rdf = _NS["rdf"]
    for desc in descriptions:
        value = desc.get(tag)
        if value is None and (el := desc.find(tag)) is not None:
            value = el.get(f"{{{rdf}}}resource")
            if value is None:
                li = next(el.iter(f"{{{rdf}}}li"), None)
                value = (li.get(f"{{{rdf}}}resource") or li.text) if li is not None else el.text
        text = " ".join(str(value or "").split())[:200]
        text = "".join(c for c in text if c.isprintable())
        if text:
            return text
    return None
