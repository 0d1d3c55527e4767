"""How many reference portraits a talent needs, and what fewer cannot show (issue 23).

A new shot's face is judged against the talent's own range only when the real photograph comes with two
or more of her reference portraits (``core.compare.new_shot``); with fewer, a slimmed jaw, a
wider face or larger eyes is judged against one photograph, and one person's face varies
between shots as much as those edits. Enrolment (the app's talent panel, ``twinproof talent
reference``) says so, with what was measured. The numbers live in one resource,
``resources/calibration/portrait_enrolment.json``, so a re-run benchmark updates every reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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


def _by_edit(entries: list[dict[str, Any]], where: Callable[[dict[str, Any]], str]) -> str:
    """"a jaw slimmed 10 % caught in 6 of 15 twins with 2 photographs of the talent, 8 of 9 twins with 6 …"
    (an entry gives ``caught`` of ``of`` twins, or a ``percent`` when measured over many subsets)."""
    edits: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        edits.setdefault(str(e["edit"]), []).append(e)
    out = []
    for edit, found in edits.items():
        counted = [(f"{e['caught']} of {e['of']} twins" if "caught" in e else "all twins" if e["percent"] >= 100
                    else f"about {e['percent']:g} % of twins")
                   + where(e) for e in found if "caught" in e or "percent" in e]
        out.append(f"{edit} caught in {', '.join(counted)}" if counted else edit)
    return "; ".join(out)


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
    """What ``portraits`` usable reference portraits of the talent allow, in words."""
    low, best = minimum(), recommended()
    data = figures()
    count = f"{portraits} reference portrait{'s' if portraits != 1 else ''}"
    if portraits < low:
        edits = _by_edit(data["against_one_photograph"], lambda _e: " against one photograph")
        more = low - portraits
        return Advice(portraits, False,
                      f"{count}: add {more} more for the talent's own range to be the yardstick ({best} recommended).",
                      (f"With fewer than {low}, these edits are judged against the real photograph alone and cannot "
                       f"be told from how the talent varies between shots: {edits}.",))
    measured = _by_edit(data["against_her_range"], lambda e: f" with {e['photographs']} photographs of the talent")
    head = (f"{count}: the talent's own range is the yardstick" +
            (f" ({best} recommended)." if portraits < best else "."))
    extra = [f"{str(data[k])[:1].upper()}{str(data[k])[1:]}." for k in ("unedited", "why_more") if data.get(k)]
    return Advice(portraits, True, head,
                  (f"Measured on other people, each against their own range (the real photograph is one of "
                   f"the talent's photographs): {measured}.", *extra))
