"""BlazeFace face detection (short- and full-range) on letterboxed squares of the image.

The two detectors complement each other: short-range (128 px input) is trained on faces that
fill much of the frame, as in a head-and-shoulders portrait; full-range (192 px, one anchor per
4 px cell) finds faces down to a few percent of the frame, as in a full-length shot. Both run on
the whole frame and their detections are merged. When neither finds a face, the full-range
detector is run again on overlapping tiles, so a face that is small in a large frame still
gets enough input pixels. Anchor layout and decoding follow MediaPipe's
``face_detection_*_range_common`` graphs (SSD anchors, weighted non-maximum suppression).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from twinproof.core.landmarks.geometry import Crop, Pyramid
from twinproof.core.landmarks.registry import ModelRegistry

MIN_SCORE = 0.5
NMS_IOU = 0.3
#: name, input size, SSD strides, anchors per cell per layer (MediaPipe's graph options:
#: interpolated_scale_aspect_ratio 1.0 adds a second anchor per layer for short range)
_MODELS = {
    "short": ("face_detection_short_range", 128, (8, 16, 16, 16), 2),
    "full": ("face_detection_full_range", 192, (4,), 1),
}


@dataclass(frozen=True)
class FaceDetection:
    """One face found by a detector, in full-image pixel-index coordinates.

    ``keypoints`` (6, 2): the subject's right eye, left eye, nose tip, mouth centre, right ear
    tragion, left ear tragion (for a subject facing the camera the right eye is on the image's
    left). ``box`` is (x_min, y_min, x_max, y_max).
    """

    box: tuple[float, float, float, float]
    keypoints: np.ndarray
    score: float
    detector: str

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def center(self) -> tuple[float, float]:
        return ((self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2)

    def contains(self, x: float, y: float, margin: float = 0.0) -> bool:
        mx, my = self.width * margin, self.height * margin
        return (self.box[0] - mx <= x <= self.box[2] + mx) and (
            self.box[1] - my <= y <= self.box[3] + my
        )


@cache
def anchors(size: int, strides: tuple[int, ...], per_layer: int) -> np.ndarray:
    """SSD anchor centres in [0, 1] (MediaPipe's SsdAnchorsCalculator; all anchors have
    aspect ratio 1 and fixed size, so only centres matter). Layers with the same stride
    share one grid."""
    out: list[np.ndarray] = []
    i = 0
    while i < len(strides):
        j, repeats = i, 0
        while j < len(strides) and strides[j] == strides[i]:
            j += 1
            repeats += per_layer
        cells = size // strides[i]
        grid = (np.arange(cells, dtype=np.float32) + 0.5) / cells
        yy, xx = np.meshgrid(grid, grid, indexing="ij")
        centres = np.stack([xx.ravel(), yy.ravel()], axis=1)
        out.append(np.repeat(centres, repeats, axis=0))
        i = j
    return np.concatenate(out)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of box a (4,) with boxes b (k, 4)."""
    ix = np.clip(np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]), 0, None)
    iy = np.clip(np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]), 0, None)
    inter = ix * iy
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return np.where(area > 0, inter / np.maximum(area, 1e-12), 0.0)


def weighted_nms(
    boxes: np.ndarray, points: np.ndarray, scores: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """MediaPipe's weighted NMS: overlapping candidates are averaged by score.

    Returns (box, keypoints, score) tuples, best first.
    """
    remaining = list(np.argsort(-scores))
    merged: list[tuple[np.ndarray, np.ndarray, float]] = []
    while remaining:
        top = remaining[0]
        overlap = _iou(boxes[top], boxes[remaining]) > NMS_IOU
        group = [remaining[k] for k in np.flatnonzero(overlap)]
        w = scores[group][:, None]
        box = (boxes[group] * w).sum(0) / w.sum()
        pts = (points[group] * w[:, :, None]).sum(0) / w.sum()
        merged.append((box, pts, float(scores[top])))
        remaining = [r for k, r in enumerate(remaining) if not overlap[k]]
    return merged


def detect_in(pyr: Pyramid, crop: Crop, registry: ModelRegistry, kind: str) -> list[FaceDetection]:
    """Faces inside one square crop, mapped to image coordinates."""
    name, n, strides, per_layer = _MODELS[kind]
    x = pyr.extract(crop, n) * 2.0 - 1.0
    session = registry.session(name)
    feed = {session.get_inputs()[0].name: np.ascontiguousarray(x.transpose(2, 0, 1)[None])}
    raw, logits = session.run(None, feed)
    scores = 1.0 / (1.0 + np.exp(-np.clip(logits[0, :, 0], -80.0, 80.0)))
    keep = np.flatnonzero(scores > MIN_SCORE)
    if keep.size == 0:
        return []
    # per anchor: centre offset, box size, then 6 keypoint offsets, all in input pixels
    reg = raw[0, keep].reshape(-1, 8, 2) / n
    anchor = anchors(n, strides, per_layer)[keep]
    centre, half = reg[:, 0] + anchor, reg[:, 1] / 2
    boxes = np.concatenate([centre - half, centre + half], axis=1)
    points = reg[:, 2:] + anchor[:, None, :]
    found = []
    for box, pts, score in weighted_nms(boxes, points, scores[keep]):
        x0, y0, x1, y1 = box
        corners = crop.to_image(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]) * n, n)
        lo, hi = corners.min(axis=0), corners.max(axis=0)  # axis-aligned, even if the crop is not
        box_xy = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        found.append(FaceDetection(box_xy, crop.to_image(pts * n, n), score, kind))
    return found


def merge(detections: list[FaceDetection]) -> list[FaceDetection]:
    """One detection per face across detectors and tiles (best score kept)."""
    kept: list[FaceDetection] = []
    for det in sorted(detections, key=lambda d: -d.score):
        box = np.array(det.box)
        if not kept or not np.any(_iou(box, np.array([k.box for k in kept])) > NMS_IOU):
            kept.append(det)
    return kept


def _starts(length: int, side: float) -> np.ndarray:
    """Tile centres along one axis, half-overlapping, covering [0, length)."""
    count = max(1, int(np.ceil((length - side) / (side / 2))) + 1)
    return np.linspace(side / 2, max(side / 2, length - side / 2), count) - 0.5


def tiles(pyr: Pyramid, per_side: int) -> list[Crop]:
    """Half-overlapping squares of 1/``per_side`` of the longer side covering the frame."""
    side = max(pyr.width, pyr.height) / per_side
    return [
        Crop((float(cx), float(cy)), side)
        for cy in _starts(pyr.height, side)
        for cx in _starts(pyr.width, side)
    ]


def detect_faces(pyr: Pyramid, registry: ModelRegistry) -> list[FaceDetection]:
    """Every face in the image, best first; tiles only when the whole frame finds none."""
    whole = pyr.whole_frame()
    found = detect_in(pyr, whole, registry, "short") + detect_in(pyr, whole, registry, "full")
    if not found:
        for per_side in (2, 3):
            for tile in tiles(pyr, per_side):
                found += detect_in(pyr, tile, registry, "full")
            if found:
                break
    return merge(found)
