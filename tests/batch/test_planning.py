"""Planning reads the record as it is: a pair is redone when never analysed, when its files,
the models or the policy changed since its analysis, or when forced; nothing else is. Results
stored here are real analyses of the sample pairs."""

from __future__ import annotations

import numpy as np
import pytest

from tests.batch.conftest import SAMPLE, make_shoot
from twinproof import review
from twinproof.batch import maps as maps_mod
from twinproof.batch.planning import current_model_hashes, plan
from twinproof.batch.task import analyse
from twinproof.core.policy import load_policy


@pytest.fixture(scope="module")
def look01():
    """One real worker result for the sample's look01 (analysed once for the module)."""
    from twinproof.batch.planning import PairTask

    task = PairTask(0, "look01", str(SAMPLE / "look01_real.jpg"), str(SAMPLE / "look01_twin.jpg"), "test")
    out = analyse(task, load_policy(), worker_process=False)
    assert "error" not in out, out
    return out


@pytest.fixture
def store(tmp_path):
    s = review.open_store(str(tmp_path / "shoot.twinproof"), reviewer="planner")
    review.import_shoot(s, make_shoot(tmp_path / "shoot", 6), name="ss27")
    yield s
    s.close()


def _policy():
    p = load_policy()
    return p.name, p.version


def _store_look01(store, out):
    pair = review.find_pair(store, "look01")
    review.store_analysis(store, pair.id, out["record"])
    return pair


def test_only_missing_and_stale_pairs_are_planned(store, look01, tmp_path):
    first = plan(store, "ss27", _policy())
    assert [t.reason for t in first.tasks] == ["never analysed"] * 6 and first.up_to_date == 0
    _store_look01(store, look01)
    after = plan(store, "ss27", _policy())
    assert after.up_to_date == 1 and len(after.tasks) == 5
    assert "look01" not in {t.name for t in after.tasks}
    # --force redoes every pair; an unknown shoot is refused with the shoots there are.
    assert [t.reason for t in plan(store, "ss27", _policy(), force=True).tasks] == ["forced"] * 6
    assert plan(store, None, _policy()).shoots == ["ss27"]
    with pytest.raises(review.NotFoundError, match="ss27"):
        plan(store, "fw26", _policy())


def test_policy_models_and_files_make_an_analysis_stale(store, look01, tmp_path):
    pair = _store_look01(store, look01)
    name, version = _policy()

    def reason(**kw):
        found = {t.name: t.reason for t in plan(store, "ss27", kw.get("policy", (name, version)),
                                                 models=kw.get("models")).tasks}
        return found.get("look01")

    assert reason() is None
    assert reason(policy=(name, version + "-brand")) == (
        f"policy changed ({name} {version} → {name} {version}-brand)")
    models = current_model_hashes()
    changed = dict(models, face_landmark="0" * 64)
    assert reason(models=changed) == "models changed (face_landmark)"
    added = dict(models, face_identity="ab" * 32)  # a model added since: a new measurement
    assert reason(models=added) == "models changed (face_identity)"
    # A file edited in place: found by `shoot check` (or --check), then redone.
    with open(pair.twin_path, "ab") as twin:
        twin.write(b"\0")
    review.check_files(store)
    assert reason() == "files changed"


def test_broken_pairs_are_not_planned(store):
    pair = review.find_pair(store, "look02")
    review.break_pair(store, pair.id)
    assert "look02" not in {t.name for t in plan(store, "ss27", _policy()).tasks}


def test_maps_travel_as_float16_npz_and_are_found_from_the_record(look01, tmp_path):
    """The worker's maps survive the trip (to float16 precision); the record says where."""
    from twinproof.core.analysis import analyze_pair

    fresh = analyze_pair(SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg").maps
    db = tmp_path / "a.twinproof"
    folder = maps_mod.default_folder(str(db))
    assert folder == tmp_path / "a.twinproof.maps"
    assert maps_mod.default_folder(f"sqlite:///{db}") == folder
    assert maps_mod.default_folder("postgresql+psycopg://u@h/db") is None
    path = maps_mod.write(folder, "x.npz", look01["maps"])
    result = {maps_mod.RESULT_KEY: maps_mod.describe(path, len(look01["maps"]), look01["map_names"])}
    kept = maps_mod.stored_maps(result)
    assert kept is not None and set(kept) == set(fresh) == {"ssim", "delta_e"}
    for name, values in fresh.items():
        assert np.array_equal(np.isnan(kept[name]), np.isnan(values))
        ok = ~np.isnan(values)
        assert np.allclose(kept[name][ok], values[ok], rtol=1e-3, atol=1e-3)
    # Moved together with the shoot file: found beside it by name.
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "a.twinproof.maps").mkdir()
    path.rename(moved / "a.twinproof.maps" / "x.npz")
    assert maps_mod.stored_maps(result) is None
    assert maps_mod.stored_maps(result, str(moved / "a.twinproof")) is not None


def test_a_maps_folder_that_cannot_be_written_costs_the_maps_not_the_analysis(store, look01, tmp_path):
    from twinproof.batch.runner import store_outcome

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the maps folder should be")
    pair = review.find_pair(store, "look01")
    task = plan(store, "ss27", _policy()).tasks[0]
    assert task.pair_id == pair.id
    outcome = store_outcome(store, task, dict(look01), blocked)
    assert outcome.error is None and outcome.maps_bytes == 0
    stored = review.latest_analysis(store, pair.id)
    assert stored is not None and "heat_maps" not in stored.result


def test_a_portrait_added_while_the_batch_runs_leaves_its_analyses_stale(store, look01, tmp_path):
    """Each task carries what it is measured against, read when planned: an analysis stored after
    a portrait was added is stale for it (and planned again), whatever the clocks say."""
    from tests.review.conftest import write_files
    from twinproof.batch.runner import store_outcome
    from twinproof.hashing import file_sha256
    from twinproof.review import staleness

    review.add_talent(store, "Ana Silva")
    pair = review.find_pair(store, "look01")
    review.link_talent(store, [pair.id], "Ana Silva")
    first = write_files(tmp_path / "portraits", "p1.jpg")[0]
    review.add_reference(store, "Ana Silva", first, file_sha256(first), [0.1] * 128, "m")
    (task,) = [t for t in plan(store, "ss27", _policy()).tasks if t.name == "look01"]
    assert task.basis is not None and len(task.basis.portraits) == 1 and task.references == (str(first),)
    later = write_files(tmp_path / "portraits", "p2.jpg")[0]  # added while the batch runs
    review.add_reference(store, "Ana Silva", later, file_sha256(later), [0.2] * 128, "m")
    store_outcome(store, task, look01, None)
    assert review.get_pair(store, pair.id).stale == staleness.PORTRAITS
    again = {t.name: t.reason for t in plan(store, "ss27", _policy()).tasks}
    assert again["look01"] == staleness.PORTRAITS
