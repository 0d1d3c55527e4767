"""Analyses stored with their pairs, and detecting files whose content changed since.

The review layer never runs the analysis itself (``twinproof.batch.recording`` does, for the
app, the batch and the CLI); it stores the one typed :class:`RecordedAnalysis` with the policy
and model versions and the file hashes it was computed on, so a later content change marks it
as out of date.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinproof.review import models as m
from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind, record
from twinproof.review.db import ReviewStore
from twinproof.review.recorded import RecordedAnalysis
from twinproof.review.records import AnalysisRecord
from twinproof.review.reference_basis import basis_now, read_basis, record_file_states
from twinproof.review.shoots import change_file, hash_file, latest_analysis_row, load_pair


def json_safe(value: Any) -> Any:
    """The dict as strict JSON: NaN/inf become null (PostgreSQL's JSONB refuses them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    return json_safe(json.loads(json.dumps(value, default=str)))


def store_analysis(
    store: ReviewStore,
    pair_id: int,
    analysed: RecordedAnalysis,
    *,
    policy_version: str | None = None,
    model_versions: dict[str, str] | None = None,
) -> AnalysisRecord:
    """Store one analysis as the pair's current analysis (``analyse_and_record`` makes it).

    The policy's name and version come from the result (``policy_version`` overrides the
    version). ``analysed.hashes`` are the hashes of the bytes that were analysed, taken right
    before: when they differ from the pair's, the files were edited since import, which is
    recorded (audited) here, so the analysis is stamped with what it really measured. Without
    them, the pair's stored hashes are used (import or ``check_files`` right before analysing).
    ``analysed.basis`` is what it was measured against (``reference_basis.read_basis``), kept
    with it so the record can tell when it no longer holds (``review.staleness``); without it,
    the references the record holds now.
    """
    result = analysed.to_json()
    policy_name = analysed.result.policy.name
    policy_version = policy_version or analysed.result.policy.version
    models = dict(model_versions or _model_versions(analysed.result.models))
    with store.transaction() as session:
        pair = load_pair(session, pair_id)
        if analysed.hashes is not None:
            for side in ("real", "twin"):
                digest = getattr(analysed.hashes, side)
                if digest != getattr(pair, f"{side}_sha256"):
                    _content_changed(session, store, pair, side, digest)
        basis = analysed.basis
        if basis is None:
            basis = basis_now(session, pair.talent_id)
        else:  # what reading the talent's portraits saw of their files, kept first (audited)
            record_file_states(session, store.reviewer, basis.observed)
        if pg_rules.on_postgres(session):  # the database stamps the hashes and audits
            stored = session.get(m.Analysis, pg_rules.store_analysis(
                session, pair.id, result, policy_name, policy_version, models, store.reviewer, basis))
            assert stored is not None
            return AnalysisRecord.of(stored)
        row = m.Analysis(
            pair_id=pair.id, result=result, verdict=analysed.verdict,
            policy_name=policy_name, policy_version=policy_version, model_versions=models,
            real_sha256=pair.real_sha256, twin_sha256=pair.twin_sha256, talent_id=basis.talent_id,
            reference_ids=list(basis.references), portrait_ids=list(basis.portraits),
        )
        session.add(row)
        session.flush()
        record(session, store.reviewer, AuditEventKind.ANALYSIS,
               f"{pair.name}: analysed, verdict {row.verdict or 'none'}", pair_id=pair.id,
               shoot_id=pair.shoot_id, verdict=row.verdict, policy_version=row.policy_version,
               model_versions=row.model_versions, analysis_id=row.id)
        return AnalysisRecord.of(row)


def _content_changed(session: Session, store: ReviewStore, pair: m.Pair, side: str,
                     digest: str) -> None:
    """Take a file's new content hash and audit it (one wording for every way it is found)."""
    change_file(session, store.reviewer, pair, side, None, digest, f"{side} image content changed")


def _model_versions(models: dict[str, dict[str, str]]) -> dict[str, str]:
    """Which model files made the landmarks (name -> source package and checksum prefix)."""
    return {str(name): " ".join(str(part) for part in (
        info.get("source"), info.get("sha256") and f"sha256:{info['sha256']}") if part)
        for name, info in models.items()}


def latest_analysis(store: ReviewStore, pair_id: int) -> AnalysisRecord | None:
    with store.transaction() as session:
        load_pair(session, pair_id)
        row = latest_analysis_row(session, pair_id)
        return AnalysisRecord.of(row) if row else None


def analysis_history(store: ReviewStore, pair_id: int) -> list[AnalysisRecord]:
    query = select(m.Analysis).where(m.Analysis.pair_id == pair_id).order_by(m.Analysis.id)
    with store.transaction() as session:
        return [AnalysisRecord.of(r) for r in session.scalars(query)]


@dataclass(frozen=True)
class FileChange:
    pair_id: int
    pair_name: str
    side: Literal["real", "twin"]
    path: str
    status: Literal["changed", "missing", "unreadable"]


def check_files(store: ReviewStore, shoot_id: int | None = None) -> list[FileChange]:
    """Re-hash every active pair's files; record changed content (audited) and report it. The
    reference portraits of the talents linked to those pairs are re-hashed too and their file
    states recorded (audited): an analysis that measured one since edited is then stale.

    A missing or unreadable file is reported but the stored hash is kept: the drive may just
    be unmounted, the permissions fixed.
    """
    query = select(m.Pair.id, m.Pair.name, m.Pair.real_path, m.Pair.twin_path).where(
        m.Pair.broken_at.is_(None)
    )
    if shoot_id is not None:
        query = query.where(m.Pair.shoot_id == shoot_id)
    with store.transaction() as session:
        pairs = list(session.execute(query))
    current: dict[tuple[int, str], str | None] = {}
    unreadable: set[tuple[int, str]] = set()
    by_path: dict[str, str | None] = {}  # a real frame with several twins is read once
    for pair_id, _name, real, twin in pairs:
        for side, path in (("real", real), ("twin", twin)):
            try:
                if path not in by_path:
                    by_path[path] = hash_file(path) if Path(path).is_file() else None
                current[pair_id, side] = by_path[path]
            except OSError:  # permissions, an I/O error: say so, check the other files
                current[pair_id, side] = None
                unreadable.add((pair_id, side))
    portraits = [read_basis(store, t).basis for t in _linked_talents(store, shoot_id)]
    changes: list[FileChange] = []
    with store.transaction() as session:
        for basis in portraits:  # the talent's portrait files: an edited one is left out of the talent's range
            record_file_states(session, store.reviewer, basis.observed)
        for pair_id, name, real, twin in pairs:
            pair = load_pair(session, pair_id)
            sides: tuple[tuple[Literal["real", "twin"], str], ...] = (("real", real), ("twin", twin))
            for side, path in sides:
                digest = current[pair_id, side]
                if (pair_id, side) in unreadable:
                    changes.append(FileChange(pair_id, name, side, path, "unreadable"))
                elif digest is None:
                    changes.append(FileChange(pair_id, name, side, path, "missing"))
                elif digest != getattr(pair, f"{side}_sha256"):
                    changes.append(FileChange(pair_id, name, side, path, "changed"))
                    _content_changed(session, store, pair, side, digest)
    return changes


def _linked_talents(store: ReviewStore, shoot_id: int | None) -> list[int]:
    """The talents linked to the active pairs (of one shoot, or of every shoot)."""
    query = select(m.Pair.talent_id).where(m.Pair.broken_at.is_(None), m.Pair.talent_id.is_not(None)).distinct()
    if shoot_id is not None:
        query = query.where(m.Pair.shoot_id == shoot_id)
    with store.transaction() as session:
        return sorted(int(t) for t in session.scalars(query) if t is not None)
