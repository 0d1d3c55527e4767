"""A twin against the reference portraits of the talent it is linked to.

The references are descriptors the review record keeps (never pixels); the caller passes
them in, so the core never reads the record. Besides the nearest and median distance, the
answer places the twin against the talent's own variation across the portraits: a twin as
near as the portraits are to each other is that person; one farther than the "different" line
from every portrait is not — which also catches a pair linked to the wrong person; between the
policy's two lines the portraits cannot tell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from twinproof.core.identity.read import distance
from twinproof.core.identity.types import FaceIdentity
from twinproof.core.result.measurements import TalentLikeness


@dataclass(frozen=True)
class TalentReferences:
    """A talent's reference descriptors, all made by ``model``."""

    name: str
    descriptors: tuple[np.ndarray, ...]
    model: str


SAME, CANNOT_TELL, DIFFERENT = "same person", "cannot tell", "not the same person"


def call(distance: float, same: float, different: float) -> str:
    """What two faces at ``distance`` are: SAME at or below ``same``, DIFFERENT above
    ``different``, CANNOT_TELL between (the policy's two identity lines)."""
    if distance <= same:
        return SAME
    return DIFFERENT if distance > different else CANNOT_TELL


def likeness(twin: FaceIdentity, refs: TalentReferences, threshold: float,
             different: float | None = None) -> TalentLikeness | str:
    """The twin's distances to the references, or why they cannot be compared. ``threshold``
    is the same-person line, ``different`` the not-the-same-person one (the same when None)."""
    if not refs.descriptors:
        return f"{refs.name} has no reference portraits on record"
    if refs.model != twin.model:
        return (f"{refs.name}'s references were made by another face model ({refs.model}); "
                "add them again to compare")
    different = threshold if different is None else different
    d = sorted(distance(twin.descriptor, r) for r in refs.descriptors)
    nearest, median = d[0], float(np.median(d))
    pairs = [distance(a, b) for a, b in itertools.combinations(refs.descriptors, 2)]
    spread = (round(min(pairs), 3), round(max(pairs), 3)) if pairs else None
    answer = call(nearest, threshold, different)
    if answer == DIFFERENT:
        text = (f"not {refs.name}: nearest of {len(d)} reference portrait(s) is {nearest:.2f}, "
                f"beyond the different-person line {different:g}")
    elif answer == CANNOT_TELL:
        text = (f"cannot tell whether this is {refs.name}: nearest of {len(d)} reference portrait(s) is "
                f"{nearest:.2f}, between the same person (up to {threshold:g}) and another (above {different:g})")
    elif spread is not None and nearest <= spread[1]:
        text = (f"{refs.name}: nearest reference {nearest:.2f}, within the spread of the talent's own "
                f"portraits ({spread[0]:.2f}–{spread[1]:.2f})")
    else:
        text = f"{refs.name}: nearest reference {nearest:.2f} (same person up to {threshold:g})"
    return TalentLikeness(refs.name, len(d), round(nearest, 4), round(median, 4), spread, answer == SAME, text)
