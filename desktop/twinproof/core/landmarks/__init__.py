"""Face mesh, iris and body landmarks from the shipped ONNX models (MediaPipe, converted).

Entry point: :func:`detect_landmarks` (numpy image in, :class:`LandmarkResult` out). The models
are checked against ``models/manifest.json`` when first used (:mod:`.registry`); index sets for
face regions and body landmark names are in :mod:`.topology`. Never imports Qt.
"""

from twinproof.core.landmarks.geometry import Crop
from twinproof.core.landmarks.pipeline import detect_landmarks
from twinproof.core.landmarks.registry import (
    ModelChecksumError,
    ModelError,
    ModelManifestError,
    ModelMissingError,
    ModelRegistry,
    default_registry,
)
from twinproof.core.landmarks.types import (
    BodyLandmarks,
    FaceLandmarks,
    IrisLandmarks,
    LandmarkResult,
    PersonMask,
)

__all__ = [
    "BodyLandmarks",
    "Crop",
    "FaceLandmarks",
    "IrisLandmarks",
    "LandmarkResult",
    "ModelChecksumError",
    "ModelError",
    "ModelManifestError",
    "ModelMissingError",
    "ModelRegistry",
    "PersonMask",
    "default_registry",
    "detect_landmarks",
]
