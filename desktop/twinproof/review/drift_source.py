"""A shoot's stored analyses as the drift audit's inputs (``core.drift``), read in one query.

The audit never re-runs an analysis: it reads the newest stored result of every active pair
(upgraded to the current schema like every reader does), takes the person measurements from
it, and joins the pair's talent. A result that cannot be read is counted and left out, with
the reason, rather than stopping the audit of ten thousand pairs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, column, func, select, true
from sqlalchemy.dialects.postgresql import JSONB

from twinproof.core.drift import AuditSettings, DriftAudit, PairFacts, audit_drift, drift_inputs, pair_facts
from twinproof.core.drift.inputs import talent_lightness
from twinproof.core.result.codec import DecodeError
from twinproof.core.result.upgrade import CURRENT
from twinproof.review import models as m
from twinproof.review.db import ReviewStore
from twinproof.review.errors import NotFoundError


@dataclass(frozen=True)
class ShootFacts:
    """What the audit read: the pairs' facts, and what it could not use."""

    shoots: list[str]
    facts: list[PairFacts]
    active_pairs: int
    not_analysed: int
    out_of_date: int
    unreadable: list[str] = field(default_factory=list)


#: The parts of a stored result the audit reads, fetched by the database's own JSON path
#: operators (SQLite ``json_extract``, PostgreSQL ``#>``): a same-frame result is ~100 KB,
#: nearly all of it landmarks and mesh points the audit never needs.
PARTS: tuple[tuple[str, ...], ...] = (
    ("schema",), ("analysis", "mode"), ("provenance",), ("metrics", "face", "changes"),
    ("metrics", "face", "proportions"), ("metrics", "body", "proportions"), ("metrics", "body", "widths"),
    ("metrics", "skin"), ("metrics", "texture"), ("metrics", "identity"), ("uncertainty",),
)


def assemble(parts: list[object]) -> dict[str, object]:
    """The fetched parts as a (sparse) result dict. The person measurements sit at the same
    paths in every schema this TwinProof reads (schema 1's upgrade touches none of them); a
    newer schema is refused like every reader refuses it."""
    out: dict[str, object] = {}
    for path, value in zip(PARTS, parts, strict=True):
        if value is None:
            continue
        node = out
        for key in path[:-1]:
            node = node.setdefault(key, {})  # type: ignore[assignment]
        node[path[-1]] = value
    schema = out.get("schema", 1)
    if not isinstance(schema, int) or schema > CURRENT:
        raise DecodeError(f"schema {schema!r} is newer than this TwinProof reads (newest {CURRENT}); update TwinProof")
    return out


def _with_parts(query: Select[Any], dialect: str) -> Select[Any]:
    """The query with the result's ``PARTS`` as columns, each stored result decompressed and
    parsed once. SQLite parses a JSON document per ``json_extract`` call, so one call takes
    every path (a JSON array back). PostgreSQL detoasts a JSONB value per operator: one
    ``jsonb_to_record`` unpacks the top level, a second the metrics, and the operators then
    work on those in-memory values (10,000 results of ~100 KB: ~4 s instead of ~25 s)."""
    if dialect == "sqlite":
        return query.add_columns(func.json_extract(m.Analysis.result, *("$." + ".".join(p) for p in PARTS)))
    if dialect != "postgresql":
        return query.add_columns(*(m.Analysis.result[p] for p in PARTS))
    top = (func.jsonb_to_record(m.Analysis.result)
           .table_valued(*(column(n, JSONB) for n in ("schema", "analysis", "provenance", "metrics", "uncertainty")))
           .render_derived(name="top", with_types=True).lateral())
    mx = (func.jsonb_to_record(top.c.metrics)
          .table_valued(*(column(n, JSONB) for n in ("face", "body", "skin", "texture", "identity")))
          .render_derived(name="mx", with_types=True).lateral())
    columns = {"schema": top.c.schema, "analysis": top.c.analysis, "provenance": top.c.provenance,
               "uncertainty": top.c.uncertainty, **mx.c}
    parts: list[Any] = []
    for path in PARTS:
        node: Any
        node, rest = (columns[path[1]], path[2:]) if path[0] == "metrics" else (columns[path[0]], path[1:])
        for key in rest:
            node = node[key]
        parts.append(node)
    return query.join(top, true(), isouter=True).join(mx, true(), isouter=True).add_columns(*parts)


def resolve_shoots(store: ReviewStore, shoot: str | None) -> list[tuple[int, str]]:
    """(id, name) of the shoot named (or numbered) ``shoot``, or of every shoot when None (the
    batch planner's lookup too: it lives here, in the review layer both may import)."""
    with store.transaction() as session:
        rows = [(int(i), str(n)) for i, n in session.execute(select(m.Shoot.id, m.Shoot.name).order_by(m.Shoot.id))]
    if shoot is None:
        return rows
    found = [r for r in rows if r[1] == shoot] or [r for r in rows if str(r[0]) == shoot]
    if not found:
        names = ", ".join(n for _, n in rows) or "none"
        raise NotFoundError(f"no shoot {shoot!r} in this database (shoots: {names})")
    return found


def read_shoot(store: ReviewStore, shoot: str | None = None) -> ShootFacts:
    """The newest analysis of every active pair of ``shoot`` (by name or id; None: every shoot)."""
    shoots = resolve_shoots(store, shoot)
    newest = (select(m.Analysis.pair_id, func.max(m.Analysis.id).label("aid"))
              .group_by(m.Analysis.pair_id).subquery())
    sqlite = store.engine.dialect.name == "sqlite"
    query = (
        select(m.Pair.id, m.Pair.name, m.Talent.name, m.Pair.real_sha256, m.Pair.twin_sha256,
               m.Analysis.real_sha256, m.Analysis.twin_sha256, m.Pair.control)
        .join(m.Talent, m.Talent.id == m.Pair.talent_id, isouter=True)
        .join(newest, newest.c.pair_id == m.Pair.id, isouter=True)
        .join(m.Analysis, m.Analysis.id == newest.c.aid, isouter=True)
        .where(m.Pair.broken_at.is_(None), m.Pair.shoot_id.in_([i for i, _ in shoots]))
        .order_by(m.Pair.id)
    )
    full: Select[Any] = _with_parts(query, store.engine.dialect.name)  # type: ignore[arg-type]
    with store.transaction() as session:
        rows: list[Any] = list(session.execute(full))
    facts: list[PairFacts] = []
    unreadable: list[str] = []
    not_analysed = out_of_date = 0
    for pid, name, talent, real_sha, twin_sha, a_real, a_twin, control, *found in rows:
        if a_real is None:
            not_analysed += 1
            continue
        out_of_date += (a_real, a_twin) != (real_sha, twin_sha)
        try:
            values = json.loads(found[0]) if sqlite else found
            facts.append(pair_facts(int(pid), str(name), assemble(values), talent=talent,
                                    control=True if control else None))
        except (DecodeError, TypeError, ValueError, AttributeError) as exc:
            unreadable.append(f"{name}: {exc}")
    return ShootFacts([n for _, n in shoots], facts, len(rows), not_analysed, out_of_date, unreadable)


def audit_shoot(store: ReviewStore, shoot: str | None = None, *, by: str | None = None,
                settings: AuditSettings | None = None) -> tuple[ShootFacts, DriftAudit]:
    """Read a shoot and audit it (``by``: "talent", "generator" or "skin-tone")."""
    found = read_shoot(store, shoot)
    audit = audit_drift(drift_inputs(found.facts), settings or AuditSettings(), by=by)
    return found, replace(audit, skin_lightness=talent_lightness(found.facts))
