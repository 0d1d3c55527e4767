"""Read a face's identity: chip from the mesh, descriptor, or a typed reason why not.

Pure measurement: no thresholds on the distance, no flags, no policy. The one limit applied
here, ``min_face_px``, decides whether a descriptor can be trusted at all (the caller passes the
policy's value; the default is the calibrated one, see ``MIN_FACE_PX``).
"""

from __future__ import annotations

import numpy as np

from twinproof.core.identity.chip import chip_to_image, cut_chip, face_size
from twinproof.core.identity.descriptor import describe, model_version
from twinproof.core.identity.mesh import five_points, yaw_degrees
from twinproof.core.identity.types import FaceChip, FaceIdentity, Unmeasured
from twinproof.core.landmarks.registry import ModelRegistry
from twinproof.core.landmarks.types import FaceLandmarks

#: Smallest face box (image pixels, the chip's unpadded face square; the eye corners span
#: about 0.74 of it) whose descriptor is trusted. The chip shows the face box at 100 px, so
#: below that the network sees upsampled, blurred detail; measured on shared/faces (shrinking
#: the photographs and re-reading them through the whole pipeline): see docs/fidelity.md.
MIN_FACE_PX = 60.0


def face_chip(pixels: np.ndarray, face: FaceLandmarks) -> FaceChip:
    """The aligned 150x150 chip of ``face`` (found in ``pixels``) with its quality figures."""
    points = five_points(face.points)
    transform = chip_to_image(points)
    return FaceChip(
        image=cut_chip(pixels, transform),
        chip_to_image=transform,
        points=points,
        face_size_px=face_size(transform),
        yaw_deg=yaw_degrees(face.points),
    )


def read_identity(
    pixels: np.ndarray,
    face: FaceLandmarks | None,
    *,
    min_face_px: float = MIN_FACE_PX,
    registry: ModelRegistry | None = None,
) -> FaceIdentity | Unmeasured:
    """The face's descriptor, or :class:`Unmeasured` when there is no face or it is too small.

    ``face`` is the main face from ``detect_landmarks(pixels)`` (None when none was found).
    The ONNX session is created on first use and reused.
    """
    if face is None:
        return Unmeasured("no face found")
    chip = face_chip(pixels, face)
    if chip.face_size_px < min_face_px:
        return Unmeasured(
            f"face too small to identify: {chip.face_size_px:.0f} px, at least {min_face_px:.0f} px needed "
            "(a smaller face is enlarged and blurred for the identity model, and that alone moves its "
            "identity by up to 0.2, too far to tell the same person from another)",
            face_size_px=chip.face_size_px,
        )
    descriptor = describe(chip.image, registry)[0]
    return FaceIdentity(descriptor=descriptor, chip=chip, model=model_version(registry))


def distance(a: FaceIdentity | np.ndarray, b: FaceIdentity | np.ndarray) -> float:
    """Euclidean distance between two descriptors: ~0 for the same photograph, below about
    0.6 for the same person (dlib's scale; TwinProof's threshold is the policy's)."""
    da = a.descriptor if isinstance(a, FaceIdentity) else np.asarray(a)
    db = b.descriptor if isinstance(b, FaceIdentity) else np.asarray(b)
    if da.shape != db.shape:
        raise ValueError(f"descriptors differ in shape: {da.shape} and {db.shape}")
    return float(np.linalg.norm(da.astype(np.float64) - db.astype(np.float64)))
