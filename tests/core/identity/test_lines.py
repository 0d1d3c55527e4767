"""The identity lines' statistics against known answers (normal quantiles, hand counts)."""

from __future__ import annotations

import statistics
from statistics import NormalDist

import pytest

from twinproof.core.identity.calibration import (
    OTHERS,
    RELATIVES,
    SAME,
    LabelledPair,
    Lines,
    choose_lines,
    leave_one_person_out,
    pooled,
    rates,
)


def _pairs(kind: str, mean: float, sd: float, people: tuple[str, str]) -> list[LabelledPair]:
    """Four distances with sample mean ``mean`` and sample standard deviation ``sd`` exactly."""
    step = sd * (3 / 20) ** 0.5  # +-step, +-3 step: sample variance 20 step^2 / 3 = sd^2
    return [LabelledPair(f"{people[0]}{i}", f"{people[1]}{i}", people[0], people[1], mean + k * step, kind)
            for i, k in enumerate((-3, -1, 1, 3))]


def _tail(distances: list[float], p: float) -> float:
    return NormalDist(statistics.mean(distances), statistics.stdev(distances)).inv_cdf(p)


def test_the_lines_are_the_fitted_normals_quantiles_and_the_stricter_fit_wins() -> None:
    others = [p for i in range(10) for p in _pairs(OTHERS, 0.85, 0.03, (f"ann{i}", f"bob{i}"))]
    pairs = _pairs(SAME, 0.35, 0.08, ("ann", "ann")) + others + _pairs(RELATIVES, 0.70, 0.05, ("bob", "cy"))
    lines = choose_lines(pairs, 0.001, 0.001)
    different = [p.distance for p in pairs if p.kind != SAME]
    # relatives alone: 0.70 - 3.0902 * 0.05 = 0.5455; all different people: higher
    assert _tail(different, 0.001) > 0.56
    assert lines.same_at_most == pytest.approx(0.5455, abs=0.001)
    assert lines.different_above == pytest.approx(0.35 + 3.0902 * 0.08, abs=0.001)
    without_relatives = choose_lines([p for p in pairs if p.kind != RELATIVES], 0.001, 0.001)
    assert without_relatives.same_at_most == pytest.approx(_tail([p.distance for p in others], 0.001), abs=0.001)


def test_rates_count_each_answer() -> None:
    lines = Lines(0.4, 0.6, 0.001, 0.001)
    pairs = [LabelledPair("a", "b", "x", "x", d, SAME) for d in (0.2, 0.4, 0.5, 0.7)]
    pairs += [LabelledPair("a", "c", "x", "y", d, OTHERS) for d in (0.39, 0.45, 0.61, 0.9, 1.0)]
    r = rates(pairs, lines)
    assert r.counts() == (4, 2, 1, 1, 5, 1, 1, 3)
    assert r.fnmr == pytest.approx(0.5) and r.fmr == pytest.approx(0.2) and r.accused == pytest.approx(0.25)


def test_a_held_out_person_is_judged_by_lines_chosen_without_them() -> None:
    """Cy's pairs are the only close relatives: held out, the line is drawn without them and her
    nearest relative (0.48) passes as a match; with them in, it does not."""
    pairs = (_pairs(SAME, 0.35, 0.05, ("ann", "ann")) + _pairs(OTHERS, 0.85, 0.05, ("ann", "bob"))
             + _pairs(RELATIVES, 0.80, 0.03, ("bob", "dan"))
             + [LabelledPair("c1", "d1", "cy", "dan", d, RELATIVES) for d in (0.48, 0.75, 0.78)]
             + [LabelledPair("c1", "c2", "cy", "cy", 0.3, SAME)])
    assert choose_lines(pairs, 0.001, 0.001).same_at_most < 0.48
    held = leave_one_person_out(pairs, ["cy"], 0.001, 0.001)[0]
    assert held.lines.same_at_most > 0.48 and held.rates.different_called_same == 1
    assert held.nearest_other == 0.48 and held.worst_same == 0.3 and held.rates.same_called_same == 1
    total, relatives = pooled([held])
    assert total.different_called_same == 1 and relatives.different_pairs == 3
