"""What other tools read: sidecars and annotated copies checked with exiftool, exiv2 and
darktable-cli (independent readers), the delivered files untouched byte for byte.

The shoot: look01's twin is a signed JPEG (C2PA), look02's a PNG, look03's a WebP; look01 is
approved with 3 stars, look02 rejected. One export writes sidecars in both namings and
annotated copies of twins and real photographs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.export.shoot import build_shoot
from twinproof import review
from twinproof.cli import main
from twinproof.export import embed
from twinproof.export.provenance import available, read_credentials

EXIFTOOL, EXIV2, DARKTABLE = (shutil.which(t) for t in ("exiftool", "exiv2", "darktable-cli"))
needs_exiftool = pytest.mark.skipif(EXIFTOOL is None, reason="apt-get install libimage-exiftool-perl")
needs_exiv2 = pytest.mark.skipif(EXIV2 is None, reason="apt-get install exiv2")
needs_darktable = pytest.mark.skipif(DARKTABLE is None, reason="apt-get install darktable")
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("interop")

    def prepare(_real, twin):
        if available():
            from tests.export.c2pa_sign import sign_in_place

            sign_in_place(twin / "look01.jpg")
        Image.open(twin / "look02.jpg").save(twin / "look02.png")
        Image.open(twin / "look03.jpg").save(twin / "look03.webp", quality=90)
        (twin / "look02.jpg").unlink()
        (twin / "look03.jpg").unlink()

    shoot = build_shoot(root / "s", before_import=prepare)
    store = review.open_store(shoot.db, reviewer="alice")
    try:
        review.rate(store, shoot.ids["look01"], 3)
    finally:
        store.close()
    originals = {p: sha(p) for p in (shoot.folder / "twin").iterdir()} | {
        p: sha(p) for p in (shoot.folder / "real").iterdir()}
    out = root / "copies"
    out.mkdir()
    args = ["export", "--db", str(shoot.db), "--xmp", "--xmp-naming", "both", "--copies", str(out),
            "--copies-real"]
    assert main(args) == 0
    assert main(args) == 0  # twice: copies and sidecars are updated, never duplicated or broken
    return shoot, out, originals


def exif(*paths: Path, tags=("-XMP:all",)) -> list[dict]:
    proc = subprocess.run([EXIFTOOL, "-j", "-struct", *tags, *map(str, paths)], capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout)


def test_delivered_files_are_never_modified(exported):
    _shoot, _out, originals = exported
    assert {p: sha(p) for p in originals} == originals


def test_copies_keep_every_pixel(exported):
    shoot, out, _ = exported
    for copy, original in (("look01-twin.jpg", "twin/look01.jpg"), ("look02-twin.png", "twin/look02.png"),
                           ("look03-twin.webp", "twin/look03.webp"), ("look02-real.jpg", "real/look02.jpg")):
        a = np.asarray(Image.open(out / copy))
        b = np.asarray(Image.open(shoot.folder / original))
        assert np.array_equal(a, b), copy


@needs_exiftool
def test_exiftool_reads_the_copies(exported):
    shoot, out, _ = exported
    twins = {Path(t["SourceFile"]).name: t for t in exif(*sorted(out.glob("*-twin.*")))}
    assert set(twins) == {"look01-twin.jpg", "look02-twin.png", "look03-twin.webp"}
    assert twins["look01-twin.jpg"]["Rating"] == 3 and twins["look01-twin.jpg"]["Label"] == "Green"
    assert twins["look02-twin.png"]["Rating"] == -1 and twins["look02-twin.png"]["Label"] == "Red"
    assert "Rating" not in twins["look03-twin.webp"]  # not decided, not rated
    for tags in twins.values():
        assert tags["DigitalSourceType"] == DST + "trainedAlgorithmicMedia"
        assert "AI-generated" in tags["Subject"] and "AI-generated" in tags["HierarchicalSubject"]
        original = Path(tags["OriginalPath"])
        assert tags["OriginalSHA256"] == sha(original) and original.parent == shoot.folder / "twin"
    real = exif(out / "look02-real.jpg")[0]
    assert real["DigitalSourceType"] == DST + "digitalCapture" and "Rating" not in real


@needs_exiftool
@pytest.mark.skipif(not available(), reason="c2pa-python not installed")
def test_copy_of_a_signed_twin_drops_the_manifest_the_original_keeps_it(exported):
    shoot, out, _ = exported
    original = read_credentials(shoot.folder / "twin" / "look01.jpg")
    assert original["validation"] == "signature valid; signer not on a trust list"
    assert read_credentials(out / "look01-twin.jpg") == {"status": "absent"}
    said = exif(out / "look01-twin.jpg")[0]["OriginalCredentials"]
    assert said.startswith("the original carries Content Credentials (signature valid") and "removed" in said


@needs_exiv2
def test_exiv2_reads_sidecars_and_copies(exported):
    shoot, out, _ = exported

    def value(path: Path, key: str) -> str:
        proc = subprocess.run([EXIV2, "-K", key, "-Pv", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    twin = shoot.folder / "twin"
    for path in (twin / "look02.xmp", twin / "look02.png.xmp", out / "look02-twin.png"):
        assert value(path, "Xmp.xmp.Rating") == "-1", path
        assert value(path, "Xmp.xmp.Label") == "Red"
        assert value(path, "Xmp.iptcExt.DigitalSourceType").endswith("/trainedAlgorithmicMedia")
        assert "AI-generated" in value(path, "Xmp.dc.subject")
    assert value(out / "look01-twin.jpg", "Xmp.xmp.Rating") == "3"
    assert value(out / "look03-twin.webp", "Xmp.twinproof.Pair") == "look03"


def darktable(tmp_path: Path, image: Path, sidecar: Path | None) -> dict:
    """darktable-cli develops ``image`` (with ``sidecar``, or the XMP embedded in the file) and
    exports a JPEG whose metadata is what darktable understood."""
    out = tmp_path / f"dt-{image.stem}-{'sidecar' if sidecar else 'embedded'}.jpg"
    cmd = [DARKTABLE, str(image), *([str(sidecar)] if sidecar else []), str(out), "--core",
           "--configdir", str(tmp_path / "dtconf"), "--library", ":memory:"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and out.is_file(), proc.stdout[-1500:] + proc.stderr[-1500:]
    return exif(out, tags=("-XMP:Rating", "-XMP:Label", "-XMP-darktable:ColorLabels", "-XMP:Subject"))[0]


@needs_darktable
@needs_exiftool
@pytest.mark.slow
def test_darktable_reads_its_sidecar_and_the_annotated_copy(exported, tmp_path):
    """darktable 4.2 (headless darktable-cli, in-memory library) reads the reject, the red
    label (its colour label 0) and the AI-generated tag from darktable-named sidecars and from
    the annotated copy's embedded XMP."""
    shoot, out, _ = exported
    for image, sidecar in ((shoot.folder / "twin" / "look02.png", shoot.folder / "twin" / "look02.png.xmp"),
                           (out / "look02-twin.png", None)):
        seen = darktable(tmp_path, image, sidecar)
        assert seen["Rating"] == -1 and seen["Label"] == "Red" and seen["Colorlabels"] in (0, "0", [0])
        assert "AI-generated" in seen["Subject"]
    approved = darktable(tmp_path, out / "look01-twin.jpg", None)
    assert approved["Rating"] == 3


