"""The 150x150 face chip dlib's face descriptor expects, cut with dlib's own alignment.

dlib aligns a face by the similarity transform (rotation, uniform scale, shift) that best maps
five points of a mean face shape onto the face's five points (eye corners and nose base), with
25 % padding around the shape (``get_face_chip_details(det, 150, 0.25)``, dlib 20.0.1,
``image_transforms/interpolation.h``). The descriptor was trained on such chips, so anything
else (another template, no padding, a different crop) costs separation. This module repeats
that alignment exactly, including how ``extract_image_chips`` places the chip's corners and
its image pyramid: halve the face region (the last time with dlib's 5x5 Gaussian) until the
chip samples it at 1-2 source pixels per chip pixel, then bilinear.

The five points come from TwinProof's own face mesh (``mesh.py``), so no second detector ships.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from twinproof.core.landmarks.geometry import as_rgb

CHIP_SIZE = 150
PADDING = 0.25

#: dlib's 5-point mean face shape (x, y in the unpadded unit face box), in the order of its
#: 5-point landmarks: subject's left eye outer corner, left inner, right outer, right inner,
#: nose base. From get_face_chip_details, dlib 20.0.1.
TEMPLATE = np.array([
    [0.8595674595992, 0.2134981538014],
    [0.6460604764104, 0.2289674387677],
    [0.1205750620789, 0.2137274526848],
    [0.3340850613712, 0.2290642403242],
    [0.4901123135679, 0.6277975316475],
])


def template_points(size: int = CHIP_SIZE, padding: float = PADDING) -> np.ndarray:
    """The template in chip pixels: ``(padding + p) / (2 padding + 1) * size``."""
    return (padding + TEMPLATE) / (2 * padding + 1) * size


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares similarity transform src -> dst (Umeyama 1991, as dlib's
    ``find_similarity_transform``), as a 2x3 matrix."""
    src, dst = np.asarray(src, np.float64), np.asarray(dst, np.float64)
    ms, md = src.mean(0), dst.mean(0)
    s0, d0 = src - ms, dst - md
    var = (s0**2).sum() / len(src)
    cov = d0.T @ s0 / len(src)
    u, d, vt = np.linalg.svd(cov)
    sign = np.eye(2)
    if np.linalg.det(cov) < 0:
        sign[1, 1] = -1
    rot = u @ sign @ vt
    scale = float(np.trace(np.diag(d) @ sign) / var) if var > 0 else 1.0
    m = np.zeros((2, 3))
    m[:, :2] = scale * rot
    m[:, 2] = md - m[:, :2] @ ms
    return m


def chip_to_image(points: np.ndarray, size: int = CHIP_SIZE, padding: float = PADDING) -> np.ndarray:
    """2x3 map from chip pixel indices to image pixel indices for a face's five points.

    dlib turns the fitted transform T into a rectangle centred at T(size/2, size/2) of side
    ``size * scale`` (less one, ``centered_drect``), rotated by T's angle, and maps the chip's
    corner pixels 0 and size-1 onto that rectangle's corners; repeated here to the sub-pixel.
    """
    t = similarity(template_points(size, padding), points)
    p = t[:, 0]  # T's image of the unit x vector
    scale, angle = float(np.hypot(*p)), math.atan2(p[1], p[0])
    centre = t[:, :2] @ np.array([size / 2, size / 2]) + t[:, 2]
    k = (size * scale - 1) / (size - 1)  # image pixels per chip pixel
    c, s = math.cos(angle), math.sin(angle)
    lin = k * np.array([[c, -s], [s, c]])
    half = (size - 1) / 2
    return np.hstack([lin, (centre - lin @ np.array([half, half]))[:, None]])


def face_size(transform: np.ndarray, size: int = CHIP_SIZE, padding: float = PADDING) -> float:
    """Side in image pixels of the unpadded face box (the template's unit square)."""
    return float(np.hypot(*transform[:, 0]) * (size - 1) / (1 + 2 * padding))


def cut_chip(pixels: np.ndarray, transform: np.ndarray, size: int = CHIP_SIZE) -> np.ndarray:
    """The chip as size x size x 3 uint8 RGB, zero outside the image (as dlib's).

    Like dlib's ``extract_image_chips``: the face region is halved while the chip would still
    sample it at 2 or more source pixels per chip pixel, then sampled bilinearly. The last
    halving is dlib's 5x5 Gaussian ([1 4 6 4 1] / 16, ``pyramid_down<2>``; ``cv2.pyrDown``);
    any before it are one INTER_AREA shrink, which is as close to dlib's chips (descriptor
    distance median 0.030 on shared/faces) at half the cost on a 1400-px face.
    """
    image = as_rgb(pixels)
    h, w = image.shape[:2]
    corners = np.array([[0, 0, 1], [size - 1, 0, 1], [0, size - 1, 1], [size - 1, size - 1, 1]], float)
    mapped = corners @ transform.T
    per_pixel = float(np.hypot(*transform[:, 0]))
    levels = max(0, math.floor(math.log2(per_pixel))) if per_pixel >= 2 else 0
    margin = 4 * 2**levels  # the filter's reach at the last level, in source pixels
    x0 = max(0, math.floor(mapped[:, 0].min()) - margin)
    y0 = max(0, math.floor(mapped[:, 1].min()) - margin)
    x1 = min(w, math.ceil(mapped[:, 0].max()) + margin + 1)
    y1 = min(h, math.ceil(mapped[:, 1].max()) + margin + 1)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((size, size, 3), np.uint8)
    region = image[y0:y1, x0:x1]
    factor, offset = 1, 0.0  # region index r <-> image index origin + offset + factor * r
    if levels >= 2 and min(region.shape[:2]) >= 2 ** levels:
        # All but the last halving as one INTER_AREA box shrink (OpenCV's fast integer path,
        # 2-4x cheaper than repeated pyrDown on a 2000-px face); the last level, which sets
        # the chip's sharpness, is the Gaussian one.
        factor = 2 ** (levels - 1)
        rh, rw = region.shape[0] // factor, region.shape[1] // factor
        region = cv2.resize(region[: rh * factor, : rw * factor], (rw, rh), interpolation=cv2.INTER_AREA)
        offset = (factor - 1) / 2
        levels = 1
    for _ in range(levels):
        if min(region.shape[:2]) < 2:
            break
        region = cv2.pyrDown(region)  # output index i is centred on input index 2i
        factor *= 2
    # image index p -> region index (p - origin - offset) / factor; compose with chip -> image
    to_region = np.array([[1 / factor, 0, -(x0 + offset) / factor], [0, 1 / factor, -(y0 + offset) / factor]])
    m = to_region[:, :2] @ transform
    m[:, 2] += to_region[:, 2]
    chip = cv2.warpAffine(region, m, (size, size), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    if chip.dtype != np.uint8:
        chip = np.clip(chip * 255.0 + 0.5, 0, 255).astype(np.uint8)
    return chip
