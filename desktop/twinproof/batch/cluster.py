"""Where the pairs run: a local cluster of worker processes, or an existing Dask scheduler.

The same client code drives both. Locally, one worker process per core (fewer when memory is
short: a 24 MP pair peaks under 800 MB), each with one thread, so one pair at a time per
process and memory bounded by the worker count. On a cluster, the scheduler's own workers
(started with ``dask worker``; see docs/scaling.md) must have TwinProof installed and see the
image files at the paths the record holds.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Memory a worker process should have for 24 MP pairs (measured peak ~0.8 GB, with headroom).
WORKER_MEMORY_BYTES = 1_500_000_000


class ClusterError(RuntimeError):
    """The scheduler cannot be reached or has no workers; ``str`` is one actionable line."""


def machine_workers() -> int:
    """Worker processes for this machine: one per usable core, no more than memory allows."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    try:
        import psutil

        by_memory = max(1, int(psutil.virtual_memory().total // WORKER_MEMORY_BYTES))
    except Exception:  # noqa: BLE001 - psutil ships with distributed; be safe anyway
        by_memory = cores
    return max(1, min(cores, by_memory))


@dataclass
class Connection:
    """A live Dask client and, for a local run, the cluster it started."""

    client: Any
    local: bool
    workers: int
    dashboard: str | None


@contextlib.contextmanager
def connect(workers: int | None = None, scheduler: str | None = None,
            timeout: float = 20.0) -> Iterator[Connection]:
    """A client on ``scheduler`` (``tcp://host:8786``), else on a new local cluster of
    ``workers`` processes (default: :func:`machine_workers`); closed on exit."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            count = len(client.scheduler_info().get("workers", {}))
            yield Connection(client, False, count, _dashboard(client))
        finally:
            client.close()
        return
    n = workers or machine_workers()
    threads = os.environ.get("TWINPROOF_THREADS", "1")
    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536, to hand freed memory back
    # at once; that also stops glibc raising its mmap threshold, so every image buffer of a pair
    # became fresh pages to fault in (a 24 MP analysis 2.6 s against 1.5 s). Without it, each
    # worker keeps freed buffers for its next pair (``twinproof/heap.py``).
    keep_freed = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
    with _workers_ignore_ctrl_c(), dask.config.set(keep_freed):
        cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True,
            # This machine only, on a free port: a local batch opens nothing to the network
            # (without Bokeh the port serves only health and metrics routes).
            host="127.0.0.1", dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
            # Inner threads per pair; ONNX Runtime reads its own variable when it is set.
            env={"TWINPROOF_THREADS": threads, "OMP_NUM_THREADS": threads},
        )
    try:
        client = Client(cluster)
        try:
            yield Connection(client, True, n, _dashboard(client))
        finally:
            client.close()
    finally:
        cluster.close()


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Start the local workers with SIGINT ignored (they inherit it across exec, and Python
    then installs no KeyboardInterrupt handler in them): a terminal's Ctrl+C goes to the whole
    process group, and the client alone should answer it, by cancelling and closing the
    cluster, instead of every worker printing a traceback. Ctrl+C is ignored for the few
    seconds the workers take to start."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _dashboard(client: Any) -> str | None:
    """The scheduler's dashboard address when it really serves one: without Bokeh on the
    scheduler the port answers 404 or a page asking for Bokeh, and printing it would send
    people there."""
    import urllib.error
    import urllib.request

    try:
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return None
        link = str(client.dashboard_link)
        with urllib.request.urlopen(link, timeout=2) as response:
            page = response.read(4096)
            # without Bokeh, Dask answers with a page that asks for it instead of a dashboard
            return link if response.status == 200 and b"needs bokeh" not in page else None
    except (OSError, ValueError, urllib.error.URLError):
        return None
    except Exception:  # noqa: BLE001 - a dashboard is a convenience, never a reason to stop
        return None
