"""What a twin file's own XMP says about where it came from (``core.xmp_origin``), read from
real photographs tagged by exiftool the way generators and delivery tools tag them, in every
container TwinProof reads; exiftool reads the same values back. Hostile packets (an entity
bomb, an external entity, a zlib bomb, a named pipe as sidecar) are refused, fast."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import DATA
from twinproof.core.xmp_origin import MAX_XMP_BYTES, read_xmp_origin, xmp_generator

EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="apt-get install libimage-exiftool-perl")
C2PA = Path(__file__).resolve().parents[2].parent / "shared" / "c2pa"
needs_c2pa = pytest.mark.skipif(not (C2PA / "C.jpg").is_file(), reason="../shared/c2pa is absent")
PHOTO = DATA / "grace_hopper.jpg"  # a real photograph (U.S. Navy, public domain)
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
PACKET = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
          '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
          'xmlns:xmp="http://ns.adobe.com/xap/1.0/" {attrs}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>')


def photo() -> Image.Image:
    with Image.open(PHOTO) as im:
        return im.convert("RGB")


def exiftool(*args: str) -> str:
    assert EXIFTOOL is not None
    return subprocess.run([EXIFTOOL, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def tagged(tmp_path: Path, name: str, *tags: str) -> Path:
    """A copy of the real photograph in ``name``'s format, tagged by exiftool."""
    out = tmp_path / name
    photo().save(out)
    exiftool("-q", "-overwrite_original", *tags, str(out))
    return out


def exiftool_reads(path: Path) -> dict[str, str]:
    found = json.loads(exiftool("-j", "-XMP-xmp:CreatorTool", "-XMP-iptcExt:DigitalSourceType", str(path)))[0]
    return {k: v for k, v in found.items() if k != "SourceFile"}


@needs_exiftool
@pytest.mark.parametrize("name", ["twin.jpg", "twin.png", "twin.webp", "twin.tif"])
def test_a_generators_xmp_is_read_in_every_container(tmp_path, name):
    path = tagged(tmp_path, name, "-XMP-xmp:CreatorTool=Adobe Firefly Image 3",
                  f"-XMP-iptcExt:DigitalSourceType={DST}trainedAlgorithmicMedia")
    origin = read_xmp_origin(path)
    assert origin.found == "embedded"
    assert (origin.creator_tool, origin.digital_source_type) == ("Adobe Firefly Image 3",
                                                                  f"{DST}trainedAlgorithmicMedia")
    assert exiftool_reads(path) == {"CreatorTool": origin.creator_tool, "DigitalSourceType": origin.digital_source_type}
    assert origin.generator == "Adobe Firefly Image 3"


@needs_exiftool
def test_the_iptc_ai_system_is_the_generator_and_an_editor_is_not(tmp_path):
    packet = tmp_path / "packet.xmp"
    packet.write_text(PACKET.format(attrs='Iptc4xmpExt:AISystemUsed="Imagen" Iptc4xmpExt:AISystemVersionUsed="4" '
                                          'xmp:CreatorTool="Adobe Photoshop 26.1"',
                                    body=f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{DST}'
                                         'compositeWithTrainedAlgorithmicMedia"/>'))
    twin = tmp_path / "twin.jpg"
    photo().save(twin)
    exiftool("-q", "-overwrite_original", f"-xmp<={packet}", str(twin))
    origin = read_xmp_origin(twin)
    assert (origin.ai_system, origin.ai_system_version, origin.generator) == ("Imagen", "4", "Imagen 4")
    # Photoshop saving a real photograph is no generator; with a generative source type it is the tool
    edited = tagged(tmp_path, "edited.jpg", "-XMP-xmp:CreatorTool=Adobe Photoshop 26.1")
    assert read_xmp_origin(edited).creator_tool == "Adobe Photoshop 26.1" and read_xmp_origin(edited).generator is None
    known = tagged(tmp_path, "mj.png", "-XMP-xmp:CreatorTool=Midjourney 6.1")
    assert read_xmp_origin(known).generator == "Midjourney 6.1"


@needs_c2pa
def test_real_files_without_a_generator_say_so():
    """``no_manifest.jpg`` carries Adobe's XMP (history, dates) but no tool or source type."""
    assert read_xmp_origin(C2PA / "no_manifest.jpg").found == "none"
    assert read_xmp_origin(C2PA / "no_manifest.jpg").where == "JPEG APP1"
    assert read_xmp_origin(C2PA / "C.jpg").found == "none"
    assert read_xmp_origin(C2PA / "sample1.png").generator is None


@needs_exiftool
def test_a_sidecar_is_read_when_the_file_has_nothing(tmp_path):
    twin = tmp_path / "look01.jpg"
    photo().save(twin)
    side = tmp_path / "look01.xmp"
    side.write_text(PACKET.format(attrs='xmp:CreatorTool="Midjourney 6.1"', body=""))
    assert exiftool_reads(side) == {"CreatorTool": "Midjourney 6.1"}
    origin = read_xmp_origin(twin)
    assert (origin.found, origin.where, origin.generator) == ("sidecar", "look01.xmp", "Midjourney 6.1")
    # IMG.xmp is shared by look01.jpg and look01.png: not this file's to claim; IMG.jpg.xmp is
    photo().save(tmp_path / "look01.png")
    assert read_xmp_origin(twin).found == "none"
    (tmp_path / "look01.jpg.xmp").write_text(PACKET.format(attrs='xmp:CreatorTool="FLUX.1 [pro]"', body=""))
    assert read_xmp_origin(twin).generator == "FLUX.1 [pro]"


