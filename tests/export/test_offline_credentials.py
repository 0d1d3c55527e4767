"""Reading Content Credentials never goes to the network, even for a remote manifest.

The export runs as a real process with a remote-manifest twin (the file holds only a URL at
cai-manifests.adobe.com) and, when ``../shared/c2pa`` is there, the real signed and tampered
files as twins. Two independent guards, each failing the test on any connection:
- inside a network namespace with no network at all (``unshare -rn``, when the kernel allows
  it): a fetch attempt would fail there and the sheet would print c2pa's "could not fetch";
- the socket guard of tests/reliability/test_no_network.py: an audit hook logging every
  Python connect and, where strace works, ``connect(2)`` of the whole process tree, which is
  what saw c2pa's native DNS query before the reader was told not to fetch.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.export.pdftools import needs_poppler, page_text
from tests.export.shoot import build_shoot
from tests.export.test_provenance import SHARED
from tests.reliability.test_no_network import ROOT, run_watched
from twinproof.export.provenance import available

pytestmark = pytest.mark.skipif(not available(), reason="c2pa-python not installed")


def _namespace_works() -> bool:
    unshare = shutil.which("unshare")
    return bool(unshare) and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0


def _shoot(tmp_path):
    from tests.export.c2pa_sign import sign_remote

    def prepare(_real, twin):
        sign_remote(twin / "look01.jpg")
        if (SHARED / "C.jpg").is_file():
            shutil.copyfile(SHARED / "C.jpg", twin / "look02.jpg")
            shutil.copyfile(SHARED / "XCA.jpg", twin / "look03.jpg")

    return build_shoot(tmp_path / "s", before_import=prepare)


def _check_outputs(tmp_path) -> None:
    text = " ".join(page_text(tmp_path / "o.pdf").split())
    assert "Remote manifest, not fetched (offline)" in text and "cai-manifests.adobe.com" in text
    assert "could not fetch" not in text and "http resolver" not in text
    doc = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    remote = doc["pairs"][0]["provenance"]
    assert remote["status"] == "remote" and remote["url"].startswith("https://cai-manifests")
    if (SHARED / "C.jpg").is_file():
        assert doc["pairs"][1]["provenance"]["validation"] == "signature valid; signer not on a trust list"
        cover = " ".join(page_text(tmp_path / "o.pdf", 1).split())  # two source types, said whole
        assert "IPTC digital source types trainedAlgorithmicMedia ×2, algorithmicMedia ×1, see each pair" in cover


@needs_poppler
@pytest.mark.slow
def test_export_with_remote_manifest_makes_no_connection(tmp_path):
    shoot = _shoot(tmp_path)
    args = ("-m", "twinproof", "export", "--db", str(shoot.db), "--pdf", str(tmp_path / "o.pdf"),
            "--json", str(tmp_path / "o.json"), "--xmp", "--no-maps")
    # The code under test is this tree's (a worktree's venv may have another installed).
    path = os.pathsep.join(str(p) for p in (tmp_path / "hook", ROOT, ROOT / "desktop"))
    proc, python_level, native, _telemetry = run_watched(tmp_path, *args, PYTHONPATH=path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert python_level == [], f"Python opened network sockets: {python_level}"
    assert native == [], f"native code connected: {native}"
    _check_outputs(tmp_path)


@needs_poppler
@pytest.mark.slow
@pytest.mark.skipif(not _namespace_works(), reason="unshare -rn is not permitted here")
def test_export_in_a_namespace_without_network(tmp_path):
    shoot = _shoot(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join((str(ROOT), str(ROOT / "desktop")))}
    import sys

    proc = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "twinproof", "export", "--db", str(shoot.db),
         "--pdf", str(tmp_path / "o.pdf"), "--json", str(tmp_path / "o.json"), "--no-maps"],
        capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_outputs(tmp_path)
