"""A database's refusal as the review layer's typed error, in the words of the rule that refused.

The database holds the review rules too (PostgreSQL rule functions and triggers, SQLSTATE class
``TP``; the SQLite triggers and the partial unique index of migrations 0008 and 0009), for a
client that goes around the review layer. When one of them refuses a write the layer let through
(an older client, a race between two reviewers), ``ReviewStore.transaction`` turns the driver's
error into the :class:`ReviewError` subclass the app and the CLI already handle.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import text as sql_text
from sqlalchemy.exc import DBAPIError

#: How the SQLite trigger of migration 0009 begins its refusal (``basis_0009.SQLITE_REFUSAL``).
SQLITE_STALE = "TwinProof: cannot approve: the pair's newest analysis is stale"


def rule_error(exc: DBAPIError) -> Exception | None:
    """The typed error for a refusal by one of the database's rule functions (SQLSTATE class
    ``TP``, see ``migrations/rules_0003.py``), worded as the database worded it."""
    from twinproof.review import errors

    state = str(getattr(exc.orig, "sqlstate", "") or "")
    if SQLITE_STALE in str(exc.orig):  # the SQLite trigger of 0009 (a fixed sentence)
        return errors.StaleAnalysisError(str(exc.orig))
    if not state.startswith("TP"):
        return None
    diag = getattr(exc.orig, "diag", None)
    message = str(getattr(diag, "message_primary", None) or exc.orig)
    if state == "TP005" and getattr(diag, "table_name", None) == "pairs":  # the pair rule (0008)
        return errors.PairingError(message)
    kinds: dict[str, type[Exception]] = {
        "TP001": errors.ReasonRequiredError, "TP002": errors.OverrideRequiredError,
        "TP003": errors.ConflictError, "TP004": errors.NotFoundError, "TP006": errors.StaleAnalysisError}
    return kinds.get(state, errors.ReviewError)(message)


#: The partial unique index of migration 0008 (a twin is in one active pair of its shoot), as
#: PostgreSQL names it and as SQLite describes it (SQLite does not name the index).
ACTIVE_TWIN_INDEX = "uq_pairs_active_twin"
_SQLITE_ACTIVE_TWIN = "UNIQUE constraint failed: pairs.shoot_id, pairs.twin_path"


def pair_rule_error(engine: Engine, exc: DBAPIError) -> Exception | None:
    """A write refused by ``uq_pairs_active_twin`` (a client that skipped the check, or two
    reviewers pairing one twin at the same moment) as the pair rule words it, naming the twin
    and the pair it is already in when the statement says which; None for any other error."""
    from twinproof.review.errors import PairingError

    diag = getattr(exc.orig, "diag", None)
    if getattr(diag, "constraint_name", None) != ACTIVE_TWIN_INDEX and _SQLITE_ACTIVE_TWIN not in str(exc.orig):
        return None
    try:  # naming the pair is a courtesy: a failure here must not hide the refusal
        for shoot_id, twin in _inserted_twins(exc):
            with engine.connect() as conn:
                name = conn.execute(sql_text("SELECT name FROM pairs WHERE shoot_id = :s AND twin_path = :t "
                                             "AND broken_at IS NULL ORDER BY id LIMIT 1"),
                                    {"s": shoot_id, "t": twin}).scalar()
            if name is not None:
                return PairingError(f"{Path(twin).name} is already the twin of pair {name!r}: a twin is in "
                                    "one pair only (break that pair first)")
    except (DBAPIError, KeyError, TypeError, ValueError):
        pass
    return PairingError("this twin is already the twin of another pair of the shoot: a twin is in one "
                        "pair only (break that pair first)")


def _inserted_twins(exc: DBAPIError) -> list[tuple[Any, str]]:
    """(shoot id, twin path) of each row the failed INSERT INTO pairs wrote (none for another
    statement): named parameters on PostgreSQL, positional ones (one or more rows) on SQLite."""
    head = re.match(r"\s*INSERT INTO pairs \(([^)]*)\)", str(exc.statement or ""))
    if head is None:
        return []
    params = exc.params
    rows: list[dict[str, Any]] = []
    for one in params if isinstance(params, list) else [params]:
        if isinstance(one, dict):  # PostgreSQL; several rows at once: shoot_id__0, shoot_id__1, ...
            by_row: dict[str, dict[str, Any]] = {}
            for key, value in one.items():
                column, _, row = key.partition("__")
                by_row.setdefault(row, {})[column] = value
            rows += by_row.values()
        elif isinstance(one, tuple):
            columns = [c.strip() for c in head.group(1).split(",")]
            rows += [dict(zip(columns, one[i:i + len(columns)], strict=True))
                     for i in range(0, len(one) - len(columns) + 1, len(columns))]
    return [(r["shoot_id"], str(r["twin_path"])) for r in rows if "shoot_id" in r and "twin_path" in r]
