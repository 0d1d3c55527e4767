"""XMP sidecars: read back by exiftool (an independent reader), updated in place, safe."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from twinproof.core.result.words import flag_line
from twinproof.export import xmp_io
from twinproof.export.xmp import XmpOptions, read_sidecar, sidecar_paths, write_pair_sidecars, write_sidecar
from twinproof.paths import resource_path

SAMPLE = resource_path("sample")
EXIFTOOL = shutil.which("exiftool")
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="apt-get install libimage-exiftool-perl")
TAGS = ["-XMP-xmp:Rating", "-XMP-xmp:Label", "-XMP-dc:Subject", "-XMP-iptcExt:DigitalSourceType",
        "-XMP-lr:HierarchicalSubject"]


def exif(path):
    out = subprocess.run([EXIFTOOL, "-j", "-struct", *TAGS, str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)[0]


def as_list(value):
    return value if isinstance(value, list) else [value]


@needs_exiftool
def test_twin_and_real_sidecars_read_by_exiftool(items, tmp_path):
    rejected = items["look02"]
    twin = exif(write_sidecar(tmp_path / "twin.xmp", rejected, "twin"))
    assert twin["Rating"] == -1
    assert twin["Label"] == "Red"
    assert "twinproof:rejected" in as_list(twin["Subject"])
    assert "twinproof:flag-colour" in as_list(twin["Subject"])
    assert "AI-generated" in as_list(twin["Subject"])
    assert twin["DigitalSourceType"] == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
    assert "TwinProof|decision|rejected" in as_list(twin["HierarchicalSubject"])
    real = exif(write_sidecar(tmp_path / "real.xmp", rejected, "real"))
    assert real["DigitalSourceType"].endswith("/digitalCapture")
    assert "Rating" not in real and "Label" not in real  # the photographer's picks are not ours
    ok = write_sidecar(tmp_path / "ok.xmp", items["look01"], "twin", XmpOptions(approved_rating=4))
    approved = exif(ok)
    assert approved["Rating"] == 4 and approved["Label"] == "Green"


def test_sidecar_names_and_pair_writer(items, tmp_path):
    assert [p.name for p in sidecar_paths("/a/IMG_1.jpg", "both")] == ["IMG_1.xmp", "IMG_1.jpg.xmp"]
    item = items["look01"]
    written = write_pair_sidecars(item, XmpOptions(naming="both"))
    try:
        assert {p.name for p in written} == {"look01.xmp", "look01.jpg.xmp"}
        packet = read_sidecar(sidecar_paths(item.pair.twin_path)[0])
        assert xmp_io.get(packet, "twinproof", "Decision") == "approved"
        assert xmp_io.get(packet, "twinproof", "Role") == "twin"
        assert float(xmp_io.get(packet, "twinproof", "SSIM")) > 0.9
    finally:
        for p in written:
            p.unlink()


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:darktable="http://darktable.sf.net/"
    xmp:Rating="2" crs:Exposure2012="+0.35" darktable:colorlabels="">
   <xmp:Label>Purple</xmp:Label>
   <dc:subject><rdf:Bag><rdf:li>campaign-ss27</rdf:li><rdf:li>twinproof:approved</rdf:li></rdf:Bag></dc:subject>
   <dc:creator><rdf:Seq><rdf:li>Studio Nord</rdf:li></rdf:Seq></dc:creator>
   <crs:ToneCurvePV2012><rdf:Seq><rdf:li>0, 0</rdf:li><rdf:li>255, 255</rdf:li></rdf:Seq>
   </crs:ToneCurvePV2012>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


@needs_exiftool
def test_existing_sidecar_updated_in_place_keeping_other_fields(items, tmp_path):
    path = tmp_path / "look02.xmp"
    path.write_text(FOREIGN, encoding="utf-8")
    write_sidecar(path, items["look02"], "twin")
    write_sidecar(path, items["look02"], "twin")  # idempotent: no duplicated keywords
    out = subprocess.run([EXIFTOOL, "-j", "-XMP:all", str(path)], capture_output=True, text=True, check=True)
    tags = json.loads(out.stdout)[0]
    assert tags["Exposure2012"] in ("+0.35", 0.35)
    assert tags["Creator"] == "Studio Nord"
    assert tags["ToneCurvePV2012"] == ["0, 0", "255, 255"]
    assert tags["Rating"] == -1 and tags["Label"] == "Red"  # ours replace, in one place only
    subjects = as_list(tags["Subject"])
    assert "campaign-ss27" in subjects and "twinproof:approved" not in subjects
    assert subjects.count("twinproof:rejected") == 1
    text = path.read_text(encoding="utf-8")
    assert text.count("<xmp:Rating>") == 1 and "Rating=" not in text
    assert "crs:Exposure2012" in text and "ns0:" not in text


def test_values_as_attributes_text_and_resource():
    packet = xmp_io.parse(b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
      xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="3"/>
      <rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"
          xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
        <xmp:Label>Red</xmp:Label>
        <Iptc4xmpExt:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"/>
      </rdf:Description></rdf:RDF></x:xmpmeta>""")
    assert xmp_io.get(packet, "xmp", "Rating") == "3"
    assert xmp_io.get(packet, "xmp", "Label") == "Red"
    assert xmp_io.get(packet, "Iptc4xmpExt", "DigitalSourceType").endswith("digitalCapture")
    assert xmp_io.get_list(packet, "dc", "subject") == []


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:Label>&lol3;</xmp:Label></rdf:Description>
</rdf:RDF></x:xmpmeta>"""
EXTERNAL = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description>&e;</rdf:Description></rdf:RDF></x:xmpmeta>"""


