"""What the measurement steps work on: the aligned pair, and the values they share.

The steps used to pass about ten values to each other through a string-keyed dict, in an
order kept by a comment. ``Shared`` names and types each of them; the functions that make one
(``landmark_step.pair_landmarks``, ``landmark_step.person_mask``, ``colour_lab``, …) compute it
on first use and keep it here, so a step gets what it needs whatever ran before it.

These types live here, apart from the orchestrator (``analysis.py``), so the steps import
this module and the orchestrator imports the steps, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from twinproof.core.imageio import LoadedImage
from twinproof.core.registration import Registration
from twinproof.core.result.types import Flag, Mode, Unmeasured

if TYPE_CHECKING:
    from twinproof.core.fidelity.crops import PairCrop
    from twinproof.core.fidelity.landmark_step import PairLandmarks
    from twinproof.core.identity.likeness import TalentReferences
    from twinproof.core.policy import Policy
    from twinproof.core.reading.read import ImageReading
    from twinproof.core.result.measurements import Uncertainty


@dataclass
class Shared:
    """Values computed once per pair and shared by the steps (None until first asked for)."""

    landmarks: PairLandmarks | None = None
    #: The real photograph's person mask at the working size (body model), 0-1.
    person_mask: np.ndarray | None = None
    lab_real: np.ndarray | None = None
    lab_twin: np.ndarray | None = None
    #: The face region of both images, eyes at a fixed distance (face, skin, texture).
    face_crop: PairCrop | None = None
    skin_mask: np.ndarray | None = None
    skin_lab_real: np.ndarray | None = None
    #: Per-channel linear gains twin → real, and how they were found (white balance).
    wb_gains: tuple[np.ndarray, str] | None = None
    garment_mask: np.ndarray | None = None
    #: Each image read on its own (a new shot compares these), real then twin.
    readings: tuple[ImageReading, ImageReading] | None = None


@dataclass
class AlignedPair:
    """The pair at the working size, the twin resampled onto the real frame."""

    real: LoadedImage
    twin: LoadedImage
    registration: Registration
    factor: float
    real_work: np.ndarray
    twin_work: np.ndarray
    overlap: np.ndarray
    shared: Shared = field(default_factory=Shared)
    #: The reference portraits of the talent the pair is linked to, when the caller has them.
    talent: TalentReferences | None = None
    #: Same frame (measured through the registration) or new shot (person to person).
    mode: Mode = Mode.SAME_FRAME
    #: Other photographs of the person (reference portraits): with two or more, a new shot's face
    #: is judged against her own range, not against one photograph.
    references: list[LoadedImage] | None = None

    @property
    def working_size(self) -> tuple[int, int]:
        return int(self.real_work.shape[1]), int(self.real_work.shape[0])

    @property
    def overlap_fraction(self) -> float:
        return float(self.overlap.mean())


@dataclass
class StepResult:
    """What one step found: measurements by name (``Metrics`` field names), flags, maps."""

    metrics: dict[str, Any] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    maps: dict[str, np.ndarray] = field(default_factory=dict)
    required_missing: list[str] = field(default_factory=list)
    #: A new shot's uncertainty of each judged value, by metric path.
    uncertainty: dict[str, Uncertainty] = field(default_factory=dict)

    def unmeasured(self, name: str, reason: str) -> StepResult:
        self.metrics[name] = Unmeasured(reason)
        return self

    def add(self, *flags: Flag | None) -> None:
        self.flags.extend(f for f in flags if f is not None)


Step = Callable[[AlignedPair, "Policy"], StepResult]
