"""What each measurement of a result was judged against, in words (issue 23: "the sheet says
which yardstick each measurement used").

Schema 4 records it where it is decided: ``analysis.against`` (a same frame's real photo, a
control frame, or another shot) and each new-shot uncertainty's ``against`` and ``portraits``
(the talent's own range across N photographs, or other people's spread), with the face's usable
``references``. Older results are given the same fields by ``upgrade.py`` from the words they
wrote, so the app, the sheet and the data exports name the same yardstick for the same row
whichever TwinProof stored it.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinproof.core.enrolment import minimum
from twinproof.core.result.model import AnalysisResult
from twinproof.core.result.types import Against
from twinproof.core.result.upgrade import CONTROL_MARK

#: The yardsticks' kinds (the result's own vocabulary, ``types.Against``).
Kind = Against
__all__ = ["CONTROL_MARK", "Kind", "Yardstick", "is_control", "own_range", "yardstick"]


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
    return result.analysis.against is Against.CONTROL


def own_range(result: AnalysisResult, path: str) -> int | None:
    """How many of her photographs a measurement was judged against (None: not her range)."""
    unc = result.uncertainty_of(path)
    if unc is None or unc.against is not Against.HER_PORTRAITS:
        return None
    return unc.portraits


def _few_portraits(result: AnalysisResult) -> bool:
    """Reference portraits were given but fewer than the talent's range needs were usable."""
    usable = getattr(result.metrics.face, "references", None)
    return isinstance(usable, int) and usable < minimum()


def yardstick(result: AnalysisResult, path: str) -> Yardstick:
    """The yardstick the measurement at ``path`` was judged against."""
    if is_control(result):
        return Yardstick(Kind.CONTROL, "the real photo (control frame)",
                         "a control frame: the generator's twin of this very real photograph, measured against it as "
                         "a same frame; what it changed is the generator's own bias")
    if result.analysis.against is Against.REAL_PHOTO:
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