@pytest.mark.parametrize("hostile", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_hostile_sidecar_refused_and_left_untouched(items, tmp_path, hostile):
    path = tmp_path / "evil.xmp"
    path.write_text(hostile, encoding="utf-8")
    with pytest.raises(xmp_io.XmpError, match="refused: the file declares a DTD"):
        write_sidecar(path, items["look02"], "twin")
    assert path.read_text(encoding="utf-8") == hostile


@pytest.mark.parametrize("text,match", [("<x:xmpmeta", "not valid XML"), ("<a/>", "not an XMP packet")])
def test_broken_sidecar_set_aside_not_blocking(items, tmp_path, text, match):
    """A sidecar no reader can use is kept as NAME.bak (nothing lost) and a new one written."""
    path = tmp_path / "bad.xmp"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(xmp_io.XmpError, match=match):
        read_sidecar(path)
    notes: list[str] = []
    write_sidecar(path, items["look02"], "twin", notes=notes)
    assert (tmp_path / "bad.xmp.bak").read_text(encoding="utf-8") == text
    assert xmp_io.get(read_sidecar(path), "twinproof", "Decision") == "rejected"
    assert "kept as bad.xmp.bak" in notes[0]
    path.write_text(text, encoding="utf-8")  # broken again: the first .bak is not overwritten
    write_sidecar(path, items["look02"], "twin", notes=notes)
    assert (tmp_path / "bad.xmp.2.bak").read_text(encoding="utf-8") == text
    assert (tmp_path / "bad.xmp.bak").read_text(encoding="utf-8") == text


#: A sidecar as TwinProof wrote it before this fix: a reviewer named with ESC and BEL, raw.
OLD_DAMAGED = ('<?xml version="1.0" encoding="UTF-8"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
               'xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" '
               'xmlns:twinproof="https://twinproof.app/ns/xmp/1.0/" crs:Exposure2012="+0.35" '
               'twinproof:Reviewer="bob\x1b[31m\x07"/></rdf:RDF></x:xmpmeta>\n')


def test_damaged_sidecar_of_an_earlier_version_is_repaired(items, tmp_path):
    path = tmp_path / "old.xmp"
    path.write_text(OLD_DAMAGED, encoding="utf-8")
    with pytest.raises(xmp_io.XmpError, match="not valid XML"):
        read_sidecar(path)
    notes: list[str] = []
    write_sidecar(path, items["look02"], "twin", notes=notes)
    packet = read_sidecar(path)
    assert xmp_io.get(packet, "twinproof", "Decision") == "rejected"
    assert "Exposure2012" in path.read_text(encoding="utf-8")  # the other app's field survives
    assert "repaired" in notes[0] and not (tmp_path / "old.xmp.bak").exists()


CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\ud800"


@needs_exiftool
def test_hostile_names_make_well_formed_xmp_twice(items, tmp_path):
    """File, pair, talent and reviewer names with every control character XML cannot carry,
    markup and quotes: the sidecar parses (our parser, exiftool) after two exports in a row."""
    import dataclasses
    import xml.dom.minidom

    item = items["look02"]
    hostile = f"look{CONTROL}<&\"'>]]>"
    pair = dataclasses.replace(item.pair, name=hostile, real_path=f"/x/real{CONTROL}.jpg",
                               talent_name=f"Ana{CONTROL}")
    decisions = [dataclasses.replace(d, reviewer=f"bob{CONTROL}", reasons=[f"other{CONTROL}"])
                 for d in item.decisions]
    bad = dataclasses.replace(item, pair=pair, decisions=decisions)
    path = tmp_path / "hostile.xmp"
    for _ in range(2):
        notes: list[str] = []
        write_sidecar(path, bad, "twin", notes=notes)
        assert notes == []  # the second run reads the first one's file as it is
        data = path.read_bytes()
        xml.dom.minidom.parseString(data)  # an independent, strict XML parser
        packet = read_sidecar(path)
        assert xmp_io.get(packet, "twinproof", "Pair") == "look<&\"'>]]>"
        assert xmp_io.get(packet, "twinproof", "Reviewer") == "bob"
        out = subprocess.run([EXIFTOOL, "-j", "-XMP:all", str(path)], capture_output=True, text=True)
        assert out.returncode == 0 and "Warning" not in out.stdout, out.stdout + out.stderr
        assert json.loads(out.stdout)[0]["Rating"] == -1


def test_reset_decision_takes_back_rating(items, tmp_path):
    path = tmp_path / "t.xmp"
    write_sidecar(path, items["look02"], "twin")
    write_sidecar(path, items["look03"], "twin")  # an undecided pair over a rejected one
    packet = read_sidecar(path)
    assert xmp_io.get(packet, "xmp", "Rating") is None
    assert xmp_io.get(packet, "twinproof", "Decision") == "unreviewed"


def test_latin1_sidecar_with_non_ascii_namespace_is_read_and_kept(items, tmp_path):
    path = tmp_path / "l1.xmp"
    path.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
                     b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                     b'<rdf:Description xmlns:caf="http://caf\xe9.example/ns/" caf:a="1"/>'
                     b"</rdf:RDF></x:xmpmeta>")
    write_sidecar(path, items["look02"], "twin")
    text = path.read_text(encoding="utf-8")
    assert 'xmlns:caf="http://café.example/ns/"' in text and 'caf:a="1"' in text


