"""A second jaw-slimming edit, shaped unlike the probe's (issue 23, branch jaw23).

The probe (``probe_edits``) and the tests' jaw edit both narrow a horizontal band below the
cheekbones towards the nose line. A generator's slimming need not look like that. This one
pulls only the lower face oval (jaw line and chin, mesh points below the cheekbones) towards the
face's midline by ``pct`` % of each point's distance from it, with a smooth Gaussian displacement
field (radius 0.35 eye distances): a "V-line" edit. Used by ``jaw_study.py`` to check whether an
estimator learned with the probe generalises to another shape of the same edit.
"""

from __future__ import annotations

import cv2
import numpy as np

from twinproof.core.landmarks import topology as topo


def vline(pixels: np.ndarray, points: np.ndarray, pct: float = -10.0) -> np.ndarray:
    p = points[:, :2].astype(np.float64)
    iod = float(np.linalg.norm(p[33] - p[263]))
    mid_x = float(p[1, 0])
    y_cut = float(p[132, 1]) - 0.15 * iod
    idx = [i for i in topo.FACE_OVAL if p[i, 1] > y_cut]
    anchors = p[idx]
    moves = np.zeros_like(anchors)
    moves[:, 0] = (anchors[:, 0] - mid_x) * pct / 100  # towards the midline when pct < 0
    h, w = pixels.shape[:2]
    x0, x1 = int(max(0, anchors[:, 0].min() - 2 * iod)), int(min(w, anchors[:, 0].max() + 2 * iod))
    y0, y1 = int(max(0, anchors[:, 1].min() - 2 * iod)), int(min(h, anchors[:, 1].max() + 2 * iod))
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    sigma = 0.35 * iod
    num = np.zeros_like(xx)
    den = np.full_like(xx, 1e-9)
    for (ax, ay), (mx, _my) in zip(anchors, moves, strict=True):
        g = np.exp(-((xx - ax) ** 2 + (yy - ay) ** 2) / (2 * sigma ** 2))
        num += g * mx
        den += g
    # displacement: the anchors' moves blended, fading to zero away from the jaw line
    weight = np.clip(den, 0, 1)
    disp = num / den * weight
    out = pixels.copy()
    crop = np.ascontiguousarray(pixels[y0:y1, x0:x1])
    map_x = (xx - x0 - disp).astype(np.float32)
    map_y = (yy - y0).astype(np.float32)
    out[y0:y1, x0:x1] = cv2.remap(crop, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
    return out
