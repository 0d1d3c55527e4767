"""A reference portrait of a talent, read for identity: the file's face, its descriptor."""

from __future__ import annotations

from pathlib import Path

from twinproof.core.identity.read import MIN_FACE_PX, read_identity
from twinproof.core.identity.types import FaceIdentity, Unmeasured


def read_portrait(path: str | Path, min_face_px: float = MIN_FACE_PX) -> FaceIdentity | Unmeasured:
    """The main face of an image file as an identity descriptor (ImageLoadError for a file
    TwinProof cannot read; Unmeasured when it shows no usable face)."""
    from twinproof.core.imageio import load_image
    from twinproof.core.landmarks import detect_landmarks

    image = load_image(path)
    found = detect_landmarks(image.pixels)
    if found.faces_found > 1:
        return Unmeasured(f"{found.faces_found} faces: a reference portrait must show one person")
    return read_identity(image.pixels, found.face, min_face_px=min_face_px)
