"""A local cluster's workers keep freed image buffers for their next pair (``twinproof/heap.py``).

Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which also stops glibc raising
its mmap threshold: every image buffer became fresh pages to fault in. ``batch.cluster.connect``
starts them without it."""

from __future__ import annotations

import sys

import pytest

from twinproof.batch.cluster import connect

pytestmark = pytest.mark.slow


def _worker_heap() -> tuple[str | None, bool]:
    import os

    from twinproof import heap

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), heap.applied()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_local_workers_reuse_freed_buffers():
    with connect(workers=1) as conn:
        found = conn.client.run(_worker_heap)
    assert list(found.values()) == [(None, True)]
