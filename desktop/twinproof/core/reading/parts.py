"""What a reading measures on one image: face proportions, skin, garment and body.

Each function takes one image's own landmarks and pixels and returns a typed sample, or the
reason it cannot (a string). Nothing here looks at the other image of the pair.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from twinproof.core import colour
from twinproof.core.landmarks.topology import POSE_INDEX as P
from twinproof.core.landmarks.types import BodyLandmarks, FaceLandmarks
from twinproof.core.loaded_image import LoadedImage
from twinproof.core.reading.crop import face_crop
from twinproof.core.reading.skin_pixels import band_energy, skin_mask
from twinproof.core.reading.whitebalance import corrected, skin_plausible

EYE_OUTER = (33, 263)
#: Below this eye distance (image px) a face's proportions and skin are not read.
MIN_IOD_PX = 24.0
JAW_PAIRS = ((132, 361), (58, 288), (172, 397), (136, 365))
MIN_SKIN_PIXELS = 200
SKIN_DE76 = 14.0
SEEN = 0.5


@dataclass(frozen=True)
class FaceShape:
    """Proportions of one face on its own mesh, as 3D distances (a turned head changes them
    little), each divided by the outer-eye-corner distance."""

    iod_px: float
    yaw_deg: float
    ratios: dict[str, float]


@dataclass(frozen=True)
class SkinSample:
    lab: np.ndarray  # median CIELAB after the image's own white balance (as shot when it was rejected)
    lab_as_shot: np.ndarray
    pixels: int
    texture: float  # band-pass energy at a face-relative scale (σ = 1/160 of the eye distance)
    #: Why this image has no skin colour reading (a greyscale photograph; skin that is grey or
    #: blue even as shot), None when it has one. Texture is read all the same.
    no_colour: str | None = None
    #: The image's white balance turned the skin grey or blue, so it was not applied.
    white_balance_rejected: bool = False


@dataclass(frozen=True)
class GarmentSample:
    lab: np.ndarray  # median CIELAB after the image's own white balance
    fraction: float


def _iod(points: np.ndarray) -> float:
    return float(np.linalg.norm(points[EYE_OUTER[0]] - points[EYE_OUTER[1]]))


def _eyelid_width(face: FaceLandmarks, iod: float) -> float | None:
    """Eye width from the iris model's eyelid contours (its first 16 points, on a 64-px crop of
    each eye), over the eye distance. The face mesh keeps the eye corners where its shape prior
    expects them (an eye enlarged 16 % moved them by 0.1 %); the eye model follows the lids."""
    if face.iris is None:
        return None
    widths = [float(np.ptp(c[:16, 0])) for c in (face.iris.right_contour, face.iris.left_contour)]
    return sum(widths) / 2 / iod


def face_shape(face: FaceLandmarks | None, yaw_deg: float) -> FaceShape | str:
    if face is None:
        return "no face found"
    p = np.asarray(face.points, np.float64)
    iod2 = _iod(p[:, :2])
    if iod2 < MIN_IOD_PX:
        return f"face too small to measure (eyes {iod2:.0f} px apart; needs {MIN_IOD_PX:.0f})"
    iod = _iod(p)

    def d(a: int, b: int) -> float:
        return float(np.linalg.norm(p[a] - p[b]))

    ratios = {
        "eye_width": _eyelid_width(face, iod2) or (d(33, 133) + d(263, 362)) / 2 / iod,
        "nose_width": d(98, 327) / iod,
        "jaw_width": float(np.mean([d(a, b) for a, b in JAW_PAIRS])) / iod,
        "face_width": d(234, 454) / iod,
    }
    if face.iris is not None and iod2 >= 60:
        # iris diameter against the eye's own width (corner to corner): both foreshortened alike
        eye = (float(np.linalg.norm(p[33, :2] - p[133, :2])) + float(np.linalg.norm(p[263, :2] - p[362, :2]))) / 2
        ratios["irises"] = (face.iris.iris_diameter("left") + face.iris.iris_diameter("right")) / 2 / eye
    return FaceShape(round(iod2, 1), round(yaw_deg, 1), ratios)


def skin_sample(pixels: np.ndarray | LoadedImage, face: FaceLandmarks | None, gains: np.ndarray,
                greyscale: bool = False) -> SkinSample | str:
    """The face's skin: median colour after the white balance (rejected when it makes skin grey
    or blue), and its fine texture. A greyscale photograph has texture but no skin colour.
    (``pixels``: the image's pixels, or the loaded image to cut the face from the decode the
    crop needs, :func:`~twinproof.core.reading.crop.face_crop`.)"""
    if face is None:
        return "no face found"
    mesh = np.asarray(face.points, np.float64)
    iod = _iod(mesh[:, :2])
    if iod < MIN_IOD_PX:
        return f"face too small to measure skin (eyes {iod:.0f} px apart)"
    crop = face_crop(pixels, mesh, iod)
    mask = skin_mask(crop, mesh, iod)
    if int(mask.sum()) < MIN_SKIN_PIXELS:
        return "too little visible skin on the face to measure"
    raw = crop.pixels[mask]
    lab_shot = np.median(colour.srgb_to_lab(raw), axis=0)
    lab = np.median(colour.srgb_to_lab(corrected(raw, gains)), axis=0)
    rejected = not skin_plausible(lab) and not np.allclose(gains, 1.0)
    if rejected:
        lab = lab_shot
    no_colour = None
    if greyscale:
        no_colour = "a greyscale photograph has no skin colour"
    elif not skin_plausible(lab):
        no_colour = (f"the skin reads grey or blue (a* {lab[1]:.1f}, b* {lab[2]:.1f}) even as shot: "
                     "the light is too far from white to read its colour")
    return SkinSample(lab, lab_shot, int(mask.sum()), band_energy(crop.pixels, mask, 1.0), no_colour, rejected)


def garment_sample(work: np.ndarray, factor: float, face: FaceLandmarks | None, body: BodyLandmarks | None,
                   skin_lab: np.ndarray | None, gains: np.ndarray) -> GarmentSample | str:
    """The clothing: the person mask minus head and hair and skin-coloured pixels, eroded."""
    if body is None or body.mask is None:
        return "no person found"
    h, w = work.shape[:2]
    person = cv2.resize(body.mask.mask, (w, h), interpolation=cv2.INTER_LINEAR) > 0.5
    region = cv2.erode(person.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    if face is not None:
        pts = face.points[:, :2] * factor
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        fw, fh = x1 - x0, y1 - y0
        region[max(0, int(y0 - 0.8 * fh)):max(0, int(y1 + 0.05 * fh)),
               max(0, int(x0 - 0.35 * fw)):max(0, int(x1 + 0.35 * fw))] = False
    ys, xs = np.nonzero(region)
    step = max(1, len(ys) // 250_000)
    ys, xs = ys[::step], xs[::step]
    if len(ys) < 0.01 * h * w / step:
        return "the garment region is too small to measure (under 1% of the frame)"
    lab_shot = colour.srgb_to_lab(work[ys, xs])
    if skin_lab is not None:
        keep = np.linalg.norm(lab_shot - skin_lab[None, :], axis=1) > SKIN_DE76
        ys, xs = ys[keep], xs[keep]
    if len(ys) < 0.01 * h * w / step:
        return "the garment region is too small to measure (under 1% of the frame)"
    lab = colour.srgb_to_lab(corrected(work[ys, xs], gains))
    return GarmentSample(np.median(lab, axis=0), round(len(ys) * step / (h * w), 4))


def body_ratios(body: BodyLandmarks | None, size: tuple[int, int]) -> dict[str, float | str] | str:
    """Proportions from the pose model's 3D world landmarks (metres, hip-centred), which a change
    of viewpoint does not distort as it does 2D lengths; only joints this image shows."""
    if body is None:
        return "no body found"
    w, h = size

    def shown(*names: str) -> bool:
        for n in names:
            i = P[n]
            x, y = body.points[i, :2]
            if not (body.visibility[i] > SEEN and body.presence[i] > SEEN and 0 <= x < w and 0 <= y < h):
                return False
        return True

    wp = np.asarray(body.world, np.float64)

    def d(a: str, b: str) -> float:
        return float(np.linalg.norm(wp[P[a]] - wp[P[b]]))

    def mid(a: str, b: str) -> np.ndarray:
        return (wp[P[a]] + wp[P[b]]) / 2

    out: dict[str, float | str] = {}
    shoulders, hips = ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip")
    torso = float(np.linalg.norm(mid(*shoulders) - mid(*hips)))
    out["shoulder_to_hip"] = d(*shoulders) / d(*hips) if shown(*shoulders, *hips) else "hips or shoulders not shown"
    legs = ("left_knee", "right_knee", "left_ankle", "right_ankle")
    out["torso_to_leg"] = (torso / ((d("left_hip", "left_knee") + d("left_knee", "left_ankle")
                                     + d("right_hip", "right_knee") + d("right_knee", "right_ankle")) / 2)
                           if shown(*shoulders, *hips, *legs) else "legs not shown")
    arms = ("left_elbow", "right_elbow", "left_wrist", "right_wrist")
    out["arm_to_torso"] = (((d("left_shoulder", "left_elbow") + d("left_elbow", "left_wrist")
                             + d("right_shoulder", "right_elbow") + d("right_elbow", "right_wrist")) / 2) / torso
                           if shown(*shoulders, *hips, *arms) else "arms not shown")
    out["shoulder_to_head"] = (d(*shoulders) / d("left_ear", "right_ear")
                               if shown(*shoulders, "left_ear", "right_ear") else "ears or shoulders not shown")
    if not any(isinstance(v, float) and math.isfinite(v) for v in out.values()):
        return "not enough of the body is shown"
    return out
