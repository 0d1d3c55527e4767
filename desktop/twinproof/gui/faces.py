"""The faces view's geometry: each image's own similarity into one canonical face frame.

A twin is often a new shot of the person (another pose, framing, distance), so its frame
cannot be laid over the real photograph's; its *face* can. Each image's eye centres (the
mean of the face mesh's eye corners, 33/133 and 263/362, read from the stored analysis) are
mapped by a similarity (rotation, uniform scale, shift: no shear, so a face keeps its
proportions) onto the same two canonical points: eyes level, one eye distance apart. The
panes then paint both images through these transforms (the existing pyramid pipeline, no
resampled copies), so 2-up, swipe, onion skin, blink and difference compare the two faces
even across shots. Same frame or new shot alike: in one frame the view shows the faces
larger and level; in a new shot it is the only way to lay one over the other.

The canonical frame is the same for every pair (``EYE_DISTANCE`` units between the eyes),
so zoom and pan survive moving to the next pair, and a frozen reference face lines up with
the current one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTransform

from twinproof.core.landmarks.topology import MESH_POINTS
from twinproof.core.result import Mode, Unmeasured
from twinproof.core.result.measurements import Landmarks
from twinproof.gui.evidence import Result, registration_matrix, typed

#: Canonical eye distance (frame units) and the crop around the eyes, in eye distances:
#: 1.6 to either side of the middle (hair and ears of a frontal face), 2.0 above the eye
#: line (forehead and hair), 2.2 below it (chin and a little neck).
EYE_DISTANCE = 256.0
HALF_WIDTH, ABOVE, BELOW = 1.6, 2.0, 2.2
#: Where the subject's right eye (image left) and left eye go in the canonical frame.
CANON_RIGHT_EYE = QPointF((HALF_WIDTH - 0.5) * EYE_DISTANCE, ABOVE * EYE_DISTANCE)
CANON_LEFT_EYE = QPointF((HALF_WIDTH + 0.5) * EYE_DISTANCE, ABOVE * EYE_DISTANCE)
FACE_RECT = QRectF(0, 0, 2 * HALF_WIDTH * EYE_DISTANCE, (ABOVE + BELOW) * EYE_DISTANCE)
#: Below this eye distance (pixels) a face is too small to show enlarged to any purpose.
MIN_EYE_DISTANCE_PX = 8.0
_EYES = ((MESH_POINTS["right_eye_outer"], MESH_POINTS["right_eye_inner"]),
         (MESH_POINTS["left_eye_inner"], MESH_POINTS["left_eye_outer"]))


@dataclass(frozen=True)
class FaceFrame:
    """Both images' transforms into the canonical face frame, and the eyes they were made
    from (each image's own pixels: right eye, left eye)."""

    real_to_face: QTransform
    twin_to_face: QTransform
    real_eyes: tuple[QPointF, QPointF]
    twin_eyes: tuple[QPointF, QPointF]

    @property
    def rect(self) -> QRectF:
        return QRectF(FACE_RECT)

    @property
    def real_scale(self) -> float:
        """Frame units per real-image pixel (the view's zoom is shown in real pixels)."""
        return math.sqrt(abs(self.real_to_face.determinant()))


def similarity(right: QPointF, left: QPointF) -> QTransform:
    """The rotation + uniform scale + shift taking two eye centres onto the canonical ones
    (in complex numbers: z ↦ a·z + b with a = Δcanon / Δeyes)."""
    dx, dy = left.x() - right.x(), left.y() - right.y()
    cx, cy = CANON_LEFT_EYE.x() - CANON_RIGHT_EYE.x(), CANON_LEFT_EYE.y() - CANON_RIGHT_EYE.y()
    norm = dx * dx + dy * dy
    a_re, a_im = (cx * dx + cy * dy) / norm, (cy * dx - cx * dy) / norm
    b_re = CANON_RIGHT_EYE.x() - (a_re * right.x() - a_im * right.y())
    b_im = CANON_RIGHT_EYE.y() - (a_im * right.x() + a_re * right.y())
    # QTransform maps row vectors: x' = m11 x + m21 y + dx, y' = m12 x + m22 y + dy
    return QTransform(a_re, a_im, -a_im, a_re, b_re, b_im)


def eye_centres(points: list[list[float]]) -> tuple[QPointF, QPointF] | None:
    """The subject's right and left eye centres (means of each eye's two corners)."""
    if len(points) <= max(max(pair) for pair in _EYES):
        return None
    out = []
    for a, b in _EYES:
        pa, pb = points[a], points[b]
        x, y = (pa[0] + pb[0]) / 2.0, (pa[1] + pb[1]) / 2.0
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        out.append(QPointF(x, y))
    return out[0], out[1]


def face_frame(result: Result) -> FaceFrame | str:
    """Both faces' transforms into the canonical frame, or in words why there is no faces
    view for this pair (not analysed, no face in one of the images, a face too small)."""
    r = typed(result)
    if r is None:
        return "the pair is not analysed yet"
    lm = r.metrics.landmarks
    if isinstance(lm, Unmeasured) or not isinstance(lm, Landmarks):
        why = lm.reason if isinstance(lm, Unmeasured) else "no landmarks in the analysis"
        return f"no face mesh: {why}"
    sides = {}
    for which, side in (("real photograph", lm.real), ("twin", lm.twin)):
        eyes = eye_centres(side.face_points or [])
        if eyes is None:
            return f"no face in the {which}" + (f" ({side.face_reason})" if side.face_reason else "")
        distance = math.hypot(eyes[1].x() - eyes[0].x(), eyes[1].y() - eyes[0].y())
        if distance < MIN_EYE_DISTANCE_PX:
            return f"the face in the {which} is too small ({distance:.0f} px between the eyes)"
        sides[which] = eyes
    twin_eyes = sides["twin"]
    if r.mode is Mode.SAME_FRAME:
        # one frame: the twin's own mesh was stored mapped into real pixels; back to its own
        to_real = registration_matrix(r)
        back, ok = to_real.inverted() if to_real is not None else (QTransform(), False)
        if not ok:
            return "the twin's face is stored in real-image pixels, but the registration is missing"
        twin_eyes = (back.map(twin_eyes[0]), back.map(twin_eyes[1]))
    real_eyes = sides["real photograph"]
    return FaceFrame(similarity(*real_eyes), similarity(*twin_eyes), real_eyes, twin_eyes)
