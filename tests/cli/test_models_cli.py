"""``twinproof models`` verifies every shipped model; an altered file is named, exit 1."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(data_dir: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if data_dir is not None:
        env["TWINPROOF_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "twinproof", "models", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_every_shipped_model_verifies():
    out = _run(None, "--json")
    assert out.returncode == 0, out.stderr
    listing = json.loads(out.stdout)
    assert listing["ok"] and len(listing["models"]) == 6
    assert {m["state"] for m in listing["models"]} == {"ok"}


def test_an_altered_model_is_named_and_fails(tmp_path):
    shutil.copytree(REPO / "models", tmp_path / "models")
    shutil.copytree(REPO / "resources", tmp_path / "resources")
    with open(tmp_path / "models" / "iris_landmark.onnx", "ab") as f:
        f.write(b"\0")
    out = _run(tmp_path)
    assert out.returncode == 1
    assert "BAD iris_landmark" in out.stdout and "5 of 6 model(s) verified" in out.stdout
    assert "iris_landmark.onnx" in out.stderr and "altered or replaced" in out.stderr
    assert "Traceback" not in out.stderr
