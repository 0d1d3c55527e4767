"""A shoot's stored analyses as the drift audit's inputs (``core.drift``), read in one query.

The audit never re-runs an analysis: it reads the newest stored result of every active pair
(upgraded to the current schema like every reader does), takes the person measurements from
it, and joins the pair's talent. A result that cannot be read is counted and left out, with
the reason, rather than stopping the audit of ten thousand pairs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from statistics import median
from typing import Any

from sqlalchemy import Select, column, func, literal_column, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased

from twinproof.core.drift import AuditSettings, DriftAudit, PairFacts, audit_drift, drift_inputs, pair_facts
from twinproof.core.drift.inputs import ReferenceSkin, generator_sources, talent_lightness
from twinproof.core.result.codec import DecodeError
from twinproof.core.result.upgrade import CURRENT
from twinproof.review import models as m
from twinproof.review.db import ReviewStore
from twinproof.review.errors import NotFoundError
from twinproof.review.migrations.generator_0007 import AUDIT_PARTS_PATHS
from twinproof.review.real_photos import photographs, skin_readings


@dataclass(frozen=True)
class ShootFacts:
    """What the audit read: the pairs' facts, and what it could not use."""

    shoots: list[str]
    facts: list[PairFacts]
    active_pairs: int
    not_analysed: int
    out_of_date: int
    unreadable: list[str] = field(default_factory=list)
    #: Each analysed pair's real photograph (pair id -> the SHA-256 its analysis measured): a real
    #: shared by several twins is one photograph (``review.real_photos``).
    reals: dict[int, str] = field(default_factory=dict)

    @property
    def real_photographs(self) -> int:
        """How many distinct real photographs the analysed pairs were measured on."""
        return photographs(self.facts, self.reals)


#: The parts of a stored result the audit reads, fetched by the database's own JSON path
#: operators (SQLite ``json_extract``): a same-frame result is ~100 KB, nearly all of it
#: landmarks and mesh points the audit never needs. PostgreSQL keeps exactly these parts beside
#: each result (``analyses.audit_parts``, a generated column, migration 0007): a change here needs
#: a migration that regenerates that column.
PARTS: tuple[tuple[str, ...], ...] = AUDIT_PARTS_PATHS


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


def _with_parts(query: Select[Any], dialect: str, compact: bool = True) -> Select[Any]:
    """The query with the result's ``PARTS`` as one JSON array column. SQLite parses a JSON
    document per ``json_extract`` call, so one call takes every path. PostgreSQL reads them from
    ``analyses.audit_parts`` (a few KB a pair instead of detoasting ~100 KB); ``compact=False``
    reads them from the result itself, each detoasted once (the benchmark's before)."""
    if dialect == "sqlite":
        return query.add_columns(func.json_extract(m.Analysis.result, *("$." + ".".join(p) for p in PARTS)))
    if dialect != "postgresql":
        return query.add_columns(func.json_array(*(m.Analysis.result[p] for p in PARTS)))
    if compact:
        return query.add_columns(literal_column("analyses.audit_parts"))
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
    joined = query.join(top, true(), isouter=True).join(mx, true(), isouter=True)
    return joined.add_columns(func.jsonb_build_array(*parts))


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


def read_shoot(store: ReviewStore, shoot: str | None = None, *, compact: bool = True) -> ShootFacts:
    """The newest analysis of every active pair of ``shoot`` (by name or id; None: every shoot).
    A pair's generator is the one a reviewer named, else its twin's valid Content Credentials."""
    shoots = resolve_shoots(store, shoot)
    # the newest analysis of each pair, found per pair through ix_analyses_pair_id: a GROUP BY
    # over all analyses joined back was planned as a nested loop right after a bulk write (no
    # statistics yet: 4.5 million join-filter rows for 3,000 pairs, 0.8 s; quadratic)
    older = aliased(m.Analysis)
    newest = (select(func.max(older.id)).where(older.pair_id == m.Pair.id)
              .correlate(m.Pair).scalar_subquery())
    query = (
        select(m.Pair.id, m.Pair.name, m.Talent.name, m.Pair.real_sha256, m.Pair.twin_sha256,
               m.Analysis.real_sha256, m.Analysis.twin_sha256, m.Pair.control, m.Pair.generator)
        .join(m.Talent, m.Talent.id == m.Pair.talent_id, isouter=True)
        .join(m.Analysis, m.Analysis.id == newest, isouter=True)
        .where(m.Pair.broken_at.is_(None), m.Pair.shoot_id.in_([i for i, _ in shoots]))
        .order_by(m.Pair.id)
    )
    full: Select[Any] = _with_parts(query, store.engine.dialect.name, compact)  # type: ignore[arg-type]
    with store.transaction() as session:
        rows: list[Any] = list(session.execute(full))
    facts: list[PairFacts] = []
    unreadable: list[str] = []
    reals: dict[int, str] = {}
    not_analysed = out_of_date = 0
    for pid, name, talent, real_sha, twin_sha, a_real, a_twin, control, generator, parts in rows:
        if a_real is None:
            not_analysed += 1
            continue
        out_of_date += (a_real, a_twin) != (real_sha, twin_sha)
        try:
            values = json.loads(parts) if isinstance(parts, str) else parts
            facts.append(pair_facts(int(pid), str(name), assemble(list(values)), talent=talent,
                                    control=True if control else None, generator=generator or None))
            reals[int(pid)] = str(a_real)
        except (DecodeError, TypeError, ValueError, AttributeError) as exc:
            unreadable.append(f"{name}: {exc}")
    return ShootFacts([n for _, n in shoots], facts, len(rows), not_analysed, out_of_date, unreadable, reals)


def reference_skin(store: ReviewStore, talents: set[str]) -> ReferenceSkin:
    """Talent name → (median skin L* of her active reference portraits, how many had one), for
    the talents named, from the skin each portrait's reading kept when it was added
    (``core.portrait_skin``; a portrait added before that has none and is not counted)."""
    if not talents:
        return {}
    with store.transaction() as session:
        rows = session.execute(
            select(m.Talent.name, m.TalentReference.quality)
            .join(m.TalentReference, m.TalentReference.talent_id == m.Talent.id)
            .where(m.Talent.name.in_(sorted(talents)), m.TalentReference.removed_at.is_(None))).all()
    found: dict[str, list[float]] = {}
    for name, quality in rows:
        lab = quality.get("skin_lab") if isinstance(quality, dict) else None
        if isinstance(lab, list) and lab and isinstance(lab[0], int | float) and math.isfinite(lab[0]):
            found.setdefault(str(name), []).append(float(lab[0]))
    return {t: (median(v), len(v)) for t, v in found.items()}


def audit_shoot(store: ReviewStore, shoot: str | None = None, *, by: str | None = None,
                settings: AuditSettings | None = None, compact: bool = True) -> tuple[ShootFacts, DriftAudit]:
    """Read a shoot and audit it (``by``: "talent", "generator" or "skin-tone"). Skin tones come
    from the talents' reference portraits where they have them, else from the shoot's real photos,
    each photograph once however many twins it is the real of (``review.real_photos``);
    ``origins`` says which, and where each pair's generator came from."""
    found = read_shoot(store, shoot, compact=compact)
    refs = reference_skin(store, {f.talent for f in found.facts if f.talent})
    skin, tones = skin_readings(found.facts, found.reals, refs)
    audit = audit_drift(drift_inputs(found.facts, skin), settings or AuditSettings(), by=by)
    origins = {"generator": generator_sources(found.facts), "skin_tone": tones}
    return found, replace(audit, skin_lightness=talent_lightness(found.facts, skin), origins=origins)
