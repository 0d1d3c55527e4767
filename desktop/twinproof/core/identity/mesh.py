"""dlib's five alignment points, and the head's yaw, from TwinProof's 468-point face mesh.

dlib's 5-point landmarks are the outer and inner corner of each eye and the base of the nose
(subnasale). The anatomically equivalent mesh points are 263 / 362 (subject's left eye outer /
inner corner), 33 / 133 (right eye outer / inner) and 2 (below the nose tip). The mesh places its
corners a little differently from dlib's annotators, so each point is then moved by a fixed
offset in the face's own frame (unit = the template's face box, x along the eyes): the mean
difference to dlib's own 5-point predictions on the 62 labelled photographs of
``shared/faces``, 0.8-2.7 % of the face box (per-face spread about 1 %). With the offsets the
mesh chip's descriptor lies closer to the one from dlib's points (median distance 0.087 instead
of 0.117 on photographs not used to fit them); without them the chip would be cut slightly
lower and wider than the chips the network was trained on. See docs/fidelity.md, "Identity".
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core.identity.chip import TEMPLATE, similarity

#: Mesh indices standing for dlib's points 0-4 (left outer, left inner, right outer, right
#: inner eye corner, nose base; "left" is the subject's).
MESH_POINTS = (263, 362, 33, 133, 2)

#: Mean (dlib point - mesh point) in the template's unit face frame, fitted on shared/faces.
OFFSETS = np.array([
    [-0.0097, 0.0168],
    [0.0180, 0.0113],
    [0.0266, 0.0137],
    [-0.0008, 0.0097],
    [0.0075, 0.0199],
])

#: Symmetric point pairs (subject's right side first) whose depth difference gives the yaw:
#: cheek edges, outer and inner eye corners, mouth corners.
_YAW_PAIRS = ((234, 454), (33, 263), (133, 362), (61, 291))


def five_points(mesh: np.ndarray) -> np.ndarray:
    """dlib's five points (5, 2), image pixels, from the mesh's (468, >=2) points."""
    pts = np.asarray(mesh, np.float64)[list(MESH_POINTS), :2]
    to_unit = similarity(pts, TEMPLATE)
    unit = pts @ to_unit[:, :2].T + to_unit[:, 2] + OFFSETS
    to_image = similarity(TEMPLATE, pts)
    return unit @ to_image[:, :2].T + to_image[:, 2]


def yaw_degrees(mesh: np.ndarray) -> float:
    """Head turn from the mesh's relative depth: the angle of the line between symmetric
    points out of the image plane. 0 facing the camera; positive when the subject's left side
    (image right, for a face towards the camera) is further away. Independent of roll."""
    pts = np.asarray(mesh, np.float64)
    if pts.shape[1] < 3:
        raise ValueError("the mesh has no depth (z) to estimate the yaw from")
    right = pts[[a for a, _ in _YAW_PAIRS]]
    left = pts[[b for _, b in _YAW_PAIRS]]
    across = float(np.linalg.norm(left[:, :2] - right[:, :2], axis=1).sum())
    depth = float((left[:, 2] - right[:, 2]).sum())
    return math.degrees(math.atan2(depth, across))
