"""How long a shoot audit of many stored pairs takes (issue: "seconds for 10,000 pairs").

    .venv/bin/python benchmarks/bench_drift.py [--pairs 10000] [--pg URL] [--repeat 3] [--no-sqlite] [--upkeep]

Stores ``--pairs`` analysed pairs in one shoot — each a real stored result (the sample
shoot's, ~100 KB of JSON with its landmarks, the largest kind) with its person measurements
drawn around a known pull — then times ``audit_shoot`` (read + statistics) cold, on SQLite,
and on PostgreSQL when a URL is given (or ``$TWINPROOF_TEST_PG_URL``), ``--repeat`` times each on
a fresh connection. Prints each time and the median. PostgreSQL is timed reading the stored
results themselves (as before migration 0007) and reading ``analyses.audit_parts`` (after).
``--upkeep`` runs what ``shoot analyze`` runs once its batch is stored (``batch.upkeep``:
VACUUM ANALYZE on PostgreSQL) before the first audit: without it the first audits meet the
just-written rows as a batch leaves them.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import fresh_pg_schema  # noqa: E402

from twinproof import review  # noqa: E402
from twinproof.batch.upkeep import after_batch  # noqa: E402
from twinproof.review import models as m  # noqa: E402
from twinproof.review.drift_source import audit_shoot  # noqa: E402

TEMPLATES = [json.loads((ROOT / "tests" / "data" / "results" / f"v1_{n}.json").read_text())
             for n in ("look02", "look03", "look05")]


def results(n: int, rng: np.random.Generator) -> list[dict]:
    out = []
    for i in range(n):
        r = copy.deepcopy(TEMPLATES[i % 3])
        changes = r["metrics"]["face"]["changes"]
        for name in ("eyes", "jaw", "nose", "lips"):
            changes[name]["percent"] = round(float(rng.normal(-1.0 if name == "jaw" else 0.0, 1.5)), 3)
        r["metrics"]["skin"]["delta_L"] = round(float(rng.normal(0.5, 1.0)), 3)
        out.append(r)
    return out


def fill(store: review.ReviewStore, n: int) -> None:
    shoot = review.create_shoot(store, "bench")
    talents = [review.add_talent(store, f"Talent {k}") for k in range(12)]
    rng = np.random.default_rng(24)
    batch = 1000
    with store.transaction() as session:
        for start in range(0, n, batch):
            count = min(batch, n - start)
            rows = [{"shoot_id": shoot.id, "name": f"p{start + i:05d}", "real_path": f"/r/{start + i}.jpg",
                     "real_sha256": "0" * 64, "twin_path": f"/t/{start + i}.jpg", "twin_sha256": "1" * 64,
                     "talent_id": talents[(start + i) % 12].id, "state": "unreviewed", "version": 1}
                    for i in range(count)]
            ids = session.scalars(insert(m.Pair).returning(m.Pair.id), rows).all()
            session.execute(insert(m.Analysis), [
                {"pair_id": pid, "result": res, "verdict": "pass", "real_sha256": "0" * 64,
                 "twin_sha256": "1" * 64, "model_versions": {}}
                for pid, res in zip(ids, results(count, rng), strict=True)])


def run(url: str, n: int, label: str, repeat: int = 3, compact: tuple[bool, ...] = (True,),
        upkeep: bool = False) -> None:
    store = review.open_store(url, reviewer="bench")
    try:
        t0 = time.perf_counter()
        if not any(s.name == "bench" for s in review.list_shoots(store)):  # --keep: filled before
            fill(store, n)
        filled = time.perf_counter() - t0
        if upkeep:  # what `shoot analyze` now does when its batch is stored
            done = after_batch(store)
            print(f"{label}: after the batch, {done.line() or 'nothing to do'}", flush=True)
    finally:
        store.close()
    for by, small in ((b, c) for c in compact for b in (None, "talent")):
        times = []
        for _ in range(repeat):
            store = review.open_store(url, reviewer="bench")  # a fresh connection each time
            try:
                t0 = time.perf_counter()
                found, audit = audit_shoot(store, "bench", by=by, compact=small)
                times.append(time.perf_counter() - t0)
            finally:
                store.close()
        jaw = next(d for d in audit.drifts if d.metric == "face.proportions.jaw_width.percent")
        how = "" if len(compact) == 1 else " from audit_parts" if small else " from the results"
        print(f"{label}{how}: {len(found.facts)} pairs audited{' by talent' if by else ''} in "
              f"{' / '.join(f'{t:.2f}' for t in times)} s, median {float(np.median(times)):.2f} s "
              f"(stored in {filled:.1f} s); jaw {jaw.test.median:+.2f} % "
              f"[{jaw.test.ci95[0]:+.2f}, {jaw.test.ci95[1]:+.2f}], systematic {jaw.systematic}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=10_000)
    ap.add_argument("--pg", default=os.environ.get("TWINPROOF_TEST_PG_URL"))
    ap.add_argument("--keep", type=Path, help="a SQLite file to fill once and audit again on later runs")
    ap.add_argument("--repeat", type=int, default=3, help="audits per figure (each on a fresh connection; median)")
    ap.add_argument("--no-sqlite", action="store_true")
    ap.add_argument("--upkeep", action="store_true",
                    help="run the batch's upkeep (PostgreSQL: VACUUM ANALYZE) after filling, as `shoot analyze` does")
    ap.add_argument("--results-first", action="store_true",
                    help="on PostgreSQL, time reading the results before audit_parts (default: after)")
    args = ap.parse_args()
    if args.keep:
        run(str(args.keep), args.pairs, "SQLite", args.repeat)
    elif not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run(str(Path(tmp) / "bench.twinproof"), args.pairs, "SQLite", args.repeat)
    if args.pg:
        with fresh_pg_schema(args.pg) as url:
            order = (False, True) if args.results_first else (True, False)  # the first meets the cold cache
            run(url, args.pairs, "PostgreSQL", args.repeat, order, args.upkeep)


if __name__ == "__main__":
    main()
