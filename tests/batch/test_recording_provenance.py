"""An analysis records what the twin file says about where it came from: its Content
Credentials and its own XMP, read from the very file analysed (a sample twin tagged by
exiftool as a generator tags its output, then analysed by the real pipeline)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.batch.conftest import SAMPLE
from twinproof.batch.recording import analyse_files
from twinproof.review.recorded import RecordedAnalysis

EXIFTOOL = shutil.which("exiftool")


@pytest.mark.skipif(EXIFTOOL is None, reason="apt-get install libimage-exiftool-perl")
def test_the_twins_xmp_is_recorded_with_its_analysis(tmp_path):
    assert EXIFTOOL is not None
    twin = tmp_path / "look01_twin.jpg"
    shutil.copyfile(SAMPLE / "look01_twin.jpg", twin)
    subprocess.run([EXIFTOOL, "-q", "-overwrite_original", "-XMP-xmp:CreatorTool=Vendor Diffusion 2.1",
                    "-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/"
                    "trainedAlgorithmicMedia", str(twin)], check=True, timeout=60)
    analysed = analyse_files(SAMPLE / "look01_real.jpg", twin)
    data = analysed.record.to_json()
    assert data["provenance"]["status"] in ("absent", "unavailable")
    assert data["provenance"]["xmp"]["creator_tool"] == "Vendor Diffusion 2.1"
    back = RecordedAnalysis.from_json(data)
    assert back.provenance is not None and back.provenance.xmp is not None
    assert back.provenance.xmp.generator == "Vendor Diffusion 2.1"
