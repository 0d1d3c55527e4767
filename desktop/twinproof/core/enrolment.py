"""How many reference portraits a talent needs, and what fewer cannot show (issue 23).

A new shot's face is judged against her own range only when the real photograph comes with two
or more of her reference portraits (``core.compare.new_shot``); with fewer, a slimmed jaw, a
wider face or larger eyes is judged against one photograph, and one person's face varies
between shots as much as those edits. Enrolment (the app's talent panel, ``twinproof talent
reference``) says so, with what was measured. The numbers live in one resource,
``resources/calibration/portrait_enrolment.json``, so a re-run benchmark updates every reader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from twinproof.paths import resource_path

FILE = ("calibration", "portrait_enrolment.json")


@lru_cache(maxsize=1)
def figures() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path(*FILE).read_text(encoding="utf-8"))
    return data


def minimum() -> int:
    return int(figures()["minimum_portraits"])


def recommended() -> int:
    return int(figures()["recommended_portraits"])


def _caught(entry: dict[str, Any]) -> str:
    return f"caught in {entry['caught']} of {entry['of']} twins" if "caught" in entry else "not measured"


@dataclass(frozen=True)
class Advice:
    """What a talent's reference portraits allow: a line for a panel, and the sentences behind it."""

    portraits: int
    #: Her own range is the yardstick (enough portraits).
    own_range: bool
    headline: str
    #: What fewer portraits cannot show, or what was measured with her range.
    details: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join((self.headline, *self.details))


def advice(portraits: int) -> Advice:
    """What ``portraits`` usable reference portraits of her allow, in words."""
    low, best = minimum(), recommended()
    data = figures()
    count = f"{portraits} reference portrait{'s' if portraits != 1 else ''}"
    if portraits < low:
        edits = "; ".join(f"{e['edit']} ({_caught(e)} against one photograph)" for e in data["against_one_photograph"])
        more = low - portraits
        return Advice(portraits, False,
                      f"{count}: add {more} more for her own range to be the yardstick ({best} recommended).",
                      (f"With fewer than {low}, these edits are judged against the real photograph alone and cannot "
                       f"be told from how she varies between shots: {edits}.",))
    measured = "; ".join(f"{e['edit']}: {_caught(e)} with {e['photographs']} photographs of her"
                         for e in data["against_her_range"])
    head = (f"{count}: her own range is the yardstick" +
            (f"; {best} recommended to catch a slimmed jaw." if portraits < best else "."))
    return Advice(portraits, True, head,
                  (f"Measured on other people with their own range (the real photograph counts as one): {measured}.",))
