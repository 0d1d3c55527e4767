"""Analyse a whole catalog: plan the pairs whose analysis is missing or stale, run them on
Dask distributed (a local cluster of worker processes, or an existing scheduler), and write
each result to the review record from the client. Headless: above ``core`` and ``review``,
below ``cli`` and ``gui``. See docs/scaling.md.

Importing this package is cheap: Dask, the analysis core and Rich load only when used.

    plan = batch.plan(store, "ss27", (policy.name, policy.version))
    with batch.connect(workers=2) as conn:
        summary = batch.run(store, plan, policy, conn.client, maps_dir=Path("ss27.maps"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["ClusterError", "PairTask", "Plan", "Summary", "connect", "plan", "run"]

if TYPE_CHECKING:
    from twinproof.batch.cluster import ClusterError, connect
    from twinproof.batch.planning import PairTask, Plan, plan
    from twinproof.batch.runner import Summary, run

_WHERE = {
    "ClusterError": "cluster", "connect": "cluster", "PairTask": "planning", "Plan": "planning",
    "plan": "planning", "Summary": "runner", "run": "runner",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'twinproof.batch' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"twinproof.batch.{_WHERE[name]}"), name)
