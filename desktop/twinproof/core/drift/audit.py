"""The shoot audit: for each person measurement, is there a pull across the twins?

Per measurement: the weighted sign test (``signtest``), each pair weighed by ``1/uncertainty``
(by response/uncertainty where pairs of one measurement come from measures that follow an edit
by different fractions: the jaw's identity reading and its mesh reading);
a pair whose result carries no uncertainty gets its kind's empirical spread in this shoot
(1.4826·MAD of the controls, or of the new shots; a floor per measurement keeps a perfect
control from outweighing everything). The many measurements are tested at once with Holm's
step-down correction: the chance that *any* measurement of a shoot is called systematic when
none is stays at the policy's error rate, whatever the correlation between measurements (jaw
and face width share landmarks). Benjamini–Hochberg would let a share of the claims be false;
a claim here is read as an accusation against a vendor, so each must stand on its own.

"Systematic" needs both: Holm's adjusted p at or under the error rate, and a median drift at
least the policy's smallest effect worth reporting. The power: the smallest drift the test
would find with 80 % odds at Holm's first-step level (error rate ÷ measurements).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np

from twinproof.core.drift.inputs import DriftInput
from twinproof.core.drift.measures import BY_METRIC, Audited, response_of
from twinproof.core.drift.settings import AuditSettings
from twinproof.core.drift.signtest import SignTest, holm, sign_test, smallest_detectable

MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Point:
    """One pair on a measurement's plot."""

    pair: str
    value: float
    uncertainty: float
    stored: bool  # the uncertainty came with the result (else the empirical spread)
    control: bool
    source: str = ""  # the result path the value came from ("": the metric's own)


@dataclass(frozen=True)
class Series:
    """One measurement's inputs as columns (10,000 pairs stay fast, and so do their groups'
    subsets: numpy arrays all): values, stored uncertainties (NaN: none), control flags, pair
    names, each group key, and — where pairs came from more than one measure — each pair's
    measure and that measure's response to an edit."""

    values: np.ndarray
    stored: np.ndarray
    control: np.ndarray
    pairs: np.ndarray  # object: names
    keys: dict[str, np.ndarray]
    #: Per pair, the result path its value came from ("": the metric's own); None: all own.
    sources: np.ndarray | None = None
    #: Per pair, its measure's response (``measures.MEASURES``); None: one measure for all.
    response: np.ndarray | None = None

    @classmethod
    def of(cls, items: list[DriftInput]) -> Series:
        n = len(items)
        sources = np.array([i.source for i in items], dtype=object) if any(i.source for i in items) else None
        response = None
        if sources is not None and len(set(sources.tolist())) > 1:
            metric = items[0].metric
            response = np.fromiter((response_of(s or metric) for s in sources), np.float64, n)
        return cls(np.fromiter((i.value for i in items), np.float64, n),
                   np.fromiter((np.nan if i.uncertainty is None else i.uncertainty for i in items), np.float64, n),
                   np.fromiter((i.control for i in items), bool, n), np.array([i.pair for i in items], dtype=object),
                   {"talent": np.array([i.talent for i in items], dtype=object),
                    "generator": np.array([i.generator for i in items], dtype=object),
                    "skin-tone": np.array([i.skin_tone for i in items], dtype=object)},
                   sources, response)

    def subset(self, mask: np.ndarray) -> Series:
        idx = np.flatnonzero(mask)
        return Series(self.values[idx], self.stored[idx], self.control[idx], self.pairs[idx],
                      {k: v[idx] for k, v in self.keys.items()},
                      None if self.sources is None else self.sources[idx],
                      None if self.response is None else self.response[idx])

    def source(self, i: int) -> str:
        return "" if self.sources is None else str(self.sources[i])

    def responses(self, metric: str) -> np.ndarray | None:
        """Each pair's measure's response to an edit; None when every pair comes from one
        measure (a common factor changes no weight). ``metric``: kept for callers' clarity."""
        if self.response is None or np.all(self.response == self.response[:1]):
            return None
        return self.response

    def __len__(self) -> int:
        return int(self.values.size)


