"""Why no face was read, when the picture is too small to hold the face a measurement needs.

The detector finds no face in a 24 px picture (or one the mesh does not confirm), and "no face
found" is then true but misleading: there may well be a face, too small to measure. Every step
that reads a face (shape, skin, texture, identity; same frame or new shot) says the picture's size
and what is needed instead.
"""

from __future__ import annotations

import math

from twinproof.core.loaded_image import LoadedImage
from twinproof.core.reading.parts import MIN_IOD_PX

#: The largest eye distance over face box (the identity chip's face square) among the 189 faces of
#: both labelled sets read by both (0.824; median 0.787): a picture whose long side is under
#: MIN_IOD_PX ÷ this cannot hold a face whose eyes are MIN_IOD_PX apart.
EYES_OVER_FACE = 0.83
SHAPE_FACE_PX = math.ceil(MIN_IOD_PX / EYES_OVER_FACE)


def too_small(reason: str, image: LoadedImage, needed: float = SHAPE_FACE_PX, what: str = "measure") -> str:
    """``reason`` — unless the picture is smaller than the face a measurement needs (``needed``
    px): then the face is too small, whatever the detector did or did not find ("no face found",
    or a detection the mesh did not confirm, as the same frame's reading of a 20×24 px twin
    says), and the words say the picture's size and what is needed. A reason that already says
    the face is too small (with the size the detector measured) stands."""
    if max(image.width, image.height) >= needed or "too small" in reason:
        return reason
    return (f"the face is too small to {what} (the whole image is {image.width}×{image.height} px; "
            f"at least {needed:.0f} px needed)")
