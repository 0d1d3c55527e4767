"""Flags (what the policy forbids, with evidence) and the verdict they add up to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np

CATEGORIES: tuple[str, ...] = (
    "structure",
    "colour",
    "face_shape",
    "body_shape",
    "skin_tone",
    "skin_texture",
    "garment_colour",
)

Severity = Literal["warn", "fail"]
Verdict = Literal["pass", "review", "fail"]


@dataclass(frozen=True)
class Flag:
    """One breach of the policy: which category and region, by how much, against what limit."""

    category: str
    region: str
    severity: Severity
    value: float
    threshold: float
    message: str
    #: Where it is, (x0, y0, x1, y1) in real-image pixels, when the measurement knows: what the
    #: app zooms to and the sheet crops. Whole-image flags (structure, colour) have none.
    box: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown flag category {self.category!r}")
        if self.severity not in ("warn", "fail"):
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["value"] = round(float(self.value), 4)
        d["threshold"] = round(float(self.threshold), 4)
        if self.box is None:
            del d["box"]
        else:
            d["box"] = [round(float(v), 1) for v in self.box]
        return d

    def located(self, box: tuple[float, float, float, float] | None) -> Flag:
        """The same flag with its region's box."""
        return replace(self, box=box)


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


def check_below(
    category: str, region: str, value: float, warn: float, fail: float, message: str
) -> Flag | None:
    """Flag a value that should stay *above* its thresholds (e.g. SSIM, texture ratio)."""
    if value < fail:
        return Flag(category, region, "fail", value, fail, message)
    if value < warn:
        return Flag(category, region, "warn", value, warn, message)
    return None


def check_above(
    category: str, region: str, value: float, warn: float, fail: float, message: str
) -> Flag | None:
    """Flag a value that should stay *below* its thresholds (e.g. ΔE, NME, |change %|)."""
    if value > fail:
        return Flag(category, region, "fail", value, fail, message)
    if value > warn:
        return Flag(category, region, "warn", value, warn, message)
    return None


def verdict(flags: list[Flag], missing_required: list[str]) -> Verdict:
    """``fail`` if any flag fails; ``review`` if any warns or a required measurement is missing."""
    if any(f.severity == "fail" for f in flags):
        return "fail"
    if flags or missing_required:
        return "review"
    return "pass"
