"""Similarity (Procrustes) alignment of point sets: Umeyama (1991), closed form.

Used to lay the twin's face mesh over the real one so what remains is a change of *shape*,
not of where the face sits in the frame or how big it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Similarity:
    """x ↦ scale · R · x + t, in 2-D."""

    scale: float
    rotation: np.ndarray
    translation: np.ndarray

    def apply(self, pts: np.ndarray) -> np.ndarray:
        return self.scale * pts[:, :2] @ self.rotation.T + self.translation


def fit_similarity(src: np.ndarray, dst: np.ndarray) -> Similarity:
    """The least-squares similarity mapping ``src`` (n, 2) onto ``dst`` (n, 2)."""
    src = np.asarray(src, dtype=np.float64)[:, :2]
    dst = np.asarray(dst, dtype=np.float64)[:, :2]
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    s0, d0 = src - mu_s, dst - mu_d
    var_s = (s0**2).sum() / len(src)
    cov = d0.T @ s0 / len(src)
    u, sig, vt = np.linalg.svd(cov)
    fix = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        fix[1, 1] = -1
    rot = u @ fix @ vt
    scale = float((sig * np.diag(fix)).sum() / var_s) if var_s > 0 else 1.0
    t = mu_d - scale * rot @ mu_s
    return Similarity(scale, rot, t)


def align_to(src: np.ndarray, dst: np.ndarray, anchor: np.ndarray | None = None) -> np.ndarray:
    """``src`` moved onto ``dst`` by the similarity fitted on the ``anchor`` indices (all if None)."""
    idx = np.arange(len(src)) if anchor is None else anchor
    return fit_similarity(src[idx], dst[idx]).apply(src)


def polygon_area(pts: np.ndarray) -> float:
    """Area of a closed polygon (shoelace), absolute."""
    x, y = pts[:, 0], pts[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)
