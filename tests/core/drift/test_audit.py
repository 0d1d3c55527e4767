"""The audit of simulated shoots whose drift is known: found when there, not invented when
not (the whole audit's error rate, all measurements at once), groups told apart."""

from __future__ import annotations

import json

import numpy as np
import pytest

from twinproof.core.drift import AuditSettings, DriftInput, audit_drift, audit_json, summary
from twinproof.core.drift.measures import AUDITED

SHOT = [a.metric for a in AUDITED if a.new_shot and a.metric != "identity.distance"]
SPREAD = {"skin.delta_L": 4.0, "skin.delta_hue_deg": 5.0, "texture.ratio": 15.0}


def shoot(rng, n=30, pulls=None, talents=("Ana", "Bo", "Cy"), skin=None, stored=False):
    """One row per pair and measurement: a pull plus that pair's normal error."""
    pulls = pulls or {}
    rows = []
    for i in range(n):
        talent = talents[i % len(talents)]
        for metric in SHOT:
            s = SPREAD.get(metric, 3.0)
            pull = pulls.get(metric, 0.0)
            if callable(pull):
                pull = pull(talent)
            rows.append(DriftInput(metric, float(pull + rng.normal(0, s)), s if stored else None, i,
                                   f"p{i:02d}", talent, "GenA" if i % 2 else "GenB",
                                   (skin or {}).get(talent)))
    return rows


def test_a_pull_on_every_twin_is_found_with_an_interval_around_it():
    audit = audit_drift(shoot(np.random.default_rng(1), pulls={"face.proportions.jaw_width.percent": -3.0}),
                        AuditSettings())
    jaw = next(d for d in audit.drifts if d.metric == "face.proportions.jaw_width.percent")
    assert jaw.systematic and jaw.test.ci95[0] <= -3.0 <= jaw.test.ci95[1] < 0
    assert [d.metric for d in audit.systematic] == [jaw.metric]
    text = summary(audit)
    assert text[0].startswith("Systematic drift in 1 of") and "jaw width −" in text[0]
    assert f"{jaw.test.below} of 30 narrower" in text[1]
    assert "Twins in this shoot are systematically narrower" in text[1]


def test_no_pull_no_claim_across_many_shoots():
    """200 simulated shoots without drift, every measurement tested at once: a drift is claimed
    in at most the error rate of them (Holm's family-wise promise), within simulation error."""
    rng = np.random.default_rng(2)
    claimed = sum(bool(audit_drift(shoot(rng, n=24), AuditSettings()).systematic) for _ in range(200))
    assert claimed / 200 <= 0.06


def test_power_is_said_when_nothing_is_found():
    audit = audit_drift(shoot(np.random.default_rng(3)), AuditSettings())
    line = next(s for s in summary(audit) if s.startswith("Jaw width"))
    assert "no systematic change found in 30 pairs" in line
    assert "the smallest drift this shoot could have shown is ±" in line


def test_a_clear_drift_under_the_smallest_effect_is_said_not_called():
    rng = np.random.default_rng(4)
    rows = [DriftInput("skin.delta_L", float(0.4 + rng.normal(0, 0.05)), 0.05, i, f"p{i}") for i in range(40)]
    audit = audit_drift(rows, AuditSettings())
    (d,) = audit.drifts
    assert d.p_adjusted < 1e-6 and not d.systematic
    assert "under the smallest effect worth reporting" in summary(audit)[1]


def test_too_few_pairs_are_not_audited_and_say_why():
    rows = [DriftInput("skin.delta_L", 5.0, None, i, f"p{i}") for i in range(5)]
    audit = audit_drift(rows, AuditSettings())
    assert not audit.drifts[0].tested and not audit.systematic
    assert "5 pair(s) measured: the audit needs 8" in summary(audit)[1]


def test_lightening_for_the_darker_third_only_is_a_group_difference():
    skin = {"Ana": "lighter third", "Bo": "middle third", "Cy": "darker third"}
    pulls = {"skin.delta_L": lambda t: 4.0 if t == "Cy" else 0.0}
    audit = audit_drift(shoot(np.random.default_rng(6), n=120, pulls=pulls, skin=skin, stored=True),
                        AuditSettings(), by="skin-tone")
    assert audit.groups is not None
    (c,) = [c for c in audit.groups.contrasts if c.metric == "skin.delta_L"]
    assert (c.group, c.against) == ("darker third", "lighter third")
    assert c.systematic and c.ci95[0] <= 4.0 <= c.ci95[1] and c.ci95[0] > 0
    assert not [x for x in audit.groups.contrasts if x.systematic and x.metric != "skin.delta_L"]
    assert any("lighter for the darker third of the cast than for the lighter third" in s for s in summary(audit))


def test_stored_uncertainty_is_used_and_the_empirical_spread_stands_in_without_it():
    rng = np.random.default_rng(7)
    with_unc = audit_drift(shoot(rng, stored=True), AuditSettings())
    without = audit_drift(shoot(rng, n=200), AuditSettings())
    assert {d.uncertainty_source for d in with_unc.drifts} == {"stored"}
    assert {d.uncertainty_source for d in without.drifts} == {"empirical"}
    jaw = next(d for d in without.drifts if d.metric == "face.proportions.jaw_width.percent")
    assert 2.0 < jaw.points[0].uncertainty < 4.0  # the simulated spread is 3


def test_json_has_the_documented_shape():
    audit = audit_drift(shoot(np.random.default_rng(9)), AuditSettings(), by="generator")
    data = json.loads(json.dumps(audit_json(audit, "SS27"), allow_nan=False))
    m = data["measurements"][0]
    assert {"metric", "n", "median", "ci95", "systematic", "smallest_detectable", "pairs", "text"} <= set(m)
    assert data["groups"]["by"] == "generator" and {g["group"] for g in data["groups"]["groups"]} == {"GenA", "GenB"}


@pytest.mark.parametrize("by", ["talent", "generator", "skin-tone"])
def test_groups_without_a_pull_claim_no_difference(by):
    skin = {"Ana": "lighter third", "Bo": "middle third", "Cy": "darker third"}
    audit = audit_drift(shoot(np.random.default_rng(10), n=45, skin=skin), AuditSettings(), by=by)
    assert audit.groups is not None and not any(c.systematic for c in audit.groups.contrasts)