def _record(items, name, **paths):
    import dataclasses

    item = items[name]
    return dataclasses.replace(item, pair=dataclasses.replace(item.pair, **paths))


def test_sidecars_only_next_to_real_image_files(items, tmp_path):
    from twinproof.export.sidecars import write_sidecars

    notes = tmp_path / "notes.xmp"
    notes.write_text(FOREIGN, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("victim")
    crafted = [_record(items, "look01", real_path=str(notes)),
               _record(items, "look02", twin_path="../../outside/victim.txt"),
               _record(items, "look03", twin_path=str(victim))]
    written, problems, _notes = write_sidecars(crafted, XmpOptions())
    try:
        assert notes.read_text(encoding="utf-8") == FOREIGN
        assert not (tmp_path / "victim.xmp").exists()
        assert any("not an image file (.xmp)" in p for p in problems)
        assert any("not absolute" in p for p in problems)
        assert any("not an image file (.txt)" in p for p in problems)
        assert {p.name for p in written} == {"look01.xmp", "look02.xmp", "look03.xmp"}
    finally:
        for p in written:
            p.unlink()


def test_same_stem_real_and_twin_never_share_a_sidecar(items, tmp_path):
    from PIL import Image

    from twinproof.export.sidecars import write_sidecars

    Image.new("RGB", (8, 8)).save(tmp_path / "look.jpg")
    Image.new("RGB", (8, 8)).save(tmp_path / "look.png")
    item = _record(items, "look02", real_path=str(tmp_path / "look.jpg"),
                   twin_path=str(tmp_path / "look.png"))
    written, problems, notes = write_sidecars([item], XmpOptions())
    assert not problems and {p.name for p in written} == {"look.xmp", "look.png.xmp"}
    assert "look.xmp belongs to look.jpg" in notes[0]
    real = read_sidecar(tmp_path / "look.xmp")
    assert xmp_io.get(real, "Iptc4xmpExt", "DigitalSourceType").endswith("digitalCapture")
    twin = read_sidecar(tmp_path / "look.png.xmp")
    assert xmp_io.get(twin, "Iptc4xmpExt", "DigitalSourceType").endswith("trainedAlgorithmicMedia")


def _pairs_struct(path):
    """The sidecar as exiftool reads it, TwinProof's namespace included, structures kept."""
    out = subprocess.run([EXIFTOOL, "-j", "-struct", "-XMP:all", str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)[0]


@needs_exiftool
def test_a_real_photograph_with_several_twins_has_one_sidecar_describing_every_pair(items, tmp_path):
    """One real frame, two twins (two pairs, one approved, one rejected): each twin's sidecar is
    its own pair's; the real photograph's one sidecar (readers look for exactly IMG.xmp) lists
    both pairs, each with its own decision, counterpart and flags, read back by exiftool; its
    keywords name both decisions; no single pair's decision is written as the frame's."""
    from twinproof.export.sidecars import write_sidecars

    shutil.copy(SAMPLE / "look01_real.jpg", tmp_path / "look01.jpg")
    shutil.copy(SAMPLE / "look01_twin.jpg", tmp_path / "look01_twin.jpg")
    shutil.copy(SAMPLE / "look02_twin.jpg", tmp_path / "look01_twin2.jpg")
    first = _record(items, "look01", real_path=str(tmp_path / "look01.jpg"),
                    twin_path=str(tmp_path / "look01_twin.jpg"))
    second = _record(items, "look02", real_path=str(tmp_path / "look01.jpg"),
                     twin_path=str(tmp_path / "look01_twin2.jpg"))
    assert (first.state, second.state) == ("approved", "rejected")
    written, problems, notes = write_sidecars([first, second], XmpOptions())
    assert not problems
    assert sorted(p.name for p in written) == ["look01.xmp", "look01_twin.xmp", "look01_twin2.xmp"]
    assert notes == [f"{second.pair.name}: look01.jpg is the real photograph of several pairs; its sidecar "
                     "look01.xmp describes each of them (each twin's sidecar describes its own pair)"]
    assert "AI-generated" in as_list(exif(tmp_path / "look01_twin2.xmp")["Subject"])
    real = _pairs_struct(tmp_path / "look01.xmp")
    assert "AI-generated" not in as_list(real["Subject"])
    assert {"twinproof:approved", "twinproof:rejected", "twinproof:real"} <= set(as_list(real["Subject"]))
    assert real["DigitalSourceType"].endswith("/digitalCapture")
    assert real["PairCount"] == 2 and "Decision" not in real and "Pair" not in real
    pairs = {p["Pair"]: p for p in real["Pairs"]}
    assert set(pairs) == {first.pair.name, second.pair.name}
    assert pairs[first.pair.name]["Decision"] == "approved"
    assert pairs[first.pair.name]["Counterpart"] == "look01_twin.jpg"
    assert pairs[second.pair.name]["Decision"] == "rejected"
    assert pairs[second.pair.name]["Counterpart"] == "look01_twin2.jpg"
    assert as_list(pairs[second.pair.name]["Flags"]) == [flag_line(f) for f in second.flags]
    # exported again: rewritten in place, still both pairs, nothing doubled
    write_sidecars([first, second], XmpOptions())
    again = _pairs_struct(tmp_path / "look01.xmp")
    assert len(again["Pairs"]) == 2 and as_list(again["Subject"]).count("twinproof:real") == 1
    # the same frame exported with one pair: the one-pair shape again
    write_sidecars([first], XmpOptions())
    single = _pairs_struct(tmp_path / "look01.xmp")
    assert single["Pair"] == first.pair.name and "Pairs" not in single and "twinproof:rejected" not in as_list(
        single["Subject"])


@needs_exiftool
def test_a_shared_real_is_rated_only_when_its_pairs_agree(items, tmp_path):
    from twinproof.export.sidecars import write_sidecars

    shutil.copy(SAMPLE / "look01_real.jpg", tmp_path / "look01.jpg")
    for n in (1, 2):
        shutil.copy(SAMPLE / "look01_twin.jpg", tmp_path / f"t{n}.jpg")
    real = str(tmp_path / "look01.jpg")
    approved = [_record(items, "look01", real_path=real, twin_path=str(tmp_path / f"t{n}.jpg")) for n in (1, 2)]
    rejected = _record(items, "look02", real_path=real, twin_path=str(tmp_path / "t2.jpg"))
    write_sidecars(approved, XmpOptions(rate_real=True))
    agreed = exif(tmp_path / "look01.xmp")
    assert (agreed["Rating"], agreed["Label"]) == (5, "Green")
    write_sidecars([approved[0], rejected], XmpOptions(rate_real=True))
    split = exif(tmp_path / "look01.xmp")
    assert "Rating" not in split and "Label" not in split  # taken back: the pairs disagree
