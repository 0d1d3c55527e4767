"""The models' copies optimised for this computer: the same outputs as the shipped files, made
from a verified model only, and never used once altered."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from twinproof.core.landmarks import ModelChecksumError, ModelRegistry, detect_landmarks
from twinproof.core.landmarks import optimised as opt
from twinproof.paths import model_path


def _models(tmp_path: Path, *names: str) -> Path:
    dst = tmp_path / "models"
    dst.mkdir()
    manifest = json.loads(model_path("manifest.json").read_text(encoding="utf-8"))
    manifest["models"] = {k: v for k, v in manifest["models"].items() if k in names}
    (dst / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for name in names:
        shutil.copy(model_path(f"{name}.onnx"), dst / f"{name}.onnx")
    return dst


def _copies() -> list[Path]:
    return sorted(opt.OptimisedModels().folder.glob("*.onnx"))


def _loaded_from(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Which file each session is made from, and at which optimisation level."""
    import onnxruntime as ort

    made: list[tuple[str, int]] = []
    real = ort.InferenceSession

    def spy(path, sess_options=None, providers=None):  # type: ignore[no-untyped-def]
        made.append((Path(path).name, int(sess_options.graph_optimization_level)))
        return real(path, sess_options=sess_options, providers=providers)

    monkeypatch.setattr(ort, "InferenceSession", spy)
    return made


@pytest.mark.skipif(opt.cpu_tag() is None, reason="this computer's CPU cannot be told: no copies are kept")
def test_the_copy_gives_the_very_landmarks_of_the_shipped_models(tmp_path: Path) -> None:
    """A real photograph's face mesh, iris and body points, bit for bit, from the shipped models
    (first registry: optimised at load, the copies written) and from the copies (second)."""
    models = _models(tmp_path, "face_detection_short_range", "face_detection_full_range", "face_landmark",
                     "iris_landmark", "pose_landmark_full")
    photo = data.astronaut()
    first = detect_landmarks(photo, registry=ModelRegistry(models))
    assert len(_copies()) == 5
    again = detect_landmarks(photo, registry=ModelRegistry(models))
    assert first.face is not None and again.face is not None and first.body is not None and again.body is not None
    np.testing.assert_array_equal(first.face.points, again.face.points)
    np.testing.assert_array_equal(first.body.points, again.body.points)
    np.testing.assert_array_equal(first.body.visibility, again.body.visibility)


@pytest.mark.skipif(opt.cpu_tag() is None, reason="this computer's CPU cannot be told: no copies are kept")
def test_a_copy_is_made_once_then_loaded_without_optimising(tmp_path: Path, monkeypatch) -> None:
    import onnxruntime as ort

    models = _models(tmp_path, "iris_landmark")
    made = _loaded_from(monkeypatch)
    ModelRegistry(models).session("iris_landmark")
    ModelRegistry(models).session("iris_landmark")
    (copy,) = _copies()
    assert made == [("iris_landmark.onnx", int(ort.GraphOptimizationLevel.ORT_ENABLE_ALL)),
                    (copy.name, int(ort.GraphOptimizationLevel.ORT_DISABLE_ALL))]


@pytest.mark.skipif(opt.cpu_tag() is None, reason="this computer's CPU cannot be told: no copies are kept")
def test_an_altered_copy_is_made_again_from_the_verified_model(tmp_path: Path, monkeypatch) -> None:
    models = _models(tmp_path, "iris_landmark")
    ModelRegistry(models).session("iris_landmark")
    (copy,) = _copies()
    before = copy.stat()
    raw = bytearray(copy.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    copy.write_bytes(bytes(raw))
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    made = _loaded_from(monkeypatch)
    ModelRegistry(models).session("iris_landmark")
    assert made[0][0] == "iris_landmark.onnx"  # the shipped model, optimised again
    assert opt.OptimisedModels().trusted(copy, ModelRegistry(models).spec("iris_landmark")["sha256"])


def test_an_altered_shipped_model_is_refused_even_with_a_kept_copy(tmp_path: Path) -> None:
    models = _models(tmp_path, "iris_landmark")
    ModelRegistry(models).session("iris_landmark")
    target = models / "iris_landmark.onnx"
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 3] ^= 0x01
    target.write_bytes(bytes(raw))
    with pytest.raises(ModelChecksumError, match="iris_landmark"):
        ModelRegistry(models).session("iris_landmark")


def test_an_unwritable_cache_only_means_optimising_at_every_start(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    models = _models(tmp_path, "iris_landmark")
    x = np.random.default_rng(0).random((1, 3, 64, 64), dtype=np.float32)
    session = ModelRegistry(models).session("iris_landmark")
    out = session.run(None, {session.get_inputs()[0].name: x})
    assert all(np.isfinite(o).all() for o in out)


def test_no_copy_when_the_cpu_cannot_be_told(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(opt, "cpu_tag", lambda: None)
    models = _models(tmp_path, "iris_landmark")
    ModelRegistry(models).session("iris_landmark")
    assert _copies() == []


def test_a_new_copy_replaces_the_copy_of_an_earlier_version(tmp_path: Path, monkeypatch) -> None:
    """A new ONNX Runtime (or CPU, or model) makes a new copy; the old one is removed."""
    models = _models(tmp_path, "iris_landmark")
    monkeypatch.setattr(opt, "cpu_tag", lambda: "0000000000000000")
    ModelRegistry(models).session("iris_landmark")
    monkeypatch.setattr(opt, "cpu_tag", lambda: "1111111111111111")
    ModelRegistry(models).session("iris_landmark")
    assert [p.name.rsplit("-", 1)[1] for p in _copies()] == ["1111111111111111.onnx"]
