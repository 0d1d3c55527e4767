"""The drift audit of a whole shoot: each metric's drift (``audit``), then, when asked, the
same by group (``groups``). A module above both, so that neither imports the other back (the
entry point was in ``audit``, which imported ``groups``, which imports ``audit``)."""

from __future__ import annotations

from twinproof.core.drift.audit import DriftAudit, _judge, by_metric, measure_drift
from twinproof.core.drift.groups import group_audit
from twinproof.core.drift.inputs import DriftInput
from twinproof.core.drift.measures import BY_METRIC
from twinproof.core.drift.settings import AuditSettings


def audit_drift(inputs: list[DriftInput], settings: AuditSettings, *, by: str | None = None) -> DriftAudit:
    """The audit of a shoot's inputs, with groups when ``by`` is given."""
    grouped = by_metric(inputs)
    settings = settings.with_family(len(grouped))
    drifts = [measure_drift(BY_METRIC[m], items, settings) for m, items in grouped.items()]
    pairs = len({i.pair_id for i in inputs})
    groups = group_audit(grouped, settings, by) if by else None
    return DriftAudit(pairs, settings, tuple(_judge(drifts, settings)), groups)
