"""Follow the real image's landmarks into the twin with dense optical flow.

Why: the face-mesh model is a regression with a strong shape prior, so on the same face it
under-reports local changes (eyes enlarged 10% moved its eye contour by only 2-4% in our
tests). The twin is already registered onto the real frame, so a dense flow field between the
two (OpenCV's DIS optical flow) tells exactly where each real landmark went. Sizes measured on
tracked points recovered 8-11% for a 10% eye enlargement. A forward-backward check says how far
the flow can be trusted; when it cannot (the twin regenerated the texture), the caller falls
back to comparing the two models' meshes.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from twinproof.core.fidelity.crops import PairCrop


@dataclass(frozen=True)
class Tracked:
    """Real points and where they are in the twin (real-image pixels), with FB error (px)."""

    twin_points: np.ndarray
    fb_error: np.ndarray


def _gray_u8(img: np.ndarray) -> np.ndarray:
    g = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2GRAY)
    return (np.clip(g, 0, 1) * 255 + 0.5).astype(np.uint8)


def sample_flow(field: np.ndarray, pts: np.ndarray) -> np.ndarray:
    x = pts[:, 0].astype(np.float32)[None]
    y = pts[:, 1].astype(np.float32)[None]
    fx = cv2.remap(field[..., 0], x, y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)[0]
    fy = cv2.remap(field[..., 1], x, y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)[0]
    return np.stack([fx, fy], axis=1).astype(np.float64)


def track_points(crop: PairCrop, real_points: np.ndarray) -> Tracked:
    """Track ``real_points`` (real-image pixels) from the real crop into the twin crop."""
    a, b = _gray_u8(crop.real), _gray_u8(crop.twin)
    dis = cv2.DISOpticalFlow.create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    # None asks OpenCV to allocate the flow field (the stubs wrongly require an array).
    fwd = np.asarray(dis.calc(a, b, None))  # type: ignore[call-overload]
    bwd = np.asarray(dis.calc(b, a, None))  # type: ignore[call-overload]
    p = crop.to_crop(real_points)
    moved = p + sample_flow(fwd, p)
    back = moved + sample_flow(bwd, moved)
    err = np.linalg.norm(back - p, axis=1) / crop.scale
    return Tracked(crop.to_real(moved), err)
