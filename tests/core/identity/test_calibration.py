"""TwinProof's identity pipeline on real labelled photographs (shared/faces).

62 photographs, 300 labelled pairs (38 the same person in different shots, 262 different
people), read exactly as the product reads a photo: our detector, the face mesh, the mesh
chip, the ONNX descriptor. Skips, saying why, when the folder is absent (a clone elsewhere).
Figures (benchmarks/calibrate_identity.py prints them all): AUC 1.000, same-person max 0.617,
different-people min 0.648, 0 errors at the policy's 0.63.
"""

from __future__ import annotations

import csv
import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

from twinproof.core.identity import FaceIdentity, distance, read_identity
from twinproof.core.identity.separation import errors_at, roc_auc, summary
from twinproof.core.imageio import load_image
from twinproof.core.landmarks import detect_landmarks

REPO = Path(__file__).resolve().parents[3]
FACES = Path(os.environ.get("TWINPROOF_FACES", REPO.parent / "shared" / "faces"))
POLICY = tomllib.loads((REPO / "resources" / "policy" / "default.toml").read_text(encoding="utf-8"))["identity"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (FACES / "master.csv").is_file(),
                       reason=f"labelled faces not found at {FACES} (../shared/faces; set TWINPROOF_FACES)"),
]


@pytest.fixture(scope="module")
def distances() -> tuple[np.ndarray, np.ndarray]:
    read: dict[str, FaceIdentity] = {}
    for path in sorted(FACES.glob("*.jpg")):
        px = load_image(path).pixels
        result = read_identity(px, detect_landmarks(px).face)
        assert isinstance(result, FaceIdentity), f"{path.name}: {result}"
        read[path.name] = result
    same, diff = [], []
    with (FACES / "master.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            d = distance(read[row["file_x"]], read[row["file_y"]])
            (same if row["Decision"] == "Yes" else diff).append(d)
    assert len(same) == 38 and len(diff) == 262
    return np.array(same), np.array(diff)


def test_auc_on_labelled_pairs(distances: tuple[np.ndarray, np.ndarray]) -> None:
    assert roc_auc(*distances) >= 0.995


def test_at_most_one_error_in_300_at_the_policy_threshold(distances: tuple[np.ndarray, np.ndarray]) -> None:
    false_reject, false_accept = errors_at(*distances, POLICY["threshold"])
    assert false_reject + false_accept <= 1


def test_warn_limit_sits_at_the_same_person_spread(distances: tuple[np.ndarray, np.ndarray]) -> None:
    """Warn = beyond 95 % of same-person pairs across shots; below every different pair."""
    same, diff = distances
    assert summary(same)["p95"] <= POLICY["warn_distance"] <= summary(same)["p95"] + 0.03
    assert POLICY["warn_distance"] < diff.min()