def test_a_foreign_file_or_the_original_is_never_overwritten(exported, tmp_path, capsys):
    shoot, _out, _ = exported
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "look01-twin.jpg").write_bytes(b"someone's file")
    code = main(["export", "--db", str(shoot.db), "--copies", str(folder), "--pairs", "look01"])
    err = capsys.readouterr().err
    assert code == 1 and "is not a TwinProof copy; not overwritten" in err
    assert (folder / "look01-twin.jpg").read_bytes() == b"someone's file"


@needs_exiftool
def test_tiff_copy_through_exiftool(tmp_path):
    from twinproof.export import xmp_io

    source = tmp_path / "t.tif"
    Image.fromarray(np.full((16, 16, 3), 120, np.uint8)).save(source)
    before = sha(source)
    packet = xmp_io.new_packet()
    xmp_io.set_text(packet, xmp_io.q("xmp", "Rating"), "4")
    embed.write_copy(source, tmp_path / "c.tif", embed.packet_bytes(packet))
    assert sha(source) == before
    assert exif(tmp_path / "c.tif")[0]["Rating"] == 4
    assert xmp_io.get(embed.read_embedded(tmp_path / "c.tif"), "xmp", "Rating") == "4"


def test_damaged_images_are_one_clear_error(tmp_path):
    from twinproof.export import xmp_io

    packet = embed.packet_bytes(xmp_io.new_packet())
    for name, data in (("a.jpg", b"\xff\xd8\xff\xe1\xff\xff"), ("a.png", embed.PNG_SIGNATURE + b"\0\0"),
                       ("a.webp", b"RIFF\0\0\0\0WEBPVP8 ")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(embed.EmbedError, match=r"damaged|without image data|not a"):
            embed.write_copy(tmp_path / name, tmp_path / f"c-{name}", packet)
