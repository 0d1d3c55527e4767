"""Marking or unmarking a control frame, or adding or removing the linked talent's reference
portraits, makes the stored analysis stale (issue 23), in the record the app reads and in the
batch plan, with the reason in words; on SQLite and PostgreSQL. The stored analyses are real
results (``tests/data/results/make_v3.py``: a new shot judged against his 4 photographs, and a
control frame)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.review.conftest import write_files
from twinproof import review
from twinproof.batch.planning import plan
from twinproof.review import staleness

RESULTS = Path(__file__).resolve().parents[1] / "data" / "results"


def _stored(name: str) -> review.RecordedAnalysis:
    return review.RecordedAnalysis.from_json(json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8")))


def _pair(store, tmp_path, name: str) -> review.PairRecord:
    write_files(tmp_path / "real", f"{name}.jpg")
    write_files(tmp_path / "twin", f"{name}.png")
    return next(p for p in review.import_shoot(store, tmp_path / "real", tmp_path / "twin", name="ss27").added
                if p.name == name)


def _planned(store, result: review.RecordedAnalysis) -> dict[str, str]:
    policy = result.result.policy
    return {t.name: t.reason for t in plan(store, "ss27", (policy.name, policy.version), models={}).tasks}


def test_marking_and_unmarking_a_control_frame_makes_its_analysis_stale(store, tmp_path):
    pair = _pair(store, tmp_path, "look01")
    new_shot = _stored("v3_newshot_jaw")
    review.store_analysis(store, pair.id, new_shot)
    assert review.get_pair(store, pair.id).up_to_date and _planned(store, new_shot) == {}
    version = review.set_control(store, pair.id, True, pair.version)
    marked = review.get_pair(store, pair.id)
    assert marked.stale == staleness.MARKED == "marked a control frame since it was analysed"
    assert marked.analysis_current and not marked.up_to_date  # the files did not change
    assert _planned(store, new_shot) == {"look01": staleness.MARKED}
    review.set_control(store, pair.id, False, version)  # unmarked before it was redone: it holds again
    assert review.get_pair(store, pair.id).stale is None and _planned(store, new_shot) == {}


def test_an_analysis_made_as_a_control_is_stale_once_unmarked(store, tmp_path):
    pair = _pair(store, tmp_path, "look02")
    version = review.set_control(store, pair.id, True, pair.version)
    control = _stored("v3_control")
    review.store_analysis(store, pair.id, control)
    assert review.get_pair(store, pair.id).stale is None and _planned(store, control) == {}
    review.set_control(store, pair.id, False, version)
    assert review.get_pair(store, pair.id).stale == "no longer a control frame since it was analysed"
    assert _planned(store, control) == {"look02": staleness.UNMARKED}


def test_her_portraits_added_or_removed_since_make_it_stale(store, tmp_path):
    pair = _pair(store, tmp_path, "look03")
    review.add_talent(store, "Elvis")
    review.link_talent(store, [pair.id], "Elvis")
    first = review.add_reference(store, "Elvis", tmp_path / "p1.jpg", "1" * 64, [0.1] * 128, "m")
    ranged = _stored("v3_range_jaw")
    review.store_analysis(store, pair.id, ranged)
    assert review.get_pair(store, pair.id).stale is None
    assert [p.stale for p in review.list_pairs(store)] == [None]
    review.add_reference(store, "Elvis", tmp_path / "p2.jpg", "2" * 64, [0.2] * 128, "m")
    assert review.get_pair(store, pair.id).stale == "the talent's reference portraits changed since it was analysed"
    assert [p.stale for p in review.list_pairs(store)] == [staleness.PORTRAITS]
    assert _planned(store, ranged) == {"look03": staleness.PORTRAITS}
    review.store_analysis(store, pair.id, ranged)  # analysed again with them
    assert review.get_pair(store, pair.id).stale is None and _planned(store, ranged) == {}
    review.remove_reference(store, first.id)
    assert review.get_pair(store, pair.id).stale == staleness.PORTRAITS
    # another talent's portraits change nothing here
    review.add_talent(store, "Ana Silva")
    review.store_analysis(store, pair.id, ranged)
    review.add_reference(store, "Ana Silva", tmp_path / "a.jpg", "3" * 64, [0.3] * 128, "m")
    assert review.get_pair(store, pair.id).stale is None and _planned(store, ranged) == {}
