"""Which pairs of a shoot need analysing, and why: missing, stale, or forced.

An analysis is *current* when it was made on the files' present content (the SHA-256 the
record holds for each file: import and ``shoot check`` keep them), by the same landmark
models (each model's sha256 in the shipped manifest), under the same policy (name and
version), with the pair's control mark, linked talent and the talent's reference portraits as they were
(``review.staleness``). Anything else is redone; ``force`` redoes every pair. The plan is read
in two queries (the newest analysis of each pair, without its result JSON but its mode reason
and what it was measured against; each talent's portraits now), so planning 100,000 pairs
costs a second, not 100,000 round trips. Each task carries what it will be measured against,
read when it is planned (``reference_basis.read_basis``): a portrait added while the batch
runs makes the analyses measured without it stale when they are stored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from twinproof.core.identity.likeness import TalentReferences
from twinproof.core.result.yardstick import CONTROL_MARK
from twinproof.review import models as m
from twinproof.review import staleness
from twinproof.review.db import ReviewStore
from twinproof.review.drift_source import resolve_shoots  # re-used: one shoot lookup
from twinproof.review.reference_basis import ReferenceBasis, read_basis
from twinproof.review.staleness import Basis


@dataclass(frozen=True)
class PairTask:
    """One pair to analyse: what a worker needs (paths; the policy travels with the run)."""

    pair_id: int
    name: str
    real_path: str
    twin_path: str
    #: Why it is analysed: "never analysed", "files changed", "policy changed", ...
    reason: str
    #: The linked talent's reference descriptors (likeness), read from the record by the client.
    talent: TalentReferences | None = None
    #: Marked a control frame: measured as a same frame (issue 23).
    control: bool = False
    #: Her reference portraits still on disk: the talent's own range as the yardstick (issue 23).
    references: tuple[str, ...] = ()
    #: What it is measured against, recorded with the analysis (``review.staleness``).
    basis: Basis | None = None


@dataclass(frozen=True)
class Plan:
    """The pairs to analyse and how many were already up to date."""

    tasks: list[PairTask]
    up_to_date: int
    shoots: list[str]

    @property
    def total(self) -> int:
        return len(self.tasks) + self.up_to_date


def current_model_hashes(manifest: Path | None = None) -> dict[str, str]:
    """Each shipped model's sha256, from ``models/manifest.json`` (read as JSON: the client
    plans without loading ONNX Runtime)."""
    if manifest is None:
        from twinproof.paths import model_path

        manifest = model_path("manifest.json")
    data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    return {str(name): str(spec.get("sha256", "")) for name, spec in data.get("models", {}).items()
            if isinstance(spec, dict)}


def stale_reason(
    analysis: Mapping[str, Any] | None,
    pair_hashes: tuple[str, str],
    policy: tuple[str, str],
    models: Mapping[str, str],
    *,
    control: bool = False,
    talent_id: int | None = None,
    now: staleness.TalentNow | None = None,
) -> str | None:
    """Why the stored ``analysis`` (its record columns) no longer holds, or None if it does.

    ``models`` maps each current model to its sha256; a stored analysis names the models it
    used with a checksum prefix (``"... sha256:7437cbc7800439b5"``), so any prefix of 12+ hex
    digits found in the stored entry counts as the same file. A model added since (a new
    measurement) makes old analyses stale too. ``control`` is the pair's mark now,
    ``talent_id`` its linked talent and ``now`` the talent's portraits now: against the analysis'
    ``mode_reason``, ``talent_id``, ``reference_ids`` and ``portrait_ids``
    (``review.staleness``), a mark, talent or portraits changed since make it stale too.
    """
    if analysis is None:
        return "never analysed"
    if (analysis["real_sha256"], analysis["twin_sha256"]) != pair_hashes:
        return "files changed"
    stored_policy = (analysis["policy_name"] or "", analysis["policy_version"] or "")
    if stored_policy != policy:
        return f"policy changed ({' '.join(stored_policy).strip() or 'none'} → {' '.join(policy)})"
    stored_models = analysis["model_versions"] or {}
    changed = sorted(name for name, digest in models.items()
                     if digest[:12] not in str(stored_models.get(name, "")))
    if changed:
        return "models changed (" + ", ".join(changed) + ")"
    was_control = str(analysis.get("mode_reason") or "").startswith(CONTROL_MARK)
    return staleness.reason(control, was_control, talent_id, analysis.get("talent_id"),
                            analysis.get("reference_ids"), analysis.get("portrait_ids"), now)


def plan(
    store: ReviewStore,
    shoot: str | None,
    policy: tuple[str, str],
    *,
    force: bool = False,
    models: Mapping[str, str] | None = None,
) -> Plan:
    """The active pairs of ``shoot`` (every shoot when None) that need an analysis.

    ``policy`` is the (name, version) the run will judge by. Broken pairs are left out.
    """
    shoots = resolve_shoots(store, shoot)
    models = current_model_hashes() if models is None else models
    newest = (select(m.Analysis.pair_id, func.max(m.Analysis.id).label("aid"))
              .group_by(m.Analysis.pair_id).subquery())
    query = (
        select(m.Pair.id, m.Pair.name, m.Pair.real_path, m.Pair.twin_path, m.Pair.talent_id, m.Pair.real_sha256,
               m.Pair.twin_sha256, m.Analysis.real_sha256, m.Analysis.twin_sha256,
               m.Analysis.policy_name, m.Analysis.policy_version, m.Analysis.model_versions, m.Pair.control,
               m.Analysis.talent_id, m.Analysis.reference_ids, m.Analysis.portrait_ids,
               staleness.mode_reason_column())
        .join(newest, newest.c.pair_id == m.Pair.id, isouter=True)
        .join(m.Analysis, m.Analysis.id == newest.c.aid, isouter=True)
        .where(m.Pair.broken_at.is_(None), m.Pair.shoot_id.in_([i for i, _ in shoots]))
        .order_by(m.Pair.shoot_id, m.Pair.id)
    )
    tasks: list[PairTask] = []
    up_to_date = 0
    with store.transaction() as session:
        rows = list(session.execute(query))
        now = staleness.talents_now(session, (row[4] for row in rows))
    read: dict[int | None, ReferenceBasis] = {None: ReferenceBasis(staleness.Basis(None))}
    for (pid, name, real, twin, talent_id, real_sha, twin_sha, a_real, a_twin, p_name, p_version,
         a_models, control, a_talent, a_refs, a_portraits, mode_reason) in rows:
        analysis = None if a_real is None else {
            "real_sha256": a_real, "twin_sha256": a_twin, "policy_name": p_name,
            "policy_version": p_version, "model_versions": a_models, "talent_id": a_talent,
            "reference_ids": a_refs, "portrait_ids": a_portraits, "mode_reason": mode_reason}
        reason = "forced" if force else stale_reason(
            analysis, (real_sha, twin_sha), policy, models, control=bool(control), talent_id=talent_id,
            now=now.get(talent_id) if talent_id is not None else None)
        if reason is None:
            up_to_date += 1
        else:
            if talent_id not in read:  # the talent's portraits' files hashed once per talent
                read[talent_id] = read_basis(store, talent_id)
            basis = read[talent_id]
            tasks.append(PairTask(int(pid), str(name), str(real), str(twin), reason, basis.talent,
                                  bool(control), basis.files, basis.basis))
    return Plan(tasks, up_to_date, [n for _, n in shoots])
