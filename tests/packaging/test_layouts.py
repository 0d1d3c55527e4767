"""The program finds its models and resources in every layout it ships in.

``twinproof.paths`` has three places to look: the source tree (what the tests run from), an
installed wheel (``twinproof/_data``, filled by setup.py's build hook) and the frozen bundle
(``sys._MEIPASS``; the full bundle is exercised by test_frozen.py when asked). A wheel that
forgot its data would import fine and fail at the first analysis, so the wheel is built,
installed into a scratch folder and made to analyse the sample pair from there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from twinproof import paths

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import twinproof, twinproof.paths as p
from twinproof.core.landmarks.registry import ModelRegistry
verified = ModelRegistry().verify_all()
print(json.dumps({"package": twinproof.__file__, "root": str(p.data_root()),
                  "verified": len(verified)}))
"""


def _probe(env: dict[str, str], cwd: Path, code: str = PROBE) -> dict:
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_source_tree_layout():
    assert paths.data_root() == REPO or os.environ.get("TWINPROOF_DATA_DIR")
    assert paths.model_path("manifest.json").is_file()
    assert paths.resource_path("policy").is_dir()


def test_frozen_layout_is_found_through_meipass(tmp_path):
    """What build.spec lays out: resources/ and models/ at the bundle's root."""
    bundle = tmp_path / "bundle"
    shutil.copytree(REPO / "models", bundle / "models")
    shutil.copytree(REPO / "resources", bundle / "resources")
    env = {k: v for k, v in os.environ.items() if k != "TWINPROOF_DATA_DIR"}
    code = f"import sys; sys._MEIPASS = {str(bundle)!r}\n" + PROBE
    got = _probe(env, tmp_path, code)
    assert Path(got["root"]) == bundle and got["verified"] == 6


@pytest.mark.slow
def test_installed_wheel_carries_models_and_resources(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(REPO)], check=True, capture_output=True, timeout=600)
    (wheel,) = wheels.glob("twinproof-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "twinproof/_data/models/manifest.json" in names
    assert "twinproof/_data/resources/sample/README.md" in names
    assert "twinproof/review/migrations/versions/0001_initial.py" in names

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k != "TWINPROOF_DATA_DIR"}
    env["PYTHONPATH"] = str(site)  # ahead of the editable install's path entry
    got = _probe(env, tmp_path)
    assert Path(got["package"]).is_relative_to(site)
    assert Path(got["root"]) == site / "twinproof" / "_data" and got["verified"] == 6

    sample = site / "twinproof" / "_data" / "resources" / "sample"
    out = subprocess.run([sys.executable, "-m", "twinproof", "analyze", str(sample / "look01_real.jpg"),
                          str(sample / "look01_twin.jpg"), "--json"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["verdict"] == "pass"