@dataclass(frozen=True)
class Drift:
    """One measurement across the pairs audited (of the shoot, or of one group)."""

    audited: Audited
    test: SignTest
    smallest_detectable: float
    uncertainty_source: str  # "stored", "empirical" or "stored and empirical"
    series: Series
    spreads: np.ndarray  # each pair's uncertainty as weighed
    p_adjusted: float = 1.0
    systematic: bool = False
    reason: str = ""  # why it was not tested ("3 pairs: the audit needs 8")

    @property
    def metric(self) -> str:
        return self.audited.metric

    @property
    def tested(self) -> bool:
        return not self.reason

    @property
    def sources(self) -> dict[str, int]:
        """How many pairs' numbers came from each measure (result path), the metric's own first."""
        own = self.audited.metric
        counts: dict[str, int] = {}
        found = self.series.sources.tolist() if self.series.sources is not None else [""] * len(self.series)
        for s in found:
            counts[s or own] = counts.get(s or own, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (kv[0] != own, kv[0])))

    @cached_property
    def points(self) -> tuple[Point, ...]:
        """The pairs for a plot or the JSON, made only when asked (an audit of 10,000 pairs by
        talent would otherwise build a million of them)."""
        sr = self.series
        has = ~np.isnan(sr.stored)
        return tuple(Point(str(sr.pairs[i]), float(sr.values[i]), float(self.spreads[i]), bool(has[i]),
                           bool(sr.control[i]), sr.source(i)) for i in range(len(sr)))


@dataclass(frozen=True)
class Contrast:
    """The difference in drift between a group and another group (or the rest)."""

    metric: str
    group: str
    against: str
    difference: float
    ci95: tuple[float, float]
    p_value: float
    p_adjusted: float = 1.0
    systematic: bool = False


@dataclass(frozen=True)
class GroupAudit:
    by: str  # "talent" | "generator" | "skin-tone"
    groups: dict[str, tuple[Drift, ...]]
    contrasts: tuple[Contrast, ...]
    note: str = ""


@dataclass(frozen=True)
class DriftAudit:
    pairs: int
    settings: AuditSettings
    drifts: tuple[Drift, ...]
    groups: GroupAudit | None = None
    skin_lightness: dict[str, float] = field(default_factory=dict)
    #: Where the groups' keys came from: "generator" → pairs per source (reviewer, content
    #: credentials, unknown); "skin_tone" → talent → what her skin tone was read from.
    origins: dict[str, Any] = field(default_factory=dict)

    @property
    def systematic(self) -> list[Drift]:
        return [d for d in self.drifts if d.systematic]


def _mad_sd(values: np.ndarray) -> float | None:
    if values.size < 3:
        return None
    return MAD_TO_SD * float(np.median(np.abs(values - np.median(values))))


def _spreads(series: Series, floor: float) -> np.ndarray:
    """Each pair's uncertainty: stored, else its kind's (control or not) empirical spread."""
    missing = np.isnan(series.stored)
    pooled = _mad_sd(series.values)
    out = series.stored.copy()
    for kind in (True, False):
        mask = missing & (series.control == kind)
        if mask.any():
            out[mask] = _mad_sd(series.values[mask]) or pooled or floor
    return np.maximum(out, floor)


def measure_drift(audited: Audited, series: Series, settings: AuditSettings,
                  min_pairs: int | None = None) -> Drift:
    need = settings.min_pairs if min_pairs is None else min_pairs
    s = _spreads(series, audited.floor)
    has = ~np.isnan(series.stored)
    source = "stored" if has.all() else "empirical" if not has.any() else "stored and empirical"
    response = series.responses(audited.metric)
    weights = (1.0 if response is None else response) / s
    test = sign_test(series.values, weights if s.size else None, settings.error_rate)
    alpha_first = settings.error_rate / max(1, settings.family_size)
    mde = smallest_detectable(s, alpha_first, settings.power)
    reason = "" if len(series) >= need else f"{len(series)} pair(s) measured: the audit needs {need}"
    return Drift(audited, test, mde, source, series, s, reason=reason)


def _judge(drifts: list[Drift], settings: AuditSettings) -> list[Drift]:
    tested = [d for d in drifts if d.tested]
    adjusted = dict(zip((d.metric for d in tested), holm([d.test.p_value for d in tested]), strict=True))
    out = []
    for d in drifts:
        p = adjusted.get(d.metric, 1.0)
        big = abs(d.test.median) >= settings.min_effect(d.audited.effect_key)
        out.append(replace(d, p_adjusted=p, systematic=d.tested and p <= settings.error_rate and big))
    return out


def by_metric(inputs: Iterable[DriftInput]) -> dict[str, Series]:
    out: dict[str, list[DriftInput]] = {m: [] for m in BY_METRIC}
    for i in inputs:
        if i.metric in out and math.isfinite(i.value):
            out[i.metric].append(i)
    return {m: Series.of(v) for m, v in out.items() if v}


__all__ = ["Contrast", "Drift", "DriftAudit", "GroupAudit", "Point", "by_metric", "measure_drift"]
