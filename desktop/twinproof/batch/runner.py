"""Run a plan on Dask and write each result to the review record as it arrives.

Every pair is one task (``task.analyse``); the client stores results in the order they
finish, one short transaction each, so a run killed at any point keeps everything stored so
far and the next run plans only what is missing. A worker that dies mid-pair is the
scheduler's business: it reruns the pair elsewhere, and its future still completes once, so
nothing is stored twice. A pair that kills three workers (out of memory, a native crash) is
recorded as failed, like a pair whose file is unreadable; the batch goes on either way.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twinproof.batch.planning import PairTask, Plan
from twinproof.batch.recording import keep_maps
from twinproof.batch.recording import record as record_analysis
from twinproof.batch.task import analyse
from twinproof.batch.upkeep import Upkeep, after_batch
from twinproof.review import models as m
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.recorded import RecordedAnalysis
from twinproof.review.shoots import load_pair


@dataclass(frozen=True)
class Outcome:
    """What became of one pair in this run."""

    task: PairTask
    error: str | None = None
    seconds: float = 0.0
    verdict: str | None = None
    worker: str | None = None
    maps_bytes: int = 0
    peak_mb: float | None = None
    cpu_seconds: float | None = None


@dataclass
class Summary:
    """A run, counted: what was analysed, up to date, failed (with reasons), left undone."""

    planned: int
    up_to_date: int
    analysed: list[Outcome] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    #: The database's upkeep after the run (PostgreSQL: VACUUM ANALYZE), None when none ran.
    upkeep: Upkeep | None = None

    @property
    def done(self) -> int:
        return len(self.analysed) + len(self.failed)

    @property
    def not_done(self) -> int:
        return self.planned - self.done

    @property
    def complete(self) -> bool:
        """Every planned pair was analysed or recorded with its error."""
        return not self.interrupted and self.not_done == 0


ProgressFn = Callable[[Summary, Outcome], None]


def record_failure(store: ReviewStore, pair_id: int, error: str) -> None:
    """Put a pair's failure on its audit trail (the next run tries it again)."""
    with store.transaction() as session:
        pair: m.Pair = load_pair(session, pair_id)
        record(session, store.reviewer, AuditEventKind.ANALYSIS_FAILED,
               f"{pair.name}: analysis failed: {error}", pair_id=pair.id, shoot_id=pair.shoot_id,
               error=error)


def store_outcome(store: ReviewStore, task: PairTask, out: dict[str, Any],
                  maps_dir: Path | None) -> Outcome:
    """Write one worker result to the record (and its maps beside it)."""
    if "error" in out:
        message = f"{out.get('error_type', 'Error')}: {out['error']}"
        record_failure(store, task.pair_id, message)
        return Outcome(task, message, out.get("seconds", 0.0), worker=out.get("worker"))
    recorded: RecordedAnalysis = out["record"]
    if task.basis is not None:  # what it was measured against, read when it was planned
        recorded = dataclasses.replace(recorded, basis=task.basis)
    size = 0
    if maps_dir is not None and out.get("maps"):
        try:
            recorded = keep_maps(recorded, maps_dir, out["maps"], list(out.get("map_names", [])))
        except OSError:  # a full or read-only maps disk costs the overlays, not the analysis
            pass
        else:
            size = len(out["maps"])
    stored = record_analysis(store, task.pair_id, recorded)
    return Outcome(task, None, out.get("seconds", 0.0), stored.verdict, out.get("worker"), size,
                   out.get("peak_mb"), out.get("cpu_seconds"))


def run(store: ReviewStore, plan: Plan, policy: Any, client: Any, *, maps_dir: Path | None,
        progress: ProgressFn | None = None, note: Callable[[str], None] | None = None) -> Summary:
    """Analyse every task of ``plan`` on ``client``'s cluster; Ctrl+C stops cleanly.

    On KeyboardInterrupt the pending tasks are cancelled and the summary says how many were
    not done; everything already stored stays (a re-run resumes). A run that stored results
    ends with the database's upkeep (``upkeep.after_batch``; ``note`` is told when it starts).
    """
    from distributed import as_completed

    summary = Summary(len(plan.tasks), plan.up_to_date)
    started = time.perf_counter()
    if not plan.tasks:
        return summary
    keep_maps = maps_dir is not None
    run_id = uuid.uuid4().hex[:8]
    by_key: dict[str, PairTask] = {}
    futures = []
    try:
        [policy_ref] = client.scatter([policy], broadcast=True)
        for task in plan.tasks:
            key = f"twinproof-analyse-{task.pair_id}-{run_id}"
            by_key[key] = task
            futures.append(client.submit(analyse, task, policy_ref, keep_maps, key=key, pure=False))
        for future in as_completed(futures):
            task = by_key[future.key]
            try:
                out = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the pair's, not the run's
                out = {"pair_id": task.pair_id, "error": _worker_failure(exc),
                       "error_type": type(exc).__name__}
            future.release()
            outcome = store_outcome(store, task, out, maps_dir)
            (summary.failed if outcome.error else summary.analysed).append(outcome)
            if progress is not None:
                progress(summary, outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
        client.cancel([f for f in futures if not f.done()])
    finally:
        summary.seconds = time.perf_counter() - started
    if summary.done and not summary.interrupted:
        summary.upkeep = after_batch(store, note=note)
    return summary


def _worker_failure(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "KilledWorker":
        return ("the worker process died each time it analysed this pair (out of memory or a "
                "crash in native code)")
    return " ".join(str(exc).split()) or name
