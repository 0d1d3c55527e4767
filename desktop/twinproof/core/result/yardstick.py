"""What each measurement of a result was judged against, in words (issue 23: "the sheet says
which yardstick each measurement used").

The result already says it, in three places: the mode (a same frame is measured pixel to pixel
against its real photograph), the mode's reason (a pair marked a control frame is measured as a
same frame, ``core.analysis.CONTROL_REASON``), and each new-shot measurement's uncertainty, whose
first reason names her own range when reference portraits were the yardstick ("the talent's
own range across 4 photographs", "the talent's own range across 4 portraits"). This module reads them,
so the app, the sheet and the data exports name the same yardstick for the same row; no schema
change is needed, and results stored before issue 23 read as what they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from twinproof.core.enrolment import minimum
from twinproof.core.result.model import AnalysisResult
from twinproof.core.result.types import Mode

#: How the mode reason of a control frame begins (``core.analysis.CONTROL_REASON``; a test
#: holds the two together).
CONTROL_MARK = "marked a control frame"
_OWN_RANGE = re.compile(r"own range across (\d+) (?:portraits|photographs)")


class Kind(StrEnum):
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


@dataclass(frozen=True)
class Yardstick:
    kind: Kind
    #: "her 4 portraits": short enough for a table cell.
    short: str
    #: The sentence a tooltip or a footnote gives.
    sentence: str
    #: How many of her photographs the range spans (HER_PORTRAITS only).
    portraits: int | None = None

    @property
    def words(self) -> str:
        """"against her 4 portraits"."""
        return f"against {self.short}"


def is_control(result: AnalysisResult) -> bool:
    return result.analysis.mode_reason.startswith(CONTROL_MARK)


def own_range(result: AnalysisResult, path: str) -> int | None:
    """How many of her photographs a measurement was judged against (None: not her range)."""
    unc = result.uncertainty_of(path)
    if unc is None:
        return None
    found = _OWN_RANGE.search(" ".join(unc.why))
    return int(found.group(1)) if found else None


def _few_portraits(result: AnalysisResult) -> bool:
    """Reference portraits were given but fewer than two were usable (the face's yardstick says)."""
    said = getattr(result.metrics.face, "yardstick", None) or ""
    return said.startswith("the real photograph alone")


def yardstick(result: AnalysisResult, path: str) -> Yardstick:
    """The yardstick the measurement at ``path`` was judged against."""
    if is_control(result):
        return Yardstick(Kind.CONTROL, "the real photo (control frame)",
                         "a control frame: the generator's twin of this very real photograph, measured against it as "
                         "a same frame; what it changed is the generator's own bias")
    if result.mode is Mode.SAME_FRAME:
        return Yardstick(Kind.REAL_PHOTO, "the real photo (same frame)",
                         "the real photograph of the same frame, the twin registered on it pixel to pixel")
    n = own_range(result, path)
    if n is not None:
        return Yardstick(Kind.HER_PORTRAITS, f"the talent's {n} portraits",
                         f"the spread of the talent's own {n} photographs (the real one and the reference "
                         "portraits): flagged "
                         "only outside the talent's own range", n)
    if result.uncertainty_of(path) is None:
        return Yardstick(Kind.ANOTHER_SHOT, "the real photo (another shot)",
                         "the real photograph, another shot of the talent: judged by the policy's new-shot limits")
    face = path.startswith("face.")
    few = f" (fewer than {minimum()} portraits)"
    missing = few if face and _few_portraits(result) else " (no portraits)" if face else ""
    return Yardstick(Kind.OTHER_PEOPLE, f"the spread of other people{missing}",
                     "the real photograph, with the ± other people's two photographs showed under these conditions"
                     + ("; two or more reference portraits of the talent would make the talent's own range the "
                        "yardstick"
                        if face else ""))
