"""The shoot audit's generator of each twin, most trusted source first: the name a reviewer set,
then the twin's valid Content Credentials, then the twin file's own XMP, then unknown; counted
per source. Each twin's provenance is read by ``export.provenance.read_provenance`` (what an
analysis records) from real files: the C2PA test files of ../shared and a real photograph tagged
by exiftool as generators tag their output; stored on SQLite and PostgreSQL (where the audit
reads ``analyses.audit_parts``: no new column is needed, the XMP is inside ``provenance``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import DATA
from twinproof import review
from twinproof.core.drift.words import origin_line
from twinproof.export.provenance import read_provenance
from twinproof.review.drift_source import audit_shoot, read_shoot

C2PA = Path(__file__).resolve().parents[2].parent / "shared" / "c2pa"
EXIFTOOL = shutil.which("exiftool")
pytestmark = [pytest.mark.skipif(not (C2PA / "C.jpg").is_file(), reason="../shared/c2pa is absent"),
              pytest.mark.skipif(EXIFTOOL is None, reason="apt-get install libimage-exiftool-perl")]
DST = "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _tag(path: Path, *tags: str) -> Path:
    assert EXIFTOOL is not None
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", *tags, str(path)], check=True, timeout=60)
    return path


def _twins(tmp_path: Path) -> dict[str, Path]:
    photo = tmp_path / "firefly.jpg"
    with Image.open(DATA / "grace_hopper.jpg") as im:
        im.convert("RGB").save(photo)
    _tag(photo, "-XMP-xmp:CreatorTool=Adobe Firefly Image 3", DST)
    named = tmp_path / "named.jpg"
    shutil.copy(photo, named)
    broken = tmp_path / "broken-signature.jpg"  # an invalid manifest names no one; its XMP still may
    shutil.copy(C2PA / "E-sig-CA.jpg", broken)
    _tag(broken, "-XMP-xmp:CreatorTool=Midjourney 6.1")
    return {"look00": C2PA / "C.jpg", "look01": photo, "look02": named, "look03": broken,
            "look04": C2PA / "no_manifest.jpg"}


def test_reviewer_then_credentials_then_xmp_then_unknown(store, tmp_path):
    shoot = review.create_shoot(store, "SS31")
    stored = review.RecordedAnalysis.from_json(json.loads((DATA / "results" / "v1_look02.json").read_text()))
    ids = {}
    for name, twin in _twins(tmp_path).items():
        real = tmp_path / f"{name}-real.jpg"
        real.write_bytes(name.encode())
        pair = review.make_pair(store, shoot.id, str(real), str(twin), name)
        prov = read_provenance(twin)
        review.store_analysis(store, pair.id, replace(stored, provenance=review.Credentials.from_json(prov)))
        ids[name] = pair.id
    review.set_generator(store, ids["look02"], "Vendor X")
    facts = {f.pair: (f.generator, f.generator_from) for f in read_shoot(store, "SS31").facts}
    assert facts == {"look00": ("Make Test Images 0.33.1", "content credentials"),
                     "look01": ("Adobe Firefly Image 3", "xmp"), "look02": ("Vendor X", "reviewer"),
                     "look03": ("Midjourney 6.1", "xmp"), "look04": (None, None)}
    _, audit = audit_shoot(store, "SS31", by="generator")
    assert audit.origins["generator"] == {"reviewer": 1, "content credentials": 1, "xmp": 2, "unknown": 1,
                                          "xmp not read": 0}
    assert origin_line(audit) == ("Generators: 1 pair(s) named by a reviewer, 1 by the twin's valid Content "
                                  "Credentials, 2 by the twin file's XMP (unsigned), 1 unknown.")
    # an analysis stored before TwinProof read the XMP: its unknown generator says so
    older = review.Credentials.from_json({"status": "absent"})
    review.store_analysis(store, ids["look04"], replace(stored, provenance=older))
    _, audit = audit_shoot(store, "SS31", by="generator")
    assert audit.origins["generator"]["xmp not read"] == 1
    assert origin_line(audit).endswith("1 unknown (1 of them analysed before TwinProof read the twin file's XMP: "
                                       "analyse again to read it).")


def test_the_xmp_is_kept_with_the_stored_analysis(store, tmp_path):
    twins = _twins(tmp_path)
    shoot = review.create_shoot(store, "SS31b")
    real = tmp_path / "real.jpg"
    real.write_bytes(b"r")
    pair = review.make_pair(store, shoot.id, str(real), str(twins["look01"]), "look01")
    stored = review.RecordedAnalysis.from_json(json.loads((DATA / "results" / "v1_look02.json").read_text()))
    review.store_analysis(store, pair.id, replace(stored, provenance=review.Credentials.from_json(
        read_provenance(twins["look01"]))))
    back = review.latest_analysis(store, pair.id)
    assert back is not None
    recorded = back.recorded()
    xmp = recorded.provenance.xmp if recorded.provenance else None
    assert xmp is not None and (xmp.found, xmp.creator_tool) == ("embedded", "Adobe Firefly Image 3")
    assert xmp.digital_source_type and xmp.digital_source_type.endswith("/trainedAlgorithmicMedia")
