"""After a batch on PostgreSQL: VACUUM ANALYZE the tables it wrote, so the first audits do not pay.

A batch writes one analysis (~30–100 KB of JSONB, toasted), an audit event and a pair's version per
pair: 10,000 pairs are about 1 GB of new rows. Until PostgreSQL has looked at them, the first
reader pays twice: every tuple's visibility is checked against the commit log and its hint bits
written back (the reader dirties the pages it reads), and the planner has no statistics for the
new rows (it planned a nested loop over 4.5 M rows for 3,000 pairs: audit24c). The first shoot
audits after 1 GB of results took 9–15 s where the settled database took 2–3 s. Autovacuum gets
there eventually, on its own schedule; the batch knows the moment the writing is done.

``VACUUM (ANALYZE)`` sets the hint bits and the visibility map and gathers the statistics, table
by table, outside a transaction (it cannot run inside one). Only the tables' owner (or, from
PostgreSQL 17, a role granted MAINTAIN) may; for a reviewer role PostgreSQL would only warn and
skip, so this asks first and says so instead. SQLite has no hint bits and TwinProof keeps no
statistics there (adding sqlite_stat1 would change every plan the SQLite benchmarks measured):
nothing is done on SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from twinproof.review.db import ReviewStore

#: What a batch writes: the analyses, the audit trail (analysis and file events), the pairs
#: (a content change bumps a pair's version and hashes), and the portraits' file states.
TABLES = ("analyses", "audit_events", "pairs", "talent_references")


@dataclass
class Upkeep:
    """What was done after the batch, for its summary."""

    tables: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Why nothing (or not everything) was done, in words; None when every table was done.
    skipped: str | None = None

    def line(self) -> str | None:
        """One line for the batch's summary (None on SQLite: nothing to say)."""
        if self.skipped is not None:
            return f"database statistics: {self.skipped}"
        if not self.tables:
            return None
        return f"database statistics updated (VACUUM ANALYZE {', '.join(self.tables)}) in {self.seconds:.1f} s"


def _may_maintain(conn: Connection, table: str, maintain_privilege: bool) -> bool:
    """Whether the connected role may VACUUM ``table`` (owner, superuser, or MAINTAIN on 17+)."""
    query = ("SELECT pg_has_role(current_user, c.relowner, 'USAGE') "
             "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
             + (" OR has_table_privilege(c.oid, 'MAINTAIN')" if maintain_privilege else "")
             + " FROM pg_class c WHERE c.oid = to_regclass(:t)")
    return bool(conn.execute(text(query), {"t": table}).scalar())


def after_batch(store: ReviewStore, tables: tuple[str, ...] = TABLES,
                note: Callable[[str], None] | None = None) -> Upkeep:
    """VACUUM ANALYZE ``tables`` on PostgreSQL when this role may; what was done. ``note`` is told
    before it starts (on 1 GB of new results it takes seconds). Ctrl+C stops it: the results are
    stored already, only the statistics are left to autovacuum."""
    done = Upkeep()
    if store.backend != "postgresql":
        return done
    if note is not None:
        note("updating the database's statistics (VACUUM ANALYZE) so the first audits are not slow ...")
    started = time.perf_counter()
    refused = []
    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
            for table in tables:
                if not _may_maintain(conn, table, version >= 170000):
                    refused.append(table)
                    continue
                conn.execute(text(f"VACUUM (ANALYZE) {conn.dialect.identifier_preparer.quote(table)}"))
                done.tables.append(table)
    except DBAPIError as exc:  # the server went away, a lock: the batch's results are stored anyway
        done.skipped = f"not updated ({' '.join(str(exc.orig).split())}); autovacuum will catch up"
    except KeyboardInterrupt:
        done.skipped = "interrupted; autovacuum will catch up (every result is stored)"
    done.seconds = time.perf_counter() - started
    if refused and done.skipped is None:
        done.skipped = (f"{', '.join(refused)} left to autovacuum (only the database's owner may VACUUM them; "
                        "the first audits may be slower until it runs)")
    return done
