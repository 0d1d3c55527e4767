"""Which files may form a pair beside a shoot's other active pairs.

A real photograph may be the real of several pairs: a studio reviews every variant the
generator made of one real frame, or a control frame (the generator's twin of that very frame)
beside new-shot twins of the same photograph. A twin belongs to one pair only - its decision,
rating and sidecar are its own - and no file is the real of one pair and the twin of another
(the disclosure would call the real photograph AI-generated, or the twin a real photograph).
The hand pairing and the import ask the same question here and word the answer alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from twinproof.review import models as m


def pair_conflict(active: Iterable[m.Pair], real: str, twin: str) -> str | None:
    """Why ``real`` and ``twin`` cannot be paired beside the ``active`` pairs (None: they can)."""
    if real == twin:
        return (f"{real} cannot be paired with itself: choose the real photograph and its twin")
    for other in active:
        if other.twin_path == twin:
            return (f"{Path(twin).name} is already the twin of pair {other.name!r}: a twin is in "
                    "one pair only (break that pair first)")
        if other.twin_path == real:
            return (f"{Path(real).name} is the twin in pair {other.name!r}: it cannot be the real "
                    "photograph of another pair (break that pair first)")
        if other.real_path == twin:
            return (f"{Path(twin).name} is the real photograph of pair {other.name!r}: it cannot "
                    "be a twin (break that pair first)")
    return None
