"""Fixtures for batch analysis: a shoot folder made of the sample pairs, the database
backends (a real SQLite file; real PostgreSQL when TWINPROOF_TEST_PG_URL is set), a real
Dask scheduler with two worker processes on 127.0.0.1, and the CLI run as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_schema
from twinproof import review

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "sample"
PG_URL = os.environ.get("TWINPROOF_TEST_PG_URL")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not PG_URL, reason="TWINPROOF_TEST_PG_URL not set "
                                              "(run scripts/start_postgres.sh)"),
    ]),
]
DASK = Path(sys.executable).parent / "dask"
#: What differs between two runs of the same analysis (time taken, where the maps went).
VOLATILE = (("analysis", "seconds"), ("metrics", "landmarks", "milliseconds"))


def child_env() -> dict[str, str]:
    """The environment of the processes a test starts: this tree first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "desktop"), str(ROOT),
                                                      env.get("PYTHONPATH")]))
    env["TWINPROOF_REVIEWER"] = "batch-test"
    return env


def make_shoot(folder: Path, count: int, bad: tuple[int, ...] = ()) -> Path:
    """``count`` pairs named look01..lookNN in one folder, cycling through the six sample
    pairs; the twins numbered in ``bad`` are truncated JPEGs."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, count + 1):
        src = (i - 1) % 6 + 1
        for side in ("real", "twin"):
            target = folder / f"look{i:02d}_{side}.jpg"
            shutil.copyfile(SAMPLE / f"look{src:02d}_{side}.jpg", target)
            if side == "twin" and i in bad:
                target.write_bytes(target.read_bytes()[:3000])
    return folder


def comparable(result: dict) -> dict:
    """A stored or fresh result without the fields that differ between runs."""
    out = json.loads(json.dumps(review.analysis.json_safe(result)))
    out.pop("heat_maps", None)
    out.pop("provenance", None)
    for path in VOLATILE:
        node = out
        for key in path[:-1]:
            node = node.get(key, {})
        node.pop(path[-1], None)
    return out


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "season.twinproof")
        return
    with fresh_pg_schema(PG_URL) as url:
        yield url


def import_shoot(db: str, folder: Path) -> None:
    store = review.open_store(db, reviewer="batch-test")
    try:
        review.import_shoot(store, folder, name="season")
    finally:
        store.close()


def analyses_by_pair(db: str) -> dict[str, list[review.AnalysisRecord]]:
    store = review.open_store(db, reviewer="batch-test")
    try:
        return {p.name: review.analysis_history(store, p.id) for p in review.list_pairs(store)}
    finally:
        store.close()


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "twinproof", *args], capture_output=True, text=True,
                          env=child_env(), timeout=timeout, cwd=ROOT)


def start_cli(*args: str) -> subprocess.Popen[str]:
    """The CLI in its own process group (as a terminal runs it), output to pipes."""
    return subprocess.Popen([sys.executable, "-m", "twinproof", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env(), cwd=ROOT,
                            start_new_session=True)


def wait_for(condition, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def count_stored(db: str) -> int:
    return sum(len(v) for v in analyses_by_pair(db).values())


@dataclass
class DaskCluster:
    address: str
    workers: dict[str, subprocess.Popen[bytes]]  # worker name -> process

    def kill(self, name: str) -> None:
        proc = self.workers[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own group (killed whole), its stderr to ``log``."""
    with log.open("wb") as stderr:
        return subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=stderr)


@pytest.fixture
def dask_cluster(tmp_path) -> Iterator[DaskCluster]:
    """``dask scheduler`` and two ``dask worker`` processes (no nanny: a killed worker stays
    dead, as a lost machine does), one thread each, on 127.0.0.1."""
    if not DASK.exists():
        pytest.skip("the dask command is not installed (pip install -e .)")
    env = child_env() | {"TWINPROOF_THREADS": "1"}
    info = tmp_path / "scheduler.json"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(_spawn([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0",
                             "--no-dashboard", "--scheduler-file", str(info)], env,
                            logs / "scheduler.log"))
        wait_for(lambda: info.exists() and info.stat().st_size > 0, 60, "the scheduler file")
        address = json.loads(info.read_text())["address"]
        workers = {}
        for name in ("w1", "w2"):
            proc = _spawn([str(DASK), "worker", address, "--name", name, "--nthreads", "1",
                           "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                           "--local-directory", str(tmp_path / name)], env, logs / f"{name}.log")
            procs.append(proc)
            workers[name] = proc
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=120)
        yield DaskCluster(address, workers)
    finally:
        for proc in reversed(procs):
            _stop(proc)
