"""How many reference portraits enrolment asks for, and what fewer cannot show (issue 23).

The minimum is the analysis' own: a real new shot with one reference portrait is judged against
the real photograph alone, with two against her own range (``../shared/faces-more``, one man's
photographs). The figures the app and the CLI quote are the ones docs/fidelity.md reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from twinproof.core import enrolment

ROOT = Path(__file__).resolve().parents[2]
S2 = ROOT.parent / "shared" / "faces-more" / "ramiz" / "s2"


def test_fewer_than_the_minimum_says_which_edits_cannot_be_judged():
    for n in range(enrolment.minimum()):
        said = enrolment.advice(n)
        assert not said.own_range
        assert f"add {enrolment.minimum() - n} more" in said.headline
        assert f"{enrolment.recommended()} recommended" in said.headline
        for edit in ("a jaw slimmed 10 %", "eyes enlarged 16 %", "a face widened 10 %"):
            assert edit in said.details[0]
        assert "caught in 0 of 8 twins against one photograph" in said.details[0]


def test_enough_portraits_quote_the_measured_catch_rates_until_the_recommended_number():
    few = enrolment.advice(enrolment.minimum())
    assert few.own_range and "the talent's own range is the yardstick" in few.headline
    assert f"{enrolment.recommended()} recommended" in few.headline
    for entry in enrolment.figures()["against_her_range"]:  # every figure of the resource, in words
        rate = (f"{entry['caught']} of {entry['of']} twins" if "caught" in entry else
                "all twins" if entry["percent"] >= 100 else f"about {entry['percent']:g} % of twins")
        assert f"{rate} with {entry['photographs']} photographs of the talent" in few.details[0], entry
    assert "recommended" not in enrolment.advice(enrolment.recommended()).headline
    assert enrolment.advice(1).headline.startswith("1 reference portrait:")


def test_the_quoted_figures_are_the_ones_docs_fidelity_reports():
    doc = " ".join((ROOT / "docs" / "fidelity.md").read_text(encoding="utf-8").split())
    data = enrolment.figures()
    for entry in data["against_one_photograph"] + data["against_her_range"]:
        if "caught" in entry:
            assert f"{entry['caught']} of {entry['of']}" in doc, entry


@pytest.mark.slow
@pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")
def test_the_minimum_is_where_the_analysis_starts_judging_against_her_range():
    from twinproof.core.analysis import analyze_pair
    from twinproof.core.result.yardstick import Kind, yardstick

    refs = [S2 / f"{n}.jpg" for n in (3, 6, 7)]
    path = "face.proportions.jaw_width.percent"
    below = analyze_pair(S2 / "2.jpg", S2 / "1.jpg", references=refs[: enrolment.minimum() - 1]).result
    at = analyze_pair(S2 / "2.jpg", S2 / "1.jpg", references=refs[: enrolment.minimum()]).result
    assert yardstick(below, path).kind is Kind.OTHER_PEOPLE
    assert yardstick(below, path).words == "against the spread of other people (fewer than 2 portraits)"
    assert yardstick(at, path).kind is Kind.HER_PORTRAITS
    assert yardstick(at, path).portraits == enrolment.minimum() + 1  # the real photograph is one of hers
