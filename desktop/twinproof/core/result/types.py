"""The vocabulary of an analysis result: categories, severities, verdicts, modes, flags.

Enums rather than strings so a typo is an error where it is made, and every mapping over them
(decision reasons, colours, words) can be checked for completeness by a test.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

Box = tuple[float, float, float, float]


class Category(StrEnum):
    """What kind of fault a flag reports; each has a decision reason of its own."""

    ALIGNMENT = "alignment"  # the registration or framing is doubtful: check before trusting the pixels
    STRUCTURE = "structure"
    COLOUR = "colour"  # the scene's colour or white balance
    FACE_SHAPE = "face_shape"
    BODY_SHAPE = "body_shape"
    SKIN_TONE = "skin_tone"
    SKIN_TEXTURE = "skin_texture"
    GARMENT_COLOUR = "garment_colour"
    IDENTITY = "identity"  # the twin may no longer be the person


class Severity(StrEnum):
    WARN = "warn"
    FAIL = "fail"


class Verdict(StrEnum):
    PASS = "pass"
    REVIEW = "review"
    FAIL = "fail"


class Mode(StrEnum):
    """How the two images relate: one frame (the twin registered onto the real photograph) or
    a new shot of the same person (compared person to person, never pixel to pixel)."""

    SAME_FRAME = "same_frame"
    NEW_SHOT = "new_shot"


class Against(StrEnum):
    """What a judged value was measured against: its yardstick (schema 4 records it; older
    results are given theirs by ``upgrade.py``, from the words they wrote)."""

    #: A new shot judged against the spread of the talent's own photographs.
    HER_PORTRAITS = "her_portraits"
    #: A same frame: the twin registered on its real photograph, pixel to pixel.
    REAL_PHOTO = "real_photo"
    #: A pair marked a control frame (the generator's twin of this very frame).
    CONTROL = "control"
    #: A new shot judged against the real photograph, with the ± other people's photographs show.
    OTHER_PEOPLE = "other_people"
    #: A new shot judged against the real photograph without an uncertainty (garment, identity).
    ANOTHER_SHOT = "another_shot"


class Direction(StrEnum):
    """Which way a measurement breaks its limits."""

    MIN = "min"  # must stay at or above the limits (SSIM, texture ratio)
    MAX = "max"  # must stay at or below (ΔE, NME)
    ABS = "abs"  # its magnitude must stay at or below (signed changes: ±%)


@dataclass(frozen=True)
class Unmeasured:
    """A measurement that could not be made, and why (JSON: ``{"value": null, "reason": …}``).
    ``not_applicable``: it does not apply to this pair at all (a pixel comparison of a new
    shot), rather than failing on it; readers grey it out instead of asking for a look."""

    reason: str
    not_applicable: bool = False


@dataclass(frozen=True)
class Flag:
    """One breach of the policy. ``metric`` is the dotted path, under ``metrics``, of the
    measurement it judges, and ``value`` that measurement as judged (its magnitude for a
    signed change), so every reader joins a flag to exactly one measurement."""

    category: Category
    region: str
    severity: Severity
    metric: str
    value: float
    threshold: float
    message: str
    #: Where it is, (x0, y0, x1, y1) in real-image pixels, when the measurement knows.
    box: Box | None = None

    def located(self, box: Box | None) -> Flag:
        return replace(self, box=box)


SEVERITY_RANK = {Severity.WARN: 1, Severity.FAIL: 2}


def worst(flags: list[Flag]) -> Severity | None:
    """The most severe of some flags (None when there are none)."""
    return max((f.severity for f in flags), key=SEVERITY_RANK.__getitem__, default=None)
