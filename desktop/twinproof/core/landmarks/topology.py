"""Which landmark index is which: face-mesh regions, iris, eye contours and body names.

The face-mesh region lists are MediaPipe's ``face_mesh_connections.py`` (mediapipe 0.10.14,
Copyright 2021 The MediaPipe Authors, Apache-2.0; see models/NOTICE), reordered from edge sets
into ordered contours so a metric can treat each region as a polygon or polyline. The eye-contour
mapping is MediaPipe's ``update_face_landmarks_calculator.cc`` (Apache-2.0) as transcribed by
face-detection-tflite (MIT). The pose names and connections are ``mediapipe.solutions.pose``.

"Left"/"right" are the *subject's*: ``RIGHT_EYE`` (points 33-133) appears on the image's left
for a subject facing the camera. Contours marked "closed" repeat no point; join last to first.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

#: Face oval, closed, clockwise on screen from the top of the forehead (10).
FACE_OVAL: tuple[int, ...] = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)
#: Subject's right eye (image left) lid contour, closed: outer corner 33, lower lid, inner
#: corner 133, upper lid.
RIGHT_EYE: tuple[int, ...] = (
    33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246,
)
#: Subject's left eye lid contour, closed: outer corner 263, lower lid, inner corner 362, upper.
LEFT_EYE: tuple[int, ...] = (
    263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466,
)
#: Eyebrows as two polylines each (lower edge, upper edge), outer end first.
RIGHT_EYEBROW: tuple[tuple[int, ...], ...] = ((46, 53, 52, 65, 55), (70, 63, 105, 66, 107))
LEFT_EYEBROW: tuple[tuple[int, ...], ...] = ((276, 283, 282, 295, 285), (300, 293, 334, 296, 336))
#: Outer lip contour, closed: right mouth corner 61, lower lip, left corner 291, upper lip.
LIPS_OUTER: tuple[int, ...] = (
    61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185,
)
#: Inner lip contour, closed: right inner corner 78, lower, left inner corner 308, upper.
LIPS_INNER: tuple[int, ...] = (
    78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191,
)
#: Nose: MediaPipe's FACEMESH_NOSE edges (bridge 168-6-197-195-5-4, tip 1, nostrils 98/327).
NOSE_EDGES: frozenset[tuple[int, int]] = frozenset({
    (168, 6), (6, 197), (197, 195), (195, 5), (5, 4), (4, 1), (1, 19), (19, 94), (94, 2),
    (98, 97), (97, 2), (2, 326), (326, 327), (327, 294), (294, 278), (278, 344), (344, 440),
    (440, 275), (275, 4), (4, 45), (45, 220), (220, 115), (115, 48), (48, 64), (64, 98),
})
NOSE: tuple[int, ...] = tuple(sorted({i for edge in NOSE_EDGES for i in edge}))

#: Single named mesh points a metric or a test can rely on.
MESH_POINTS: dict[str, int] = {
    "forehead_top": 10, "chin": 152, "nose_tip": 1, "nose_bridge": 168,
    "right_eye_outer": 33, "right_eye_inner": 133, "left_eye_inner": 362, "left_eye_outer": 263,
    "mouth_right": 61, "mouth_left": 291, "upper_lip_top": 0, "lower_lip_bottom": 17,
    "right_cheek": 234, "left_cheek": 454,
}

#: The outer eye corners (right, left): the eye distance every face measurement is scaled by.
EYE_OUTER: tuple[int, int] = (33, 263)


def eye_distance(points: np.ndarray) -> float:
    """The distance between the outer eye corners of a face mesh (``points``: N x 2 or N x 3,
    in whatever units they are; x and y only), the one scale of a face's measurements."""
    return float(np.linalg.norm(points[EYE_OUTER[0], :2] - points[EYE_OUTER[1], :2]))


