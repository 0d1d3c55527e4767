"""The weighted sign test against known answers: scipy's binomial test, the classical
order-statistic interval, and simulated shoots whose drift is known."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from twinproof.core.drift.signtest import Null, holm, sign_test, smallest_detectable


@pytest.mark.parametrize("n", [8, 13, 30, 101])
def test_equal_weights_is_the_exact_binomial_sign_test(n):
    rng = np.random.default_rng(n)
    x = rng.normal(0.3, 1.0, n)
    t = sign_test(x)
    assert t.method.endswith("(binomial)")
    assert t.p_value == pytest.approx(stats.binomtest(int((x > 0).sum()), n).pvalue, rel=1e-9)
    assert t.median == pytest.approx(float(np.median(x)))
    # The classical interval: order statistics k and n+1-k (1-indexed), k the largest with
    # P(Bin(n, ½) < k) ≤ 2.5 %.
    k = max(i for i in range(1, n // 2 + 1) if stats.binom.cdf(i - 1, n, 0.5) <= 0.025)
    xs = np.sort(x)
    assert t.ci95 == (pytest.approx(xs[k - 1]), pytest.approx(xs[n - k]))
    assert t.above + t.below == n


def test_too_few_pairs_leave_the_interval_open_and_never_reject():
    t = sign_test(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert t.p_value == pytest.approx(0.0625)  # 5 of 5 above: the smallest p there is
    assert t.ci95 == (-np.inf, np.inf)


def test_weighted_flips_agree_with_the_normal_limit():
    rng = np.random.default_rng(3)
    w = rng.uniform(0.2, 3.0, 200)
    s = 0.9 * np.sqrt(np.sum(w ** 2)) * 2.2
    flips, normal = Null.of(w), Null.of(np.concatenate([w, w, w]))  # 600 > 400: normal
    assert flips.kind == "flips" and normal.kind == "normal"
    z = s / np.sqrt(np.sum(w ** 2))
    assert flips.p_value(s) == pytest.approx(2 * stats.norm.sf(z), abs=0.004)


@pytest.mark.parametrize("weighted", [False, True])
def test_interval_covers_and_test_holds_its_level_under_heavy_tails(weighted):
    """Cauchy errors with unequal scales and no drift: coverage ≥ 95 %, rejections ≤ 5 %
    (within simulation error, 600 shoots)."""
    rng = np.random.default_rng(11)
    covered = rejected = 0
    for _ in range(600):
        s = rng.uniform(0.3, 4.0, 20)
        x = s * rng.standard_cauchy(20)
        t = sign_test(x, 1 / s if weighted else None)
        covered += t.ci95[0] <= 0 <= t.ci95[1]
        rejected += t.p_value <= 0.05
    assert covered / 600 >= 0.93
    assert rejected / 600 <= 0.065


def test_weights_find_a_drift_that_equal_votes_miss():
    """Ten precise controls pulled −2 among 20 noisy new shots with no pull: 1/s weights see it."""
    rng = np.random.default_rng(5)
    found_weighted = found_equal = 0
    for _ in range(200):
        s = np.r_[np.full(10, 0.3), np.full(20, 6.0)]
        x = np.r_[rng.normal(-2.0, 0.3, 10), rng.normal(0.0, 6.0, 20)]
        found_weighted += sign_test(x, 1 / s).p_value <= 0.05
        found_equal += sign_test(x).p_value <= 0.05
    assert found_weighted / 200 > 0.9 > 0.5 > found_equal / 200


def test_smallest_detectable_drift_is_found_with_the_stated_power():
    """Normal errors of 3 % on 24 pairs at α = 0.05/14: the stated smallest drift is found in
    about 80 % of simulated shoots."""
    alpha = 0.05 / 14
    s = np.full(24, 3.0)
    mde = smallest_detectable(s, alpha)
    assert 2.88 < mde < 4.0  # above the normal limit (2.88): n = 24 is discrete
    rng = np.random.default_rng(8)
    hits = sum(sign_test(rng.normal(mde, 3.0, 24)).p_value <= alpha for _ in range(1500))
    assert 0.77 <= hits / 1500 <= 0.83


def test_holm_against_a_worked_example():
    # Holm (1979) step-down: sorted 0.01, 0.03, 0.04, 0.5 → ×4, ×3 (max), ×2 (max), ×1.
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([]) == []