def test_a_sidecar_twinproof_wrote_is_not_the_generators_disclosure(tmp_path):
    twin = tmp_path / "look01.jpg"
    photo().save(twin)
    (tmp_path / "look01.xmp").write_text(PACKET.format(
        attrs=f'xmlns:twinproof="https://twinproof.app/ns/xmp/1.0/" twinproof:DigitalSourceTypeBasis="TwinProof\'s '
              f'default" Iptc4xmpExt:DigitalSourceType="{DST}trainedAlgorithmicMedia"', body=""))
    origin = read_xmp_origin(twin)
    assert origin.found == "none" and origin.digital_source_type is None


def _jpeg_with_app1(packet: bytes) -> bytes:
    data = (DATA / "grace_hopper.jpg").read_bytes()
    body = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body + data[2:]


BOMB = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
        + b']><x:xmpmeta xmlns:x="adobe:ns:meta/">&j;</x:xmpmeta>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreatorTool>&e;</xmp:CreatorTool>'
            b"</rdf:Description></rdf:RDF></x:xmpmeta>")


@pytest.mark.parametrize("packet", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_hostile_packets_are_refused_fast(tmp_path, packet):
    path = tmp_path / "twin.jpg"
    path.write_bytes(_jpeg_with_app1(packet))
    start = time.perf_counter()
    origin = read_xmp_origin(path)
    assert origin.found == "refused" and "DTD or entities" in (origin.detail or "")
    assert time.perf_counter() - start < 2.0
    with Image.open(path) as still:  # still a JPEG: the analysis reads it
        assert still.size == photo().size


def test_a_zlib_bomb_and_broken_files_are_said_not_raised(tmp_path):
    png = tmp_path / "twin.png"
    photo().save(png)
    data = png.read_bytes()
    text = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(b" " * (MAX_XMP_BYTES * 4), 9)
    chunk = struct.pack(">I", len(text)) + b"iTXt" + text + struct.pack(">I", zlib.crc32(b"iTXt" + text))
    png.write_bytes(data[:33] + chunk + data[33:])
    origin = read_xmp_origin(png)
    assert origin.found == "refused" and "up to 2 MB" in (origin.detail or "")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(_jpeg_with_app1(b"<x:xmpmeta><rdf:RDF")[:400])
    assert read_xmp_origin(broken).found in ("unreadable", "none")
    notxml = tmp_path / "notxml.jpg"
    notxml.write_bytes(_jpeg_with_app1(b"\x00\x01 not xml"))
    assert read_xmp_origin(notxml).found == "unreadable"
    assert read_xmp_origin(tmp_path / "missing.jpg").found == "unreadable"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_as_sidecar_does_not_hang(tmp_path):
    twin = tmp_path / "look01.jpg"
    photo().save(twin)
    os.mkfifo(tmp_path / "look01.jpg.xmp")
    origin = read_xmp_origin(twin)
    assert origin.found == "refused" and "not a regular file" in (origin.detail or "")


def test_the_rule_reads_a_stored_reading():
    assert xmp_generator({"found": "sidecar", "creator_tool": "ComfyUI"}) == "ComfyUI"
    assert xmp_generator({"found": "refused", "creator_tool": "ComfyUI"}) is None
    assert xmp_generator(None) is None


def test_a_tiffs_xmp_tag_is_read_exactly_and_a_damaged_one_is_searched(tmp_path):
    tif = tmp_path / "twin.tif"
    photo().save(tif)
    assert read_xmp_origin(tif).found == "none"  # walked: no tag 700, no byte search
    packet = PACKET.format(attrs='xmp:CreatorTool="Midjourney 6.1"', body="").encode()
    damaged = tmp_path / "damaged.tif"  # first directory past the end: the bytes are searched
    damaged.write_bytes(b"II*\x00" + struct.pack("<I", 10**9) + packet)
    origin = read_xmp_origin(damaged)
    assert (origin.where, origin.generator) == ("XMP packet", "Midjourney 6.1")
    huge = tmp_path / "huge.tif"  # one directory, tag 700 claiming 3 GB
    huge.write_bytes(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
                     + struct.pack("<HHII", 700, 7, 3 << 30, 26) + b"\x00" * 8)
    assert read_xmp_origin(huge).found == "refused"


@needs_exiftool
def test_exiftool_puts_a_tiffs_xmp_in_tag_700(tmp_path):
    tif = tagged(tmp_path, "twin.tif", "-XMP-xmp:CreatorTool=Adobe Firefly Image 3")
    assert read_xmp_origin(tif).where == "TIFF tag 700"


@needs_exiftool
def test_a_real_iphone_heic_and_a_tagged_copy(tmp_path):
    """An iPhone 13 Pro HEIC (tests/data/phone) carries XMP whose CreatorTool is the iOS version
    ("16.2"): read, and no generator; a copy tagged by exiftool names its generator."""
    phone = DATA / "phone" / "iphone13pro_pug.heic"
    origin = read_xmp_origin(phone)
    assert (origin.found, origin.creator_tool, origin.generator) == ("embedded", "16.2", None)
    copy = tmp_path / "twin.heic"
    shutil.copyfile(phone, copy)
    exiftool("-q", "-overwrite_original", "-XMP-xmp:CreatorTool=Midjourney 6.1",
             f"-XMP-iptcExt:DigitalSourceType={DST}trainedAlgorithmicMedia", str(copy))
    tagged_copy = read_xmp_origin(copy)
    assert exiftool_reads(copy) == {"CreatorTool": "Midjourney 6.1",
                                    "DigitalSourceType": f"{DST}trainedAlgorithmicMedia"}
    assert (tagged_copy.creator_tool, tagged_copy.generator) == ("Midjourney 6.1", "Midjourney 6.1")
