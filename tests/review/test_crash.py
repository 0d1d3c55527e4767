"""Kill -9 a process in the middle of a burst of decisions: nothing committed is lost and the
database is consistent (SQLite: integrity_check; both: every pair's cached state matches its
newest decision, every decision has its audit event)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from twinproof import review
from twinproof.review import models as m

CHILD = """
import sys
from twinproof import review
store = review.open_store(sys.argv[1], reviewer="burst")
pair_ids = [int(x) for x in sys.argv[2].split(",")]
i = 0
while True:
    pid = pair_ids[i % len(pair_ids)]
    state = ("rejected", "changes_requested")[(i // len(pair_ids)) % 2]
    rec = review.decide(store, pid, state, reasons=["artefact"], comment=f"burst {i}")
    sys.stdout.write(f"{rec.id} {pid} {state}\\n")
    sys.stdout.flush()
    i += 1
"""


def test_sigkill_mid_burst_loses_nothing_committed(store, db_url, pairs):
    ids = ",".join(str(p.id) for p in pairs.values())
    started = time.monotonic()
    with subprocess.Popen([sys.executable, "-c", CHILD, db_url, ids], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None and child.stderr is not None
        reported = []
        while len(reported) < 25 and time.monotonic() < started + 30:
            line = child.stdout.readline()
            if not line:
                break
            reported.append(line.split())
        os.kill(child.pid, signal.SIGKILL)
        reported += [line.split() for line in child.stdout.read().splitlines()]
        child.wait(10)
        errors = child.stderr.read()
    assert child.returncode == -signal.SIGKILL, errors
    assert len(reported) >= 25, errors

    if store.backend == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    with store.transaction() as session:
        decisions = {d.id: d for d in session.scalars(select(m.Decision))}
        audited = {e.detail["decision_id"] for e in session.scalars(
            select(m.AuditEvent).where(m.AuditEvent.event == "decision"))}
        for decision_id, pair_id, state in reported:
            row = decisions[int(decision_id)]
            assert (row.pair_id, row.state, row.reviewer) == (int(pair_id), state, "burst")
        # At most the one decision being reported at the kill is committed but unreported.
        assert len(reported) <= len(decisions) <= len(reported) + 1
        assert audited == set(decisions)
        for pair in session.scalars(select(m.Pair)):
            newest = session.scalar(select(func.max(m.Decision.id)).where(
                m.Decision.pair_id == pair.id))
            assert pair.state == decisions[newest].state
    # The database is still fully usable by the next reviewer.
    review.decide(store, pairs["look01"].id, "rejected", reasons=["other"], reason_text="ok")
