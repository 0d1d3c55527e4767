"""How well distances separate same-person from different-person pairs (for calibration).

Plain statistics over two samples of distances: ROC AUC, errors at a threshold, the equal
error rate. Used by the calibration script and tests; nothing here reads a policy.
"""

from __future__ import annotations

import numpy as np


def roc_auc(same: np.ndarray, different: np.ndarray) -> float:
    """Probability that a different-people distance exceeds a same-person one (ties half)."""
    s, d = np.asarray(same, float)[:, None], np.asarray(different, float)[None, :]
    if s.size == 0 or d.size == 0:
        raise ValueError("both samples need at least one distance")
    return float(((d > s).sum() + 0.5 * (d == s).sum()) / (s.size * d.size))


def errors_at(same: np.ndarray, different: np.ndarray, threshold: float) -> tuple[int, int]:
    """(same-person pairs called different, different pairs called same) when ``distance <
    threshold`` means the same person."""
    return int((np.asarray(same) >= threshold).sum()), int((np.asarray(different) < threshold).sum())


def equal_error_rate(same: np.ndarray, different: np.ndarray) -> tuple[float, float]:
    """(EER, threshold): where the false-reject rate of same-person pairs meets the
    false-accept rate of different pairs, scanning every observed distance as a threshold.
    When the samples do not overlap the EER is 0 and the threshold the gap's midpoint."""
    s, d = np.sort(np.asarray(same, float)), np.sort(np.asarray(different, float))
    if s[-1] < d[0]:
        return 0.0, float((s[-1] + d[0]) / 2)
    best = (2.0, 0.0, 0.0)
    for t in np.unique(np.concatenate([s, d])):
        frr = float((s >= t).mean())
        far = float((d < t).mean())
        if abs(frr - far) < best[0]:
            best = (abs(frr - far), (frr + far) / 2, float(t))
    return best[1], best[2]


def summary(distances: np.ndarray) -> dict[str, float]:
    """min, p5, median, p95, max of a sample of distances."""
    x = np.asarray(distances, float)
    return {"min": float(x.min()), "p5": float(np.percentile(x, 5)), "median": float(np.median(x)),
            "p95": float(np.percentile(x, 95)), "max": float(x.max())}
