"""Identity thresholds chosen for stated error rates, and their honest report (leave one person out).

A face recognition distance has no natural "same person" line: its two distributions overlap
(siblings, a parent and child, an old greyscale print against a colour photo decades later).
So TwinProof draws two lines and says "cannot tell" between them:

- ``threshold``: at or below it, *the same person*. Chosen so that the stated false-match rate
  (a different person called the same) holds for the hardest impostors measured: a normal
  fitted to the different-person distances gives the distance below which that share of them
  would fall, computed for all different people and for relatives alone, and the lower wins.
- ``different``: above it, *not the same person*. Chosen so that the stated false-non-match
  rate (one person called two) holds: the same fit to the same-person distances.

A fitted tail rather than the smallest distance seen, because a stated rate of 1 in 1,000 needs
thousands of pairs per group to read empirically, and an empirical minimum moves with every
photograph added. Leave one person out: each person's pairs are judged by lines chosen without
them, the only honest estimate of how the lines treat someone they were not chosen on.
Plain statistics; nothing here reads a photograph or a policy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

SAME, RELATIVES, OTHERS = "same person", "relatives", "other people"


@dataclass(frozen=True)
class LabelledPair:
    """Two photographs' descriptor distance and who they show. ``kind`` is SAME, RELATIVES
    (different people of one family) or OTHERS."""

    a: str
    b: str
    person_a: str
    person_b: str
    distance: float
    kind: str

    def involves(self, person: str) -> bool:
        return person in (self.person_a, self.person_b)


@dataclass(frozen=True)
class Lines:
    """The two identity lines and the rates they were chosen for."""

    same_at_most: float
    different_above: float
    false_match_rate: float
    false_non_match_rate: float


def _quantile(x: np.ndarray, p: float) -> float:
    """The p-quantile of a normal fitted to x (mean, sample standard deviation)."""
    if x.size < 3:
        raise ValueError(f"at least 3 distances are needed to fit a tail, got {x.size}")
    return NormalDist(float(x.mean()), float(x.std(ddof=1))).inv_cdf(p)


def choose_lines(pairs: Iterable[LabelledPair], false_match_rate: float, false_non_match_rate: float) -> Lines:
    """The lines for the stated rates, from these pairs (see the module's docstring)."""
    pairs = list(pairs)
    same = np.array([p.distance for p in pairs if p.kind == SAME])
    different = np.array([p.distance for p in pairs if p.kind != SAME])
    relatives = np.array([p.distance for p in pairs if p.kind == RELATIVES])
    candidates = [_quantile(different, false_match_rate)]
    if relatives.size >= 3:
        candidates.append(_quantile(relatives, false_match_rate))
    same_at_most = min(candidates)
    different_above = max(_quantile(same, 1 - false_non_match_rate), same_at_most)
    return Lines(round(same_at_most, 3), round(different_above, 3), false_match_rate, false_non_match_rate)


@dataclass(frozen=True)
class Rates:
    """What the lines call a group of pairs: counts of each answer."""

    same_pairs: int
    same_called_same: int
    same_cannot_tell: int
    same_called_different: int
    different_pairs: int
    different_called_same: int
    different_cannot_tell: int
    different_called_different: int

    @property
    def fmr(self) -> float:
        """False-match rate: different people called the same person."""
        return self.different_called_same / self.different_pairs if self.different_pairs else math.nan

    @property
    def fnmr(self) -> float:
        """False-non-match rate: the same person not called the same (cannot tell or different)."""
        return (self.same_pairs - self.same_called_same) / self.same_pairs if self.same_pairs else math.nan

    @property
    def accused(self) -> float:
        """Share of same-person pairs called *not the same person* (a false accusation)."""
        return self.same_called_different / self.same_pairs if self.same_pairs else math.nan

    def __add__(self, other: Rates) -> Rates:
        return Rates(*(a + b for a, b in zip(self.counts(), other.counts(), strict=True)))

    def counts(self) -> tuple[int, ...]:
        return (self.same_pairs, self.same_called_same, self.same_cannot_tell, self.same_called_different,
                self.different_pairs, self.different_called_same, self.different_cannot_tell,
                self.different_called_different)


NO_PAIRS = Rates(0, 0, 0, 0, 0, 0, 0, 0)


def rates(pairs: Iterable[LabelledPair], lines: Lines) -> Rates:
    """Count what ``lines`` call each pair."""
    counts = [0] * 8
    for p in pairs:
        base = 0 if p.kind == SAME else 4
        counts[base] += 1
        if p.distance <= lines.same_at_most:
            counts[base + 1] += 1
        elif p.distance <= lines.different_above:
            counts[base + 2] += 1
        else:
            counts[base + 3] += 1
    return Rates(*counts)


@dataclass(frozen=True)
class HeldOut:
    """One person's pairs judged by lines chosen without them."""

    person: str
    lines: Lines
    rates: Rates
    relatives: Rates
    worst_same: float | None
    nearest_other: float | None


def leave_one_person_out(pairs: Sequence[LabelledPair], people: Iterable[str], false_match_rate: float,
                         false_non_match_rate: float) -> list[HeldOut]:
    """For each person: lines chosen on every pair that does not involve them, then their pairs
    (the same-person ones and every one against somebody else) judged by those lines."""
    out = []
    for person in people:
        theirs = [p for p in pairs if p.involves(person)]
        lines = choose_lines((p for p in pairs if not p.involves(person)), false_match_rate, false_non_match_rate)
        same = [p.distance for p in theirs if p.kind == SAME]
        others = [p.distance for p in theirs if p.kind != SAME]
        out.append(HeldOut(person, lines, rates(theirs, lines),
                           rates((p for p in theirs if p.kind == RELATIVES), lines),
                           max(same) if same else None, min(others) if others else None))
    return out


def pooled(held_out: Iterable[HeldOut]) -> tuple[Rates, Rates]:
    """All held-out answers together (each pair counted once per person in it, so a
    different-person pair between two held-out people counts twice), and relatives alone."""
    total, relatives = NO_PAIRS, NO_PAIRS
    for h in held_out:
        total, relatives = total + h.rates, relatives + h.relatives
    return total, relatives
