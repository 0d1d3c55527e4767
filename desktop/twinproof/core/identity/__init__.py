"""Face identity: is the twin still the same person? (dlib's ResNet face descriptor, ONNX.)

Entry points: :func:`read_identity` (pixels and the face mesh from ``detect_landmarks`` in,
:class:`FaceIdentity` or :class:`Unmeasured` out) and :func:`distance`. The 150x150 chip is cut
with dlib's 5-point alignment from points of TwinProof's own face mesh, so no second face
detector ships. Headless, never imports Qt; no policy or flags here.
"""

from twinproof.core.identity.chip import CHIP_SIZE, PADDING
from twinproof.core.identity.descriptor import MODEL_NAME, describe, model_version
from twinproof.core.identity.read import MIN_FACE_PX, distance, face_chip, read_identity
from twinproof.core.identity.types import FaceChip, FaceIdentity, Unmeasured

__all__ = [
    "CHIP_SIZE",
    "MIN_FACE_PX",
    "MODEL_NAME",
    "PADDING",
    "FaceChip",
    "FaceIdentity",
    "Unmeasured",
    "describe",
    "distance",
    "face_chip",
    "model_version",
    "read_identity",
]
