"""``twinproof shoot analyze``: a shoot's missing and stale analyses, on Dask.

The command's body (``shoot.py`` registers it): plan, connect (local cluster or
``--scheduler``), run with a progress bar, print the summary. Exit 0 when every planned pair
was analysed or recorded with its error, 1 when a pair's result could not be stored, 2 for bad
input (an unknown shoot, a bad policy, an unreachable scheduler), 130 after Ctrl+C (what was
stored stays; running again resumes).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twinproof import review
from twinproof.cli.common import one_line

if TYPE_CHECKING:
    from twinproof.batch.planning import Plan
    from twinproof.batch.runner import Summary

EXIT_OK, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 2, 130


def _say(text: str) -> None:
    print(one_line(text), file=sys.stderr, flush=True)


def analyze_shoot(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.batch import maps as maps_mod
    from twinproof.batch.cluster import ClusterError, connect
    from twinproof.batch.planning import plan
    from twinproof.core.errors import TwinProofError
    from twinproof.core.policy import load_policy

    try:
        policy = load_policy(args.policy)
    except TwinProofError as exc:
        _say(f"twinproof shoot: error: {exc}")
        return EXIT_BAD_INPUT
    if args.check:
        for change in review.check_files(store):
            _say(f"{change.pair_name}: {change.side} {change.status}: {change.path}")
    todo = plan(store, args.shoot, (policy.name, policy.version), force=args.force)
    reasons = Counter(t.reason.split(" (")[0] for t in todo.tasks)
    _say(f"{', '.join(todo.shoots) or 'no shoot'}: {todo.total} pair(s), {len(todo.tasks)} to analyse"
         + (f" ({', '.join(f'{n} {r}' for r, n in reasons.most_common())})" if reasons else "")
         + f", {todo.up_to_date} up to date; policy {policy.name} {policy.version}")
    if not todo.tasks:
        return EXIT_OK
    maps_dir = Path(args.maps) if args.maps else maps_mod.default_folder(args.db)
    _say(f"heat maps: {maps_dir}" if maps_dir else
         "heat maps: not kept (a server record has no folder beside it: give --maps DIR)")
    try:
        with connect(args.workers, args.scheduler) as conn:
            where = (f"scheduler {args.scheduler}" if args.scheduler else "a local cluster")
            _say(f"running on {where} with {conn.workers} worker(s)"
                 + (f"; dashboard {conn.dashboard}" if conn.dashboard else ""))
            summary = _run(store, todo, policy, conn.client, maps_dir)
    except ClusterError as exc:
        _say(f"twinproof shoot: error: {exc}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _say("interrupted before any pair was sent; nothing was changed")
        return EXIT_INTERRUPTED
    from twinproof.batch.progress import summary_lines

    for line in summary_lines(summary):
        _say(line)
    return EXIT_INTERRUPTED if summary.interrupted else EXIT_OK


def _run(store: review.ReviewStore, todo: Plan, policy: Any, client: Any,
         maps_dir: Path | None) -> Summary:
    from twinproof.batch.progress import BatchProgress
    from twinproof.batch.runner import run

    with BatchProgress(len(todo.tasks)) as bar:
        return run(store, todo, policy, client, maps_dir=maps_dir, progress=bar.update, note=bar.say)
