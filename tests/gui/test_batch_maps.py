"""A shoot analysed by ``shoot analyze`` (maybe on a cluster) shows its heat maps in the app
without analysing again: they are read from the maps file the stored result names."""

from __future__ import annotations

import shutil

import numpy as np

from tests.gui.conftest import SAMPLE
from twinproof import review
from twinproof.batch.planning import plan
from twinproof.batch.runner import store_outcome
from twinproof.batch.task import analyse
from twinproof.core.policy import load_policy
from twinproof.gui.analysing import load_cached_maps, maps_cache_path


def _batch_analysed_shoot(tmp_path):
    """Two sample pairs stored the way the batch client stores them (worker result, maps
    written beside the shoot file), without the app ever analysing them."""
    folder = tmp_path / "shoot"
    folder.mkdir()
    for n in ("01", "02"):
        for side in ("real", "twin"):
            shutil.copy(SAMPLE / f"look{n}_{side}.jpg", folder / f"look{n}_{side}.jpg")
    db = tmp_path / "season.twinproof"
    store = review.open_store(db, reviewer="batch")
    try:
        review.import_shoot(store, folder, name="season")
        policy = load_policy()
        for task in plan(store, "season", (policy.name, policy.version)).tasks:
            out = analyse(task, policy, worker_process=False)
            store_outcome(store, task, out, tmp_path / "season.twinproof.maps")
    finally:
        store.close()
    return db


def test_batch_maps_are_read_from_the_record(tmp_path):
    db = _batch_analysed_shoot(tmp_path)
    store = review.open_store(db, reviewer="app")
    try:
        pair = review.find_pair(store, "look02")
        analysis = review.latest_analysis(store, pair.id)
    finally:
        store.close()
    assert analysis is not None
    assert not maps_cache_path(pair.real_sha256, pair.twin_sha256).exists()  # not the app's cache
    assert load_cached_maps(pair.real_sha256, pair.twin_sha256) is None
    maps = load_cached_maps(pair.real_sha256, pair.twin_sha256, analysis.result)
    assert maps is not None and set(maps) == {"ssim", "delta_e"}
    w, h = analysis.result["analysis"]["working_size"]
    assert maps["ssim"].shape == (h, w)
    # the map is the one the stored numbers were measured from: its mean over the overlap
    # (NaN outside) is the stored per-pixel ΔE00 mean, to float16 precision
    stored_mean = analysis.result["metrics"]["colour"]["delta_e00_mean"]
    assert abs(float(np.nanmean(maps["delta_e"], dtype=np.float64)) - stored_mean) < 0.005


def test_window_shows_batch_maps_without_analysing(window, qtbot, tmp_path):
    db = _batch_analysed_shoot(tmp_path)
    window.open_database(db)
    session = window.session
    assert session is not None
    for pid in session.order:
        session.set_current(pid)
        state = session.current
        assert state.analysed
        qtbot.waitUntil(lambda s=state: bool(s.heat), timeout=10_000)
        assert set(state.heat) == {"ssim", "delta_e"}
    assert window.analysis is None or (window.analysis.done_count == 0 and not window.analysis.busy)
