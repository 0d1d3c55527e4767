"""The shipped ONNX descriptor against dlib's own answers, kept in tests/data/identity.

dlib (dlib-bin 20.0.1, conversion time only) computed the descriptors of its own chips of the
astronaut and Grace Hopper; the ONNX model must give the same numbers here, without dlib, on any
onnxruntime CI installs. TwinProof's warp from dlib's points must cut nearly the same chip.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.core.photos import PHOTOS
from twinproof.core.identity import MODEL_NAME, describe, distance, model_version
from twinproof.core.identity.chip import chip_to_image, cut_chip
from twinproof.core.landmarks import ModelRegistry

DATA = Path(__file__).resolve().parents[2] / "data" / "identity"
REFERENCE = json.loads((DATA / "dlib_reference.json").read_text(encoding="utf-8"))
PHOTO = {"astronaut": "astronaut", "grace_hopper": "hopper"}


def _chip(name: str) -> np.ndarray:
    return np.asarray(Image.open(DATA / REFERENCE["chips"][name]["chip"]).convert("RGB"))


@pytest.mark.parametrize("name", ["astronaut", "grace_hopper"])
def test_onnx_descriptor_equals_dlibs_on_dlibs_chip(name: str) -> None:
    expected = np.array(REFERENCE["chips"][name]["descriptor"])
    got = describe(_chip(name))[0]
    assert got.shape == (128,) and got.dtype == np.float32
    assert np.abs(got - expected).max() < 1e-5


def test_batch_equals_single_and_pair_distance_equals_dlibs() -> None:
    both = describe(np.stack([_chip("astronaut"), _chip("grace_hopper")]))
    np.testing.assert_allclose(both[0], describe(_chip("astronaut"))[0], atol=1e-6)
    assert distance(both[0], both[1]) == pytest.approx(REFERENCE["distance_dlib"], abs=1e-5)


@pytest.mark.parametrize("name", ["astronaut", "grace_hopper"])
def test_our_warp_from_dlibs_points_cuts_dlibs_chip(name: str) -> None:
    """Same five points, our chip_to_image + cut_chip. Neither face needs a pyramid level, so
    only bilinear rounding differs: measured 0.5 grey levels and descriptor distance 0.008 /
    0.004 (with pyramid levels, on shared/faces: median 0.030, max 0.076)."""
    points = np.array(REFERENCE["chips"][name]["dlib_points"], dtype=float)
    ours = cut_chip(PHOTOS[PHOTO[name]](), chip_to_image(points))
    assert np.abs(ours.astype(float) - _chip(name)).mean() < 1.0
    assert distance(describe(ours)[0], describe(_chip(name))[0]) < 0.02


def test_manifest_entry_carries_provenance_and_licence() -> None:
    spec = ModelRegistry().spec(MODEL_NAME)
    assert spec["source"]["package"] == "face-recognition-models" and spec["source"]["version"] == "0.3.0"
    assert spec["source"]["file"].endswith("dlib_face_recognition_resnet_model_v1.dat")
    assert len(spec["source"]["sha256"]) == 64
    assert "Public domain" in spec["licence"] and "Creative Commons" in spec["licence"]
    assert spec["inputs"][0]["name"] == "chip" and spec["outputs"][0]["shape"] == ["N", 128]
    assert model_version() == f"{MODEL_NAME}@{spec['sha256'][:12]}"


def test_wrong_chip_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="150x150x3"):
        describe(np.zeros((112, 112, 3), np.uint8))
