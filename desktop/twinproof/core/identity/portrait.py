"""A reference portrait of a talent, read for identity: the file's face, its descriptor."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from twinproof.core.identity.read import MIN_FACE_PX, read_identity
from twinproof.core.identity.types import FaceIdentity, Unmeasured

if TYPE_CHECKING:
    import numpy as np

    from twinproof.core.landmarks import LandmarkResult


def read_portrait(path: str | Path, min_face_px: float = MIN_FACE_PX) -> FaceIdentity | Unmeasured:
    """The main face of an image file as an identity descriptor (ImageLoadError for a file
    TwinProof cannot read; Unmeasured when it shows no usable face)."""
    from twinproof.core.imageio import load_image
    from twinproof.core.landmarks import detect_landmarks

    image = load_image(path)
    return portrait_identity(image.pixels, detect_landmarks(image.pixels), min_face_px)


def portrait_identity(pixels: np.ndarray, found: LandmarkResult,
                      min_face_px: float = MIN_FACE_PX) -> FaceIdentity | Unmeasured:
    """The portrait's face as an identity descriptor from landmarks already found on ``pixels``
    (a caller that needs the face for more than identity finds it once)."""
    if found.faces_found > 1:
        return Unmeasured(f"{found.faces_found} faces: a reference portrait must show one person")
    return read_identity(pixels, found.face, min_face_px=min_face_px)
