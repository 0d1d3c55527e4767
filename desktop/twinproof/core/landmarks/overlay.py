"""Draw landmarks on the image so a person can check them by eye (``--overlay``).

Plain OpenCV on a uint8 copy: the face regions as polylines (colour per region), every mesh
point as a dot, the irises as circles, the body skeleton with joints coloured by visibility
(grey bones where an end is not visible), the crops the models saw as rotated squares, and the
person mask as a faint tint. Line widths scale with the image so a 24 MP frame stays readable
when shrunk.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from twinproof.core.landmarks import topology as topo
from twinproof.core.landmarks.geometry import Crop, as_rgb
from twinproof.core.landmarks.types import LandmarkResult

_REGION_COLOURS: dict[str, tuple[int, int, int]] = {  # RGB
    "face_oval": (255, 255, 255), "right_eye": (0, 255, 0), "left_eye": (0, 255, 0),
    "right_eyebrow": (255, 200, 0), "left_eyebrow": (255, 200, 0),
    "lips_outer": (255, 60, 60), "lips_inner": (255, 140, 140), "nose": (0, 200, 255),
}


def _xy(p: np.ndarray) -> tuple[int, int]:
    return (round(float(p[0])), round(float(p[1])))


def _draw_crop(img: np.ndarray, crop: Crop, colour: tuple[int, int, int], width: int) -> None:
    c, s = math.cos(crop.rotation), math.sin(crop.rotation)
    h = crop.size / 2
    corners = [(crop.center[0] + c * u - s * v, crop.center[1] + s * u + c * v)
               for u, v in ((-h, -h), (h, -h), (h, h), (-h, h))]
    pts = np.round(np.array(corners)).astype(np.int32)
    cv2.polylines(img, [pts], True, colour, width, cv2.LINE_AA)


def _face_edges() -> list[tuple[str, list[tuple[int, int]]]]:
    return [
        ("face_oval", topo.closed_edges(topo.FACE_OVAL)),
        ("right_eye", topo.closed_edges(topo.RIGHT_EYE)),
        ("left_eye", topo.closed_edges(topo.LEFT_EYE)),
        ("right_eyebrow", [e for line in topo.RIGHT_EYEBROW for e in topo.open_edges(line)]),
        ("left_eyebrow", [e for line in topo.LEFT_EYEBROW for e in topo.open_edges(line)]),
        ("lips_outer", topo.closed_edges(topo.LIPS_OUTER)),
        ("lips_inner", topo.closed_edges(topo.LIPS_INNER)),
        ("nose", sorted(topo.NOSE_EDGES)),
    ]


def draw_landmarks(image: np.ndarray, result: LandmarkResult) -> np.ndarray:
    """An RGB uint8 copy of ``image`` with ``result`` drawn on it."""
    rgb = as_rgb(image)
    img = (np.clip(rgb, 0, 1) * 255 + 0.5).astype(np.uint8) if rgb.dtype != np.uint8 else rgb.copy()
    unit = max(1, round(max(img.shape[:2]) / 800))
    body = result.body
    if body is not None and body.mask is not None:
        # blendLinear keeps a 24 MP frame in uint8 (a float copy would cost ~300 MB)
        weight = body.mask.to_image_size() * np.float32(0.35)
        colour = np.empty_like(img)
        colour[:] = (120, 0, 200)
        img = cv2.blendLinear(img, colour, np.float32(1) - weight, weight)
    if body is not None:
        for a, b in sorted(topo.POSE_CONNECTIONS):
            seen = min(body.visibility[a], body.visibility[b]) >= 0.5
            cv2.line(img, _xy(body.points[a]), _xy(body.points[b]),
                     (255, 255, 0) if seen else (150, 150, 150), (2 if seen else 1) * unit,
                     cv2.LINE_AA)
        for p, vis in zip(body.points, body.visibility, strict=True):
            colour = (0, 255, 0) if vis >= 0.5 else (255, 0, 0)
            cv2.circle(img, _xy(p), 3 * unit, colour, -1, cv2.LINE_AA)
        _draw_crop(img, body.crop, (255, 255, 0), unit)
    face = result.face
    if face is not None:
        for region, edges in _face_edges():
            for a, b in edges:
                cv2.line(img, _xy(face.points[a]), _xy(face.points[b]), _REGION_COLOURS[region],
                         unit, cv2.LINE_AA)
        dot = max(1, unit // 2)
        for p in face.points:
            cv2.circle(img, _xy(p), dot, (255, 0, 255), -1, cv2.LINE_AA)
        if face.iris is not None:
            for iris in (face.iris.right_iris, face.iris.left_iris):
                radius = np.linalg.norm(iris[1:, :2] - iris[0, :2], axis=1).mean()
                cv2.circle(img, _xy(iris[0]), max(1, round(float(radius))), (0, 255, 255), unit,
                           cv2.LINE_AA)
                cv2.circle(img, _xy(iris[0]), dot, (0, 255, 255), -1, cv2.LINE_AA)
        _draw_crop(img, face.crop, (0, 255, 255), unit)
    return img
