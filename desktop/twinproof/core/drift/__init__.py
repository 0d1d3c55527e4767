"""The shoot audit: a systematic pull of a shoot's twins, measurement by measurement.

Headless and database-free: it takes ``DriftInput`` rows (one pair's signed change of one
measurement, with its uncertainty when the result carries one) and returns a ``DriftAudit``
(per measurement the weighted median with its 95 % interval, counts each way, a corrected
test, the power; groups and their differences). ``review.drift_source`` reads the inputs from
the stored analyses of a shoot. See docs/audit.md.
"""

from twinproof.core.drift.audit import Contrast, Drift, DriftAudit, GroupAudit, Point
from twinproof.core.drift.inputs import DriftInput, PairFacts, drift_inputs, pair_facts, skin_tone_groups
from twinproof.core.drift.report import audit_json
from twinproof.core.drift.run import audit_drift
from twinproof.core.drift.settings import AuditSettings
from twinproof.core.drift.words import summary

__all__ = ["AuditSettings", "Contrast", "Drift", "DriftAudit", "DriftInput", "GroupAudit", "PairFacts", "Point",
           "audit_drift", "audit_json", "drift_inputs", "pair_facts", "skin_tone_groups", "summary"]
