"""The shoot audit: for each person measurement, is there a pull across the twins?

Per measurement: the weighted sign test (``signtest``), each pair weighed by ``1/uncertainty``;
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
from dataclasses import dataclass, field

import numpy as np

from twinproof.core.drift.inputs import DriftInput
from twinproof.core.drift.measures import BY_METRIC, Audited
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


@dataclass(frozen=True)
class Drift:
    """One measurement across the pairs audited (of the shoot, or of one group)."""

    audited: Audited
    test: SignTest
    smallest_detectable: float
    uncertainty_source: str  # "stored", "empirical" or "stored and empirical"
    points: tuple[Point, ...]
    p_adjusted: float = 1.0
    systematic: bool = False
    reason: str = ""  # why it was not tested ("3 pairs: the audit needs 8")

    @property
    def metric(self) -> str:
        return self.audited.metric

    @property
    def tested(self) -> bool:
        return not self.reason


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

    @property
    def systematic(self) -> list[Drift]:
        return [d for d in self.drifts if d.systematic]


def _spreads(items: list[DriftInput], floor: float) -> list[float]:
    """Each input's uncertainty: stored, else its kind's (control or not) empirical spread."""
    def mad_sd(values: list[float]) -> float | None:
        if len(values) < 3:
            return None
        v = np.asarray(values)
        return MAD_TO_SD * float(np.median(np.abs(v - np.median(v))))
    pooled = mad_sd([i.value for i in items])
    by_kind = {kind: mad_sd([i.value for i in items if i.control is kind and i.uncertainty is None])
               for kind in (True, False)}
    out = []
    for i in items:
        s = i.uncertainty if i.uncertainty is not None else by_kind[i.control] or pooled or floor
        out.append(max(float(s), floor))
    return out


def measure_drift(audited: Audited, items: list[DriftInput], settings: AuditSettings,
                  min_pairs: int | None = None) -> Drift:
    need = settings.min_pairs if min_pairs is None else min_pairs
    spreads = _spreads(items, audited.floor)
    values = np.asarray([i.value for i in items], dtype=np.float64)
    s = np.asarray(spreads, dtype=np.float64)
    stored = {i.uncertainty is not None for i in items}
    source = "stored" if stored == {True} else "empirical" if stored == {False} else "stored and empirical"
    points = tuple(Point(i.pair, i.value, sp, i.uncertainty is not None, i.control)
                   for i, sp in zip(items, spreads, strict=True))
    test = sign_test(values, 1.0 / s if s.size else None, settings.error_rate)
    alpha_first = settings.error_rate / max(1, settings.family_size)
    mde = smallest_detectable(s, alpha_first, settings.power)
    reason = "" if len(items) >= need else f"{len(items)} pair(s) measured: the audit needs {need}"
    return Drift(audited, test, mde, source, points, reason=reason)


def _judge(drifts: list[Drift], settings: AuditSettings) -> list[Drift]:
    tested = [d for d in drifts if d.tested]
    adjusted = dict(zip((d.metric for d in tested), holm([d.test.p_value for d in tested]), strict=True))
    out = []
    for d in drifts:
        p = adjusted.get(d.metric, 1.0)
        big = abs(d.test.median) >= settings.min_effect(d.audited.effect_key)
        out.append(Drift(d.audited, d.test, d.smallest_detectable, d.uncertainty_source, d.points, p,
                         d.tested and p <= settings.error_rate and big, d.reason))
    return out


def by_metric(inputs: Iterable[DriftInput]) -> dict[str, list[DriftInput]]:
    out: dict[str, list[DriftInput]] = {m: [] for m in BY_METRIC}
    for i in inputs:
        if i.metric in out and math.isfinite(i.value):
            out[i.metric].append(i)
    return {m: v for m, v in out.items() if v}


def audit_drift(inputs: list[DriftInput], settings: AuditSettings, *, by: str | None = None) -> DriftAudit:
    """The audit of a shoot's inputs, with groups when ``by`` is given."""
    from twinproof.core.drift.groups import group_audit

    grouped = by_metric(inputs)
    settings = settings.with_family(len(grouped))
    drifts = [measure_drift(BY_METRIC[m], items, settings) for m, items in grouped.items()]
    pairs = len({i.pair_id for i in inputs})
    groups = group_audit(grouped, settings, by) if by else None
    return DriftAudit(pairs, settings, tuple(_judge(drifts, settings)), groups)


__all__ = ["Contrast", "Drift", "DriftAudit", "GroupAudit", "Point", "audit_drift", "measure_drift"]
