"""The face descriptor network (dlib's ResNet, converted to ONNX) run on face chips.

The session comes from the landmark models' registry, so the file is checked against
``models/manifest.json`` before its first use and the session is made once and reused.
"""

from __future__ import annotations

import numpy as np

from twinproof.core.landmarks.registry import ModelRegistry, default_registry

MODEL_NAME = "face_identity_resnet"


def model_version(registry: ModelRegistry | None = None) -> str:
    """``face_identity_resnet@<first 12 hex of the file's sha256>``, from the manifest."""
    reg = registry or default_registry()
    return f"{MODEL_NAME}@{str(reg.spec(MODEL_NAME)['sha256'])[:12]}"


def describe(chips: list[np.ndarray] | np.ndarray, registry: ModelRegistry | None = None) -> np.ndarray:
    """128-d descriptors (n, 128) float32 of n 150x150x3 uint8 RGB chips (or one chip)."""
    batch = np.asarray(chips)
    if batch.ndim == 3:
        batch = batch[None]
    if batch.ndim != 4 or batch.shape[1:] != (150, 150, 3):
        raise ValueError(f"expected 150x150x3 chips, got an array of shape {batch.shape}")
    session = (registry or default_registry()).session(MODEL_NAME)
    tensor = np.ascontiguousarray(batch.transpose(0, 3, 1, 2), dtype=np.float32)
    out = session.run(None, {"chip": tensor})[0]
    return np.asarray(out, dtype=np.float32)
