"""Hostile content in the record and around the images: crafted paths, XML bombs beside the
images, markup and megabyte texts in annotations. Nothing may escape the shoot, overwrite a
file that is not a sidecar, or break storage and export."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.reliability.conftest import run_cli
from twinproof import review
from twinproof.cli import main
from twinproof.core.analysis import analyze_pair

needs_poppler = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode,
                                   reason="apt-get install poppler-utils")
MARKUP = "<b>bold?</b> & <script>alert(1)</script> **not md** __u__ {{x}} %s \\n ${HOME} ()Tj BT ET"
MEGA = ("1 MB comment, line after line. " * 34_000)[:1_000_000]
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><r>&lol4;</r></x:xmpmeta>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&e;</dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>"""
OTHER_APP_XMP = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""
 xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/" crs:Exposure2012="+0.50"/>
</rdf:RDF></x:xmpmeta>"""


def _image(path: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    base = cv_gradient = np.add.outer(np.arange(64), np.arange(64)).astype(np.uint8)
    arr = np.stack([base, cv_gradient[::-1], (rng.random((64, 64)) * 255).astype(np.uint8)], axis=2)
    Image.fromarray(arr).save(path)
    return path


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def shoot(tmp_path):
    real, twin = tmp_path / "shoot" / "real", tmp_path / "shoot" / "twin"
    real.mkdir(parents=True)
    twin.mkdir()
    for i in (1, 2, 3):
        _image(real / f"look0{i}.png", i)
        _image(twin / f"look0{i}.png", i + 10)
    db = tmp_path / "shoot.twinproof"
    store = review.open_store(db, reviewer="alice")
    result = review.import_shoot(store, real, twin, name="SS27")
    ids = {p.name: p.id for p in result.added}
    for p in result.added:
        review.store_analysis(store, p.id, review.RecordedAnalysis(analyze_pair(p.real_path, p.twin_path).result))
    store.close()
    return tmp_path, db, ids


def test_sidecars_land_next_to_the_images_and_nowhere_else(shoot):
    root, db, _ids = shoot
    before = _tree(root)
    assert main(["export", "--xmp", "--xmp-naming", "both", "--db", str(db)]) == 0
    created = set(_tree(root)) - set(before)
    expected = {f"shoot/{side}/look0{i}{suffix}" for side in ("real", "twin") for i in (1, 2, 3)
                for suffix in (".xmp", ".png.xmp")}
    assert created - {"shoot.twinproof-wal", "shoot.twinproof-shm"} == expected
    for name, digest in before.items():  # images and everything else untouched
        if not name.startswith("shoot.twinproof"):
            assert _tree(root)[name] == digest


@pytest.mark.parametrize("hostile", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_hostile_sidecar_refused_not_expanded_not_overwritten(shoot, hostile, capsys):
    root, db, _ids = shoot
    sidecar = root / "shoot" / "twin" / "look02.xmp"
    sidecar.write_bytes(hostile)
    assert main(["export", "--xmp", "--db", str(db)]) == 1  # the job ran, one pair refused
    err = capsys.readouterr().err
    assert "look02" in err and "DTD or entities" in err and "Traceback" not in err
    assert sidecar.read_bytes() == hostile
    assert (root / "shoot" / "twin" / "look01.xmp").exists()  # the other pairs were written


def _tamper(db: Path, pair: str, column: str, value: str) -> None:
    con = sqlite3.connect(db)
    with con:
        con.execute(f"UPDATE pairs SET {column} = ? WHERE name = ?", (value, pair))
    con.close()


def test_crafted_paths_in_the_record_cannot_plant_a_sidecar_on_a_non_image(shoot):
    """Export bug found here, fixed by the export owner (75c5993). A database edited to point
    a pair at ``../../outside/victim.txt`` (relative, so it resolves against wherever the CLI
    runs) must not get ``outside/victim.xmp`` created."""
    root, db, _ids = shoot
    outside = root / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("victim")
    _tamper(db, "look02", "twin_path", "../../outside/victim.txt")
    proc = run_cli("export", "--xmp", "--db", str(db), cwd=root / "shoot" / "real")
    assert "Traceback" not in proc.stderr
    assert not (outside / "victim.xmp").exists(), "export wrote a sidecar for a text file outside the shoot"


def test_image_path_that_is_an_xmp_file_is_never_rewritten(shoot):
    """Export bug found here (Adobe naming mapped notes.xmp to itself), fixed in 75c5993."""
    root, db, _ids = shoot
    notes = root / "outside" / "notes.xmp"
    notes.parent.mkdir()
    notes.write_bytes(OTHER_APP_XMP)
    _tamper(db, "look01", "real_path", str(notes))
    main(["export", "--xmp", "--db", str(db)])
    assert notes.read_bytes() == OTHER_APP_XMP


def test_same_stem_pair_in_one_folder_keeps_the_real_disclosed_as_capture(tmp_path):
    """Export bug found here (AI disclosure: the twin's write made the real's shared look.xmp
    say trainedAlgorithmicMedia), fixed in 75c5993: the twin gets look.png.xmp."""
    folder = tmp_path / "delivery"
    folder.mkdir()
    real, twin = _image(folder / "look.jpg", 1), _image(folder / "look.png", 2)
    db = tmp_path / "s.twinproof"
    store = review.open_store(db, reviewer="alice")
    shoot = review.create_shoot(store, "S")
    review.make_pair(store, shoot.id, real, twin)
    store.close()
    main(["export", "--xmp", "--db", str(db)])
    sidecars = {p.name: p.read_text() for p in folder.glob("*.xmp")}
    real_says = sidecars.get("look.xmp", "")
    assert "digitalCapture" in real_says and "trainedAlgorithmicMedia" not in real_says, sidecars


def test_check_reports_tampered_paths_without_crashing(shoot, capsys):
    root, db, _ids = shoot
    _tamper(db, "look03", "real_path", str(root / "no" / "such" / "file.png"))
    _tamper(db, "look02", "twin_path", "../../../../../../../../../../etc/hostname")
    assert main(["shoot", "check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "look03: real missing" in out


@needs_poppler
def test_markup_is_literal_and_a_megabyte_comment_survives(shoot, tmp_path):
    _root, db, ids = shoot
    store = review.open_store(db, reviewer="alice")
    try:
        note = review.add_annotation(store, ids["look01"], "rectangle", {"x": 4, "y": 4, "w": 20, "h": 20},
                                     image_size=(64, 64), text=MARKUP)
        review.add_comment(store, ids["look01"], MEGA)
        review.add_comment(store, ids["look01"], MARKUP, annotation_id=note.id)
        review.decide(store, ids["look01"], "changes_requested", reasons=["other"],
                      reason_text=MARKUP, comment=MEGA)
        # Storage: read back byte for byte.
        assert next(c.text for c in review.list_comments(store, ids["look01"])) == MEGA
        assert review.decision_history(store, ids["look01"])[-1].comment == MEGA
    finally:
        store.close()
    pdf, js, csv = tmp_path / "s.pdf", tmp_path / "s.json", tmp_path / "s.csv"
    proc = run_cli("export", "--pdf", str(pdf), "--json", str(js), "--csv", str(csv),
                   "--pairs", "look01", "--no-maps", "--db", str(db), timeout=240)
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "<b>bold?</b> & <script>alert(1)</script> **not md**" in flat
    assert MEGA.encode() in js.read_bytes() or "1 MB comment" in js.read_text()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages < 50, f"a 1 MB comment made {pages} pages"
