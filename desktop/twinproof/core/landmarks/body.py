"""BlazePose full-body landmarks (33 points) and the person mask, without the pose detector.

MediaPipe's pose detector does not convert to ONNX, so the person crop comes from elsewhere:
a first pass on the whole frame (fashion photographs usually show one person large in frame)
or, when several faces are in the picture, a crop guessed from the main face. The model itself
then says where the person is: its auxiliary points 33 (hips centre) and 34 (a point above the
head) define the next crop exactly as MediaPipe's tracking does (centre on the hips, side 2.5x
their distance, rotated so hips->head points up). One or two such refinements converge. When
the hips are outside the frame (a chest-up portrait) their position is extrapolated and each
refinement would only grow the crop, leaving the visible body fewer input pixels, so then only
refinements that zoom in are taken.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from twinproof.core.landmarks.facedetect import FaceDetection
from twinproof.core.landmarks.geometry import Crop, Pyramid, angle_of
from twinproof.core.landmarks.registry import ModelRegistry
from twinproof.core.landmarks.types import BodyLandmarks, PersonMask

POSE_SIZE = 256
MIN_SCORE = 0.5
MASK_LONG_SIDE = 512
MAX_REFINEMENTS = 2
#: A refinement that moves the crop less than this (fraction of its size) is the last.
CONVERGED = 0.05


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0)))


def crop_from_face(det: FaceDetection) -> Crop:
    """A person crop guessed from a face: hips about three face heights below the face
    centre, crop ten face heights tall (a standing adult; the model corrects it)."""
    h = max(det.width, det.height)
    return Crop((det.center[0], det.center[1] + 3.0 * h), 10.0 * h)


def crop_from_aux(aux: np.ndarray) -> Crop:
    """MediaPipe's pose ROI from the auxiliary points (hips centre, above the head)."""
    centre, top = aux[0, :2], aux[1, :2]
    size = 2.0 * float(np.hypot(*(top - centre))) * 1.25
    return Crop((float(centre[0]), float(centre[1])), size, angle_of(centre, top, math.pi / 2))


class _Pass:
    """One run of the pose model on one crop."""

    def __init__(self, pyr: Pyramid, crop: Crop, registry: ModelRegistry) -> None:
        session = registry.session("pose_landmark_full")
        x = pyr.extract(crop, POSE_SIZE)[None]
        landmarks, flag, mask, _heatmap, world = session.run(
            None, {session.get_inputs()[0].name: x}
        )
        raw = landmarks.reshape(39, 5)
        self.crop = crop
        self.points = crop.to_image(raw[:35, :3], POSE_SIZE)
        self.visibility = _sigmoid(raw[:33, 3])
        self.presence = _sigmoid(raw[:33, 4])
        score = float(flag.ravel()[0])
        self.score = score if math.isfinite(score) else 0.0  # NaN pixels in, NaN out
        self.mask_logits = mask[0, :, :, 0]
        self.world = world.reshape(39, 3)[:33].astype(np.float64)


def _moved(a: Crop, b: Crop) -> float:
    shift = math.hypot(a.center[0] - b.center[0], a.center[1] - b.center[1])
    return max(shift, abs(a.size - b.size)) / max(a.size, b.size)


def person_mask(pyr: Pyramid, p: _Pass) -> PersonMask:
    """The crop's segmentation warped back onto the whole image at reduced size."""
    scale = min(1.0, MASK_LONG_SIDE / max(pyr.width, pyr.height))
    w, h = max(1, round(pyr.width * scale)), max(1, round(pyr.height * scale))
    fx, fy = w / pyr.width, h / pyr.height
    # mask index -> crop input index -> image index -> output mask index
    to_crop = np.vstack([p.crop.image_to_input(POSE_SIZE), [0, 0, 1]])
    image_to_mask = np.array([[fx, 0, 0.5 * fx - 0.5], [0, fy, 0.5 * fy - 0.5], [0, 0, 1]])
    m = (image_to_mask @ np.linalg.inv(to_crop))[:2]
    prob = _sigmoid(p.mask_logits).astype(np.float32)
    out = cv2.warpAffine(prob, m, (w, h), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=0.0)
    return PersonMask(out, scale, (pyr.width, pyr.height))


def measure_body(
    pyr: Pyramid, registry: ModelRegistry, seed: Crop | None = None, *, mask: bool = True
) -> tuple[BodyLandmarks | None, str | None]:
    """The main person's 33 landmarks, or None and why."""
    best = _Pass(pyr, seed or pyr.whole_frame(), registry)
    if best.score < MIN_SCORE:
        where = "the whole frame" if seed is None else "the region below the main face"
        return None, f"no person found in {where} (pose presence {best.score:.2f} < {MIN_SCORE})"
    for _ in range(MAX_REFINEMENTS):
        crop = crop_from_aux(best.points[33:35])
        hips_in_frame = min(best.presence[23], best.presence[24]) >= 0.5
        if crop.size < 8 or (crop.size > best.crop.size and not hips_in_frame):
            break
        nxt = _Pass(pyr, crop, registry)
        if nxt.score < MIN_SCORE:
            break
        moved = _moved(best.crop, nxt.crop)
        best = nxt
        if moved < CONVERGED:
            break
    body = BodyLandmarks(
        points=best.points[:33], visibility=best.visibility, presence=best.presence,
        score=best.score, crop=best.crop, world=best.world,
        mask=person_mask(pyr, best) if mask else None,
    )
    return body, None
