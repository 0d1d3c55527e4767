"""Flags (what the policy forbids, with evidence) and the verdict they add up to."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

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

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown flag category {self.category!r}")
        if self.severity not in ("warn", "fail"):
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["value"] = round(float(self.value), 4)
        d["threshold"] = round(float(self.threshold), 4)
        return d


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
