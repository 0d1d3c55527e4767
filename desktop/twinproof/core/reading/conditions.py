"""The conditions one image was read under: what makes its measurements more or less certain.

A new shot compares two photographs read on their own; how far two readings of the same
person differ depends on how each was taken — the face's size in pixels, the head's turn and
tilt, the expression, the camera's distance (perspective), the light and how well its white
balance could be found, and how sure the landmark model was. These are recorded here, per
image, so the uncertainty of each pair measurement can be predicted from them
(``core/compare/uncertainty.py``, fitted on real same-person photographs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from twinproof.core.landmarks.types import FaceLandmarks
from twinproof.core.reading.monochrome import is_monochrome

#: 35 mm-equivalent focal length assumed when the file does not say (a phone's main camera
#: and a standard zoom's short end sit around it); the diagonal of a 35 mm frame is 43.27 mm.
ASSUMED_FOCAL_35MM = 28.0
FRAME_DIAGONAL_35MM = 43.27


@dataclass(frozen=True)
class Conditions:
    """One image's reading conditions (all plain numbers, so a cache or a test can keep them)."""

    iod_px: float  # outer eye corners, 2D image pixels (0: no face)
    face_px: float  # face width at the ears, 2D image pixels
    yaw_deg: float
    pitch_deg: float
    mouth_open: float  # inner lips apart, in eye distances
    smile: float  # mouth corners apart, in eye distances
    eye_open: float  # eyelids apart over the eye's width (a squint moves the eye corners)
    #: Face depth seen by the lens: eye distance over the focal length in pixels. A selfie at
    #: arm's length is ~0.1, a portrait from 2 m ~0.02; perspective narrows a face's far parts
    #: (the jaw and cheeks behind the eyes) in proportion to it.
    perspective: float
    focal_source: str  # "EXIF 35 mm-equivalent 26 mm", or "assumed 28 mm (no EXIF)"
    #: The face mesh's depth from the nose tip back to the ears, in eye distances (about 1.1 from
    #: a distance). The landmark model sees a close camera's perspective as a shallower face
    #: (0.95–1.0 in arm's-length selfies of a man whose distance shots read 1.10), so its
    #: difference between two photographs says their camera distances differ, cropped or not.
    mesh_depth: float
    landmark_presence: float
    greyscale: bool
    white_balance_ok: bool
    #: log of each channel's white-balance gain (0, 0, 0 when none was applied).
    log_gains: tuple[float, float, float]
    #: Median L* of the scene around the person (the exposure), and of the neutral pixels.
    scene_lightness: float

    @property
    def face_found(self) -> bool:
        return self.iod_px > 0


def focal_35mm(path: str | Path | None) -> float | None:
    """The 35 mm-equivalent focal length from the file's EXIF, None when it does not say."""
    if path is None:
        return None
    try:
        from PIL import Image

        with Image.open(path) as im:
            exif = im.getexif().get_ifd(0x8769)
    except Exception:  # noqa: BLE001 - no EXIF, or unreadable: the focal length is unknown
        return None
    value = exif.get(0xA405)  # FocalLengthIn35mmFilm
    try:
        f = float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return None
    return f if 8.0 <= f <= 1200.0 else None


def _pitch(p: np.ndarray) -> float:
    """Nod from the mesh's depth: forehead (10) against chin (152) out of the image plane."""
    top, bottom = p[10], p[152]
    return math.degrees(math.atan2(float(bottom[2] - top[2]), float(np.linalg.norm(bottom[:2] - top[:2])) or 1.0))


def _eye_open(p: np.ndarray) -> float:
    opening = float(np.linalg.norm(p[159] - p[145]) + np.linalg.norm(p[386] - p[374]))
    width = float(np.linalg.norm(p[33] - p[133]) + np.linalg.norm(p[263] - p[362])) or 1.0
    return opening / width


def is_greyscale(work: np.ndarray) -> bool:
    """A black-and-white photograph, or a toned one (sepia): no colour of the subject's
    (``core/reading/monochrome.py``)."""
    return is_monochrome(work)


def conditions(face: FaceLandmarks | None, work: np.ndarray, size: tuple[int, int], yaw_deg: float,
               gains: np.ndarray, white_balance_ok: bool, scene_lightness: float,
               path: str | Path | None = None) -> Conditions:
    """The conditions of one image (``size``: full width, height; ``work``: the image at the
    working size, float sRGB)."""
    grey = is_greyscale(work)
    diag = math.hypot(*size)
    exif_f = focal_35mm(path)
    f35 = exif_f or ASSUMED_FOCAL_35MM
    focal_px = diag * f35 / FRAME_DIAGONAL_35MM
    source = f"EXIF 35 mm-equivalent {exif_f:g} mm" if exif_f else f"assumed {ASSUMED_FOCAL_35MM:g} mm (no EXIF)"
    logs = tuple(float(v) for v in np.log(np.maximum(np.asarray(gains, np.float64), 1e-6)))
    if face is None:
        return Conditions(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, source, 0.0, 0.0, grey, white_balance_ok,
                          (logs[0], logs[1], logs[2]), scene_lightness)
    p = np.asarray(face.points, np.float64)
    iod = float(np.linalg.norm(p[33, :2] - p[263, :2]))
    iod3 = float(np.linalg.norm(p[33] - p[263])) or 1.0
    return Conditions(
        round(iod, 2), round(float(np.linalg.norm(p[234, :2] - p[454, :2])), 2), round(yaw_deg, 2),
        round(_pitch(p), 2), round(float(np.linalg.norm(p[13] - p[14])) / iod3, 4),
        round(float(np.linalg.norm(p[61] - p[291])) / iod3, 4), round(_eye_open(p), 4), round(iod / focal_px, 5),
        source, round(float(p[234, 2] + p[454, 2] - 2 * p[1, 2]) / 2 / iod, 4), round(float(face.presence), 4),
        grey, white_balance_ok, (logs[0], logs[1], logs[2]), round(scene_lightness, 2))
