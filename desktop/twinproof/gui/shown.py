"""What the compare view shows, as plain data: the modes, a pair's display images and
everything about the pair on screen that is not pixels (``CompareModel`` holds one).

Kept apart from the model so the model module stays about geometry and state changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QTransform

from twinproof.gui.faces import FaceFrame
from twinproof.gui.imaging import Pyramid
from twinproof.gui.landmarks import LandmarkSet
from twinproof.review import AnnotationRecord


class Mode(StrEnum):
    TWO_UP = "2-up"
    SWIPE = "swipe"
    ONION = "onion skin"
    BLINK = "blink"
    DIFFERENCE = "difference"


class Heat(StrEnum):
    NONE = "none"
    SSIM = "ssim"
    DELTA_E = "delta_e"


@dataclass
class PairImages:
    """The display pyramids of one pair, and the names shown on the panes. ``twin`` is None when
    the twin's file cannot be read (``twin_problem`` says why): the real photograph is still
    shown."""

    pair_id: int
    name: str
    real: Pyramid
    twin: Pyramid | None
    real_file: str
    twin_file: str
    #: A quick reduced-size decode shown until the full pyramid arrives.
    preview: bool = False
    twin_problem: str = ""

    @property
    def why_no_twin(self) -> str:
        """What is said where the twin would be ('' when it is there)."""
        return "" if self.twin is not None else f"The twin cannot be shown: {self.twin_problem}"

    @property
    def unaligned(self) -> QTransform:
        """Twin→frame for "as delivered": the whole twin scaled into the real image's frame
        and centred in it, no alignment (a twin of another shape, a new shot's taller crop,
        shows whole at fit instead of running off the bottom)."""
        if self.twin is None:
            return QTransform()
        f = min(self.real.width / max(1, self.twin.width), self.real.height / max(1, self.twin.height))
        dx, dy = (self.real.width - f * self.twin.width) / 2, (self.real.height - f * self.twin.height) / 2
        return QTransform.fromScale(f, f) * QTransform.fromTranslate(dx, dy)


@dataclass(frozen=True)
class FlagMark:
    """A clicked flag drawn on the panes: its box (real-image pixels) and a short label."""

    box: QRectF
    label: str


@dataclass(frozen=True)
class OverlayState:
    """What a flag click changed, kept so moving to another pair puts it back."""

    heat: Heat
    landmarks: bool
    faces: bool
    overlays_visible: bool
    scale: float
    center: QPointF
    fitted: bool


@dataclass
class Shown:
    """Everything about the pair on screen that is not pixels."""

    images: PairImages | None = None
    result: dict[str, Any] | None = None
    heat: dict[str, QImage] = field(default_factory=dict)
    annotations: list[AnnotationRecord] = field(default_factory=list)
    registration: QTransform | None = None  # twin→real, from the analysis or the nudge
    message: str = ""
    #: Parsed once per pair, not on every frame (a face mesh is 468 points per image).
    landmarks: list[LandmarkSet] = field(default_factory=list)
    #: The faces view's transforms for this pair, or why there are none.
    faces: FaceFrame | str = "the pair is not analysed yet"
    #: The analysis found a new shot: no registration, frames compared side by side only.
    new_shot: bool = False