#: Every region as a named index set (for region-wise errors).
FACE_REGIONS: dict[str, tuple[int, ...]] = {
    "face_oval": FACE_OVAL,
    "right_eye": RIGHT_EYE,
    "left_eye": LEFT_EYE,
    "right_eyebrow": RIGHT_EYEBROW[0] + RIGHT_EYEBROW[1],
    "left_eyebrow": LEFT_EYEBROW[0] + LEFT_EYEBROW[1],
    "lips_outer": LIPS_OUTER,
    "lips_inner": LIPS_INNER,
    "nose": NOSE,
}

#: Iris points within ``IrisLandmarks.*_iris`` (5 points each).
IRIS_CENTER, IRIS_RIM = 0, (1, 2, 3, 4)
#: The same in MediaPipe's 478-point "refined" layout (``FaceLandmarks.with_iris()``).
RIGHT_IRIS_REFINED: tuple[int, ...] = (468, 469, 470, 471, 472)
LEFT_IRIS_REFINED: tuple[int, ...] = (473, 474, 475, 476, 477)

#: The iris model's 71 eye-contour points -> face-mesh indices (first 9: the lower lid from
#: corner to corner; next 7: the upper lid without the corners; then halos and the brow).
#: Both lists were checked against MediaPipe's edge sets when transcribed.
EYE_CONTOUR_TO_MESH_RIGHT: tuple[int, ...] = (
    33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173,
    130, 25, 110, 24, 23, 22, 26, 112, 243, 247, 30, 29, 27, 28, 56, 190,
    226, 31, 228, 229, 230, 231, 232, 233, 244, 113, 225, 224, 223, 222, 221, 189,
    35, 124, 46, 53, 52, 65, 143, 111, 117, 118, 119, 120, 121, 128, 245,
    156, 70, 63, 105, 66, 107, 55, 193,
)
EYE_CONTOUR_TO_MESH_LEFT: tuple[int, ...] = (
    263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398,
    359, 255, 339, 254, 253, 252, 256, 341, 463, 467, 260, 259, 257, 258, 286, 414,
    446, 261, 448, 449, 450, 451, 452, 453, 464, 342, 445, 444, 443, 442, 441, 413,
    265, 353, 276, 283, 282, 295, 372, 340, 346, 347, 348, 349, 350, 357, 465,
    383, 300, 293, 334, 296, 336, 285, 417,
)

#: The 33 BlazePose landmarks, in model order.
POSE_LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
)
POSE_INDEX: dict[str, int] = {name: i for i, name in enumerate(POSE_LANDMARK_NAMES)}
#: Body points on the head (used to find a face the detectors missed).
POSE_HEAD: tuple[int, ...] = tuple(range(11))
POSE_CONNECTIONS: frozenset[tuple[int, int]] = frozenset({
    (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10), (11, 12), (11, 13),
    (13, 15), (15, 17), (15, 19), (15, 21), (17, 19), (12, 14), (14, 16), (16, 18), (16, 20),
    (16, 22), (18, 20), (11, 23), (12, 24), (23, 24), (23, 25), (24, 26), (25, 27), (26, 28),
    (27, 29), (28, 30), (29, 31), (30, 32), (27, 31), (28, 32),
})


def closed_edges(contour: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive pairs of a closed contour, last joined to first (for drawing)."""
    return [(contour[i], contour[(i + 1) % len(contour)]) for i in range(len(contour))]


def open_edges(polyline: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive pairs of an open polyline."""
    return list(pairwise(polyline))


#: The face drawn as its features' outlines (oval, eyes, lips, brows, nose), for overlays: at
#: a glance a twin's outline over the real one shows "eyes larger" where 468 dots show noise.
FACE_OUTLINE_EDGES: tuple[tuple[int, int], ...] = tuple(
    [e for c in (FACE_OVAL, RIGHT_EYE, LEFT_EYE, LIPS_OUTER, LIPS_INNER) for e in closed_edges(c)]
    + [e for brow in (*RIGHT_EYEBROW, *LEFT_EYEBROW) for e in open_edges(brow)]
    + sorted(NOSE_EDGES))
FACE_OUTLINE_POINTS: tuple[int, ...] = tuple(sorted({i for e in FACE_OUTLINE_EDGES for i in e}))
