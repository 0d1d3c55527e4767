"""Whether a core is spare is judged on the others' load, not on TwinProof's own threads."""

from __future__ import annotations

import math

import pytest

from twinproof.core import spare_cores
from twinproof.core.spare_cores import OwnLoad


class _Clocks:
    def __init__(self) -> None:
        self.t = 100.0
        self.cpu = 5.0

    def run(self, seconds: float, cores: float) -> None:
        self.t += seconds
        self.cpu += seconds * cores


def test_own_load_follows_the_kernels_one_minute_average():
    """Two cores busy for a minute, sampled every second: the kernel's average of 2 runnable
    threads after 60 s with τ = 60 s is 2 (1 − 1/e); idle for the next minute, it decays by 1/e."""
    clocks = _Clocks()
    own = OwnLoad(lambda: clocks.t, lambda: clocks.cpu)
    for _ in range(60):
        clocks.run(1.0, 2.0)
        own.cores()
    assert own.cores() == pytest.approx(2 * (1 - math.exp(-1)), rel=1e-9)
    for _ in range(12):
        clocks.run(5.0, 0.0)
        own.cores()
    assert own.cores() == pytest.approx(2 * (1 - math.exp(-1)) * math.exp(-1), rel=1e-9)


def test_calls_closer_than_the_clocks_grain_change_nothing():
    clocks = _Clocks()
    own = OwnLoad(lambda: clocks.t, lambda: clocks.cpu)
    clocks.run(10.0, 1.0)
    before = own.cores()
    clocks.run(0.001, 2.0)
    assert own.cores() == before


def test_a_core_is_spare_when_the_load_is_our_own(monkeypatch):
    """At load 2.5 on 2 cores of which about 1.8 is TwinProof's own work, the others use about
    0.7: two threads. The same load from others alone: one."""
    clocks = _Clocks()
    own = OwnLoad(lambda: clocks.t, lambda: clocks.cpu)
    for _ in range(300):  # five minutes at 1.8 cores: the average has settled
        clocks.run(1.0, 1.8)
        own.cores()
    monkeypatch.setattr(spare_cores, "_OWN", own)
    monkeypatch.setattr(spare_cores.os, "getloadavg", lambda: (2.5, 2.4, 2.0))
    monkeypatch.setattr(spare_cores.os, "cpu_count", lambda: 2)
    monkeypatch.delenv("TWINPROOF_THREADS", raising=False)
    assert spare_cores.others_load() == pytest.approx(2.5 - 1.8 * (1 - math.exp(-5)), rel=1e-9)
    assert spare_cores.default_workers() == 2
    monkeypatch.setattr(spare_cores, "_OWN", OwnLoad(lambda: clocks.t, lambda: clocks.cpu))  # nothing of ours
    assert spare_cores.default_workers() == 1
    monkeypatch.setenv("TWINPROOF_THREADS", "1")
    monkeypatch.setattr(spare_cores, "_OWN", own)
    assert spare_cores.default_workers() == 1
