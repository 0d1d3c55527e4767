"""Known answers for the shoot audit on real photographs (``../shared/faces`` and
``../shared/faces-more``), through the real pipeline: every pair analysed by the core, stored
in a real review record, audited from the stored results.

Set ``TWINPROOF_DRIFT_CACHE`` to a folder to keep the analyses between runs (benchmarks/
bench_drift_photos.py prints the same figures)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.review import drift_photos as dp
from twinproof import review
from twinproof.core.drift import AuditSettings, audit_drift, drift_inputs, pair_facts
from twinproof.core.drift.words import drift_sentence
from twinproof.review.drift_source import audit_shoot

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not dp.available(), reason="../shared/faces and ../shared/faces-more are absent")]
JAW = "face.proportions.jaw_width.percent"


@pytest.fixture(scope="module")
def analyses(tmp_path_factory) -> dp.Analyses:
    folder = os.environ.get("TWINPROOF_DRIFT_CACHE")
    return dp.Analyses(Path(folder) if folder else tmp_path_factory.mktemp("drift"))


def stored_audit(tmp_path, analyses, shots, edit="none", amount=0.0, edit_if=lambda s: True, by=None,
                 references=None):
    """Store the shots' analyses as one shoot (talent = the person) and audit it from the record
    (``references``: shot → the reference portraits its analysis was given)."""
    references = references or {}
    tmp_path.mkdir(parents=True, exist_ok=True)
    store = review.open_store(str(tmp_path / "audit.twinproof"), reviewer="test")
    try:
        shoot = review.create_shoot(store, "drift")
        talents = {}
        for i, shot in enumerate(shots):
            e, a = (edit, amount) if edit_if(shot) else ("none", 0.0)
            result = analyses.result(shot, e, a, references.get(shot, ()))
            if result is None:
                continue
            real, twin = dp.pair_files(tmp_path / "files", i, shot.real, analyses.twin_path(shot, e, a))
            pair = review.make_pair(store, shoot.id, real, twin, f"p{i:03d}")
            if shot.person not in talents:
                talents[shot.person] = review.add_talent(store, shot.person)
            review.link_talent(store, [pair.id], talents[shot.person].id)
            review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(result))
        return audit_shoot(store, "drift", by=by)[1]
    finally:
        store.close()


def jaw_of(audit):
    return next(d for d in audit.drifts if d.metric == JAW)


def test_the_unedited_shoot_reports_no_drift(tmp_path, analyses):
    audit = stored_audit(tmp_path, analyses, dp.new_shots())
    assert audit.pairs >= 50
    assert not audit.systematic, [d.metric for d in audit.systematic]


def _no_pair_alone_fails(analyses, shots, edit, amount):
    """The shots whose edited twin raises no fail flag on the jaw on its own."""
    def fails(shot):
        result = analyses.result(shot, edit, amount) or {}
        return any(f["severity"] == "fail" and "jaw" in f["metric"] for f in result.get("flags", []))
    return [s for s in shots if not fails(s)]


def test_jaw_slimmed_4_percent_on_every_twin(tmp_path, analyses):
    """Every twin's jaw slimmed 4 %, no pair failing on its own. The new-shot jaw reading
    follows about a third of it (−1.3 points, pair by pair) against a same-person spread of
    ~3.3 % between shots: across 56 new shots the audit must not claim what it cannot back,
    and must say the smallest drift it could have shown. With a control frame per real photo
    (the generator's twin of that very frame, slimmed too) it is found, at its true size."""
    shots = _no_pair_alone_fails(analyses, dp.new_shots(), "jaw", -4.0)
    assert len(shots) >= 24
    plain = jaw_of(stored_audit(tmp_path / "a", analyses, shots))
    slim = jaw_of(stored_audit(tmp_path / "b", analyses, shots, "jaw", -4.0))
    shift = slim.test.median - plain.test.median
    assert -2.5 < shift < 0  # the reading moves by a fraction of the edit
    assert slim.test.below > slim.test.above  # "38 of 59 narrower"
    if not slim.systematic:  # and the audit says why it is silent
        assert slim.smallest_detectable > abs(slim.test.median)
    controls = _no_pair_alone_fails(analyses, dp.controls(dp.new_shots()), "jaw", -4.0)
    found = jaw_of(stored_audit(tmp_path / "c", analyses, shots + controls, "jaw", -4.0))
    assert found.systematic and found.test.ci95[1] < 0
    assert -4.5 < found.test.ci95[0] <= found.test.ci95[1] < -3.5  # the true effect, 4 %, as measured


IDENTITY_JAW = "face.identity_edits.jaw_width.percent"


def _new_shot(result):
    return result is not None and result["analysis"]["mode"] == "new_shot"


def _fails_on_jaw(result):
    return any(f["severity"] == "fail" and "jaw" in f["metric"] for f in (result or {}).get("flags", []))


@pytest.mark.timeout(1800)  # ~58 analyses with 3 reference portraits each when the cache is cold
def test_jaw_slimmed_4_percent_is_caught_where_talents_have_reference_portraits(tmp_path, analyses):
    """Same-person new shots whose talents have reference portraits (3 of her OTHER photos,
    never the pair's own): each twin's jaw slimmed 4 % (the tests' warp), no pair failing on
    its own. The audit takes the identity model's reading along her own edit directions
    (edit-equivalent %, each pair weighed by its own ±) and finds the drift: systematically
    slimmer, its interval below zero and containing the true −4 %; the same shoot unedited
    shows no drift. The reading follows most of the edit (its median shift pair by pair).
    Consecutive photos only (25 pairs; bench_drift_photos.py adds photos two apart: 46)."""
    shots = [r for r in dp.referenced_new_shots(steps=(1,))
             if _new_shot(analyses.result(r.shot, references=r.references))
             and not _fails_on_jaw(analyses.result(r.shot, "jaw", -4.0, r.references))]
    refs = {r.shot: r.references for r in shots}
    plain_audit = stored_audit(tmp_path / "a", analyses, list(refs), references=refs)
    slim_audit = stored_audit(tmp_path / "b", analyses, list(refs), "jaw", -4.0, references=refs)
    plain, slim = jaw_of(plain_audit), jaw_of(slim_audit)
    # read along her own directions wherever the identity model could read the twin's face
    assert len(shots) >= 24 and slim.sources[IDENTITY_JAW] >= 20, slim.sources
    assert all(p.stored for p in slim.points if p.source == IDENTITY_JAW)
    assert slim.systematic, slim.test
    lo, hi = slim.test.ci95
    assert lo <= -4.0 <= hi < 0  # the true effect, in the reading's own units (edit-equivalent %)
    assert "identity model" in drift_sentence(slim)
    assert not plain.systematic and not plain_audit.systematic, [d.metric for d in plain_audit.systematic]
    shifts = sorted(s.value - p.value for s, p in zip(slim.points, plain.points, strict=True)
                    if s.source == p.source == IDENTITY_JAW)
    follows = -shifts[len(shifts) // 2] / 4.0
    assert 0.5 < follows < 1.3  # ~87 % of a jaw edit on the calibration set


def test_random_unedited_shoots_claim_drift_at_most_at_the_error_rate(analyses):
    """100 shoots of 24 pairs drawn at random from the unedited same-person pairs and control
    frames: a drift is called in at most 5 % of them (the audit's stated error rate; the
    shoots overlap, so this is a check of the rate, not an independent estimate)."""
    shots = dp.new_shots()
    facts = [pair_facts(i, f"p{i}", r, talent=s.person)
             for i, s in enumerate(shots + dp.controls(shots)) if (r := analyses.result(s)) is not None]
    rng = random.Random(24)
    called = sum(bool(audit_drift(drift_inputs(rng.sample(facts, 24)), AuditSettings()).systematic)
                 for _ in range(100))
    assert called <= 5


def test_lightening_only_the_darker_talents_twins_is_a_group_difference(tmp_path, analyses):
    """ΔL* +4 on the skin of the twins of the darker-skinned third of the cast only (new shots
    and their control frames): reported as a difference between skin-tone groups."""
    shots = dp.new_shots()
    with_controls = shots + dp.controls(shots)
    plain = stored_audit(tmp_path / "a", analyses, with_controls, by="skin-tone")
    darker = {t for t, g in _groups(analyses, with_controls).items() if g == "darker third"}
    assert darker
    audit = stored_audit(tmp_path / "b", analyses, with_controls, "lighten", 4.0,
                         edit_if=lambda s: s.person in darker, by="skin-tone")
    assert audit.groups is not None and plain.groups is not None
    (c,) = [c for c in audit.groups.contrasts if c.metric == "skin.delta_L"]
    assert (c.group, c.against) == ("darker third", "lighter third")
    assert c.systematic and c.ci95[0] > 0
    assert not any(x.systematic for x in plain.groups.contrasts if x.metric == "skin.delta_L")


def _groups(analyses, shots):
    """The skin-tone groups as the audit forms them: each real photograph once, however many
    twins (a new shot and its control frame) it is the real of (``review.real_photos``)."""
    from twinproof.core.drift import skin_tone_groups
    from twinproof.review.real_photos import skin_readings

    facts = [pair_facts(i, "", r, talent=s.person) for i, s in enumerate(shots)
             if (r := analyses.result(s)) is not None]
    readings, _words = skin_readings(facts, {i: str(s.real) for i, s in enumerate(shots)}, {})
    return skin_tone_groups(facts, readings)
