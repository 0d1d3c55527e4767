"""A real Dask cluster on 127.0.0.1: ``dask scheduler``, two ``dask worker`` processes, and
``twinproof shoot analyze --scheduler``. One worker is killed while it is analysing a pair;
every pair must still be analysed exactly once, stored, and equal to the single-process
result. Run on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import pytest

from tests.batch.conftest import (
    SAMPLE,
    analyses_by_pair,
    comparable,
    count_stored,
    import_shoot,
    make_shoot,
    start_cli,
    wait_for,
)
from twinproof.batch import maps as maps_mod
from twinproof.core.analysis import analyze_pair

pytestmark = pytest.mark.slow
PAIRS = 12


def _busy_worker(client) -> str | None:
    """The name of a worker that is analysing a pair right now, if any."""
    processing = client.processing()
    names = {a: w["name"] for a, w in client.scheduler_info()["workers"].items()}
    busy = [names[a] for a, keys in processing.items() if keys and a in names]
    return busy[0] if busy else None


def test_worker_killed_mid_run_every_pair_stored_once_and_identical(db_url, dask_cluster, tmp_path):
    folder = make_shoot(tmp_path / "season", PAIRS)
    import_shoot(db_url, folder)
    maps_dir = tmp_path / "maps"
    proc = start_cli("shoot", "analyze", "--db", db_url, "--scheduler", dask_cluster.address,
                     "--maps", str(maps_dir))
    try:
        # Kill a worker while it holds a pair, once at least one result is stored (the run is
        # under way) and several pairs are still to do.
        wait_for(lambda: proc.poll() is not None or count_stored(db_url) >= 1, 300, "a first result")
        assert proc.poll() is None, proc.communicate()
        from distributed import Client

        victim: list[str] = []
        with Client(dask_cluster.address, timeout=30) as monitor:
            wait_for(lambda: bool(victim.append(_busy_worker(monitor) or "") or victim[-1]),
                     60, "a busy worker", interval=0.05)
        stored_before_kill = count_stored(db_url)
        assert stored_before_kill < PAIRS
        dask_cluster.kill(victim[-1])
        _out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"analysed {PAIRS}, up to date 0, failed 0" in err
    if db_url.startswith("postgresql"):  # what it wrote is made ready for the first audits
        assert "database statistics updated (VACUUM ANALYZE analyses, audit_events, pairs, talent_references)" in err

    history = analyses_by_pair(db_url)
    assert sorted(history) == [f"look{i:02d}" for i in range(1, PAIRS + 1)]
    assert all(len(rows) == 1 for rows in history.values()), {k: len(v) for k, v in history.items()}

    # Identical to the single-process analysis of the same files (three different pairs).
    for name in ("look01", "look03", "look06"):
        stored = history[name][0]
        fresh = analyze_pair(folder / f"{name}_real.jpg", folder / f"{name}_twin.jpg").to_dict()
        assert comparable(stored.result) == comparable(fresh), name
        # The heat maps are kept beside the record, named by the content measured.
        kept = maps_mod.stored_maps(stored.result)
        assert kept is not None and set(kept) == {"ssim", "delta_e"}
        assert stored.result["heat_maps"]["file"].startswith(str(maps_dir))
    assert (SAMPLE / "look01_real.jpg").read_bytes() == (folder / "look01_real.jpg").read_bytes()

    # A second run finds nothing to do.
    again = start_cli("shoot", "analyze", "--db", db_url, "--scheduler", dask_cluster.address)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"0 to analyse, {PAIRS} up to date" in err
    assert count_stored(db_url) == PAIRS
