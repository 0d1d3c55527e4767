"""How fast the review record writes and lists, on SQLite and (when TWINPROOF_TEST_PG_URL is
set) PostgreSQL, since the rules moved into the database (migration 0003): ``decide()`` is one
call of ``twinproof_decide`` on PostgreSQL, and a pair's state a subquery on every listing.

    .venv/bin/python benchmarks/bench_review.py [--decisions 300] [--pairs 1000]

Prints commits per second for decide() and revoke_consent() (suspending N approvals), and
the time to list N pairs with their derived states.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import fresh_pg_schema

from twinproof import review


def run(url: str, folder: Path, decisions: int, pairs: int) -> None:
    real, twin = folder / "real", folder / "twin"
    real.mkdir(exist_ok=True)
    twin.mkdir(exist_ok=True)
    for n in range(pairs):
        (real / f"p{n:05d}.jpg").write_bytes(f"r{n}".encode())
        (twin / f"p{n:05d}.png").write_bytes(f"t{n}".encode())
    store = review.open_store(url, reviewer="bench")
    try:
        ids = [p.id for p in review.import_shoot(store, real, twin, campaign="SS27").added]
        review.add_talent(store, "Ana Silva")
        today = date.today()
        consent = review.add_consent(store, "Ana Silva", contract_ref="C-1", starts_on=today,
                                     expires_on=today + timedelta(days=9), no_release_reason="paper original")
        review.link_talent(store, ids, "Ana Silva")
        start = time.perf_counter()
        for n in range(decisions):
            review.decide(store, ids[n % len(ids)], "approved")
        took = time.perf_counter() - start
        print(f"  decide(): {decisions / took:.0f} commits/s ({1000 * took / decisions:.2f} ms each)")
        start = time.perf_counter()
        listed = review.list_pairs(store)
        took = time.perf_counter() - start
        print(f"  list_pairs(): {len(listed)} pairs with their derived state in {1000 * took:.0f} ms")
        approved = sum(p.state == "approved" for p in listed)
        start = time.perf_counter()
        suspended = review.revoke_consent(store, consent.id, "bench")
        took = time.perf_counter() - start
        print(f"  revoke_consent(): {len(suspended)} of {approved} approvals suspended in {1000 * took:.0f} ms")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", type=int, default=300)
    parser.add_argument("--pairs", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite (file, synchronous=FULL)")
        run(str(Path(tmp) / "bench.twinproof"), Path(tmp), args.decisions, args.pairs)
    pg = os.environ.get("TWINPROOF_TEST_PG_URL")
    if pg:
        with tempfile.TemporaryDirectory() as tmp, fresh_pg_schema(pg) as url:
            print("PostgreSQL (rule functions)")
            run(url, Path(tmp), args.decisions, args.pairs)
    else:
        print("PostgreSQL: set TWINPROOF_TEST_PG_URL to measure it")


if __name__ == "__main__":
    main()
