"""The separation statistics against hand-computed answers."""

from __future__ import annotations

import numpy as np
import pytest

from twinproof.core.identity.separation import equal_error_rate, errors_at, roc_auc, summary


def test_auc_counts_ordered_pairs_and_half_ties() -> None:
    # pairs (s, d): (0.2,0.5) ok, (0.2,0.3) ok, (0.4,0.5) ok, (0.4,0.3) wrong, (0.3 tie) half
    assert roc_auc(np.array([0.2, 0.4]), np.array([0.5, 0.3])) == pytest.approx(3 / 4)
    assert roc_auc(np.array([0.3]), np.array([0.3])) == 0.5
    with pytest.raises(ValueError):
        roc_auc(np.array([]), np.array([0.3]))


def test_errors_at_a_threshold() -> None:
    assert errors_at(np.array([0.1, 0.5, 0.7]), np.array([0.4, 0.9]), 0.5) == (2, 1)


def test_equal_error_rate() -> None:
    assert equal_error_rate(np.array([0.1, 0.3]), np.array([0.5, 0.9])) == (0.0, 0.4)
    eer, t = equal_error_rate(np.array([0.1, 0.2, 0.3, 0.6]), np.array([0.5, 0.7, 0.8, 0.9]))
    assert eer == pytest.approx(0.25) and 0.5 <= t <= 0.6


def test_summary() -> None:
    s = summary(np.arange(101) / 100)
    assert (s["min"], s["p5"], s["median"], s["p95"], s["max"]) == pytest.approx((0, 0.05, 0.5, 0.95, 1))
