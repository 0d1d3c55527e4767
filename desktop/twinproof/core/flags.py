"""Where flags point, and the verdict they add up to (the flag itself is ``result.types.Flag``,
made by ``result.judge.judge`` so a flag always names the measurement it judges)."""

from __future__ import annotations

from typing import Any

import numpy as np

from twinproof.core.result.types import Flag, Severity, Verdict


def bounding_box(points: Any, pad: float = 0.0) -> tuple[float, float, float, float] | None:
    """The padded box around (n, >=2) points, or None when there are none."""
    pts = np.asarray(points, dtype=np.float64)
    if pts.size == 0:
        return None
    pts = pts.reshape(-1, pts.shape[-1])[:, :2]
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return None
    x0, y0 = pts[:, :2].min(axis=0) - pad
    x1, y1 = pts[:, :2].max(axis=0) + pad
    return float(x0), float(y0), float(x1), float(y1)


def verdict(flags: list[Flag], missing_required: list[str]) -> Verdict:
    """``fail`` if any flag fails; ``review`` if any warns or a required measurement is missing."""
    if any(f.severity is Severity.FAIL for f in flags):
        return Verdict.FAIL
    if flags or missing_required:
        return Verdict.REVIEW
    return Verdict.PASS
