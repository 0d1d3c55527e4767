"""The sheet's document metadata: one set of values written to both the PDF Info dictionary
and the XMP packet, so no reader sees two different documents.

Asset systems read the XMP, desktop viewers the Info dictionary; when they disagreed
(keywords in one and not the other, a different description, a digital source type only in
one) a search in one tool missed what another showed. Here each value is cleaned once and
given to both: title ↔ ``dc:title``, subject ↔ ``dc:description``, author ↔ ``dc:creator``,
keywords ↔ ``pdf:Keywords`` (the same string) and ``dc:subject`` (the same words), creator ↔
``xmp:CreatorTool``, producer ↔ ``pdf:Producer``, creation date ↔ ``xmp:CreateDate``.

The XMP is built with ElementTree through :mod:`twinproof.export.xmp_io` (the sidecars' own
writer), never by string formatting: a shoot or reviewer name with ``<``, ``&`` or a control
character cannot break it, and it is parsed back before it is embedded.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

import fpdf
from fpdf import FPDF

from twinproof import __version__
from twinproof.export import xmp_io as x

#: A sheet sets a real photograph beside an AI-generated twin: IPTC's term for such a document.
SHEET_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _clean(text: str) -> str:
    """One line, nothing XML cannot carry: the same text goes to Info and to XMP."""
    return " ".join(x.xml_text(str(text)).split())


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    subject: str
    author: str
    keywords: tuple[str, ...]
    creator: str
    producer: str
    lang: str = "en"
    source_type: str = SHEET_SOURCE_TYPE
    created: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    document_id: str = field(default_factory=lambda: f"uuid:{uuid.uuid4()}")

    def __post_init__(self) -> None:
        for name in ("title", "subject", "author", "creator", "producer"):
            object.__setattr__(self, name, _clean(getattr(self, name)))
        words = [_clean(k).replace(";", ",") for k in self.keywords]
        object.__setattr__(self, "keywords", tuple(dict.fromkeys(k for k in words if k)))

    @property
    def keyword_text(self) -> str:
        """The Info dictionary's Keywords and XMP's ``pdf:Keywords``: one string for both."""
        return "; ".join(self.keywords)

    def xmp(self) -> str:
        """The XMP packet (without the ``<?xpacket?>`` wrapper fpdf2 adds)."""
        packet = x.new_packet()
        desc = packet.main_description()
        for prop, value in ((x.q("dc", "title"), self.title),
                            (x.q("dc", "description"), self.subject)):
            alt = ET.SubElement(ET.SubElement(desc, prop), f"{{{x.RDF}}}Alt")
            ET.SubElement(alt, f"{{{x.RDF}}}li", {XML_LANG: "x-default"}).text = value
        x.set_array(packet, x.q("dc", "creator"), [self.author], "Seq")
        x.set_array(packet, x.q("dc", "subject"), list(self.keywords))
        x.set_array(packet, x.q("dc", "language"), [self.lang])
        when = self.created.isoformat()
        for name, value in (("CreatorTool", self.creator), ("CreateDate", when),
                            ("ModifyDate", when), ("MetadataDate", when)):
            x.set_text(packet, x.q("xmp", name), value)
        x.set_text(packet, x.q("pdf", "Keywords"), self.keyword_text)
        x.set_text(packet, x.q("pdf", "Producer"), self.producer)
        x.set_text(packet, x.q("xmpMM", "DocumentID"), self.document_id)
        x.set_text(packet, x.q("xmpMM", "InstanceID"), self.document_id)
        x.set_text(packet, x.q("Iptc4xmpExt", "DigitalSourceType"), self.source_type)
        text = x.serialise(packet).decode("utf-8")  # parsed back inside serialise
        return text.split("?>", 1)[1].strip()  # fpdf2 adds its own header

    def apply(self, pdf: FPDF) -> None:
        """Set the Info dictionary and the XMP from the same values."""
        pdf.set_title(self.title)
        pdf.set_subject(self.subject)
        pdf.set_author(self.author)
        pdf.set_keywords(self.keyword_text)
        pdf.set_creator(self.creator)
        pdf.set_producer(self.producer)
        pdf.set_creation_date(self.created)
        pdf.set_lang(self.lang)
        pdf.set_xmp_metadata(self.xmp())


def sheet_meta(shoots: list[str], twin_sources: list[str], author: str) -> DocumentMeta:
    """The comparison sheet's metadata; the keywords name the document's own source type and
    every twin's (a twin's valid Content Credentials may declare another than the default)."""
    kinds = sorted({uri.rsplit("/", 1)[-1] for uri in twin_sources})
    return DocumentMeta(
        title="TwinProof comparison sheets: " + "; ".join(shoots),
        subject="Real photographs compared with AI-generated digital twins of real people: "
                "alignment, fidelity metrics, annotations, decisions and consent status.",
        author=author,
        keywords=("TwinProof", "digital twin", "AI-generated", "comparison sheet",
                  SHEET_SOURCE_TYPE.rsplit("/", 1)[-1], *kinds, *shoots),
        creator=f"TwinProof {__version__}", producer=f"fpdf2 {fpdf.__version__}",
    )
