"""Which flag an annotation answers: the flag's ``metric``, the dotted path of the measurement it
judged (``face.changes.lips.percent``).

Annotations used to link by (category, region), which does not name one flag: an annotation
with no region matched every flag of its category, and two face-shape flags share the region
"face" (the overall shape and the face length). A metric names exactly one measurement, so the
app and the sheet match an annotation to the one flag on that measurement.

Migration 0004 fills the metric of annotations linked the old way from the flags of the pair's
stored analysis, with :func:`linked_metric`; a link that matches no flag, or several on
different measurements, is left without one (it is not guessed) and keeps its old category and
region, which the sheet still prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def linked_metric(flags: Iterable[dict[str, Any]], category: str, region: str | None) -> str | None:
    """The one measurement among ``flags`` (stored flag objects) that an old (category, region)
    link meant, or None when it matched none or several."""
    metrics = {str(f.get("metric")) for f in flags
               if f.get("category") == category and (region is None or f.get("region") == region)
               and f.get("metric")}
    return metrics.pop() if len(metrics) == 1 else None


def link_words(flag_metric: str) -> str:
    """The linked measurement as a reader says it ("Lips change"), the path itself when this
    TwinProof does not describe it (a result from a newer one)."""
    from twinproof.core.result import BY_PATH

    found = BY_PATH.get(flag_metric)
    return found.label if found is not None else flag_metric


def annotations_on(flag_metric: str, annotations: Iterable[Any]) -> list[Any]:
    """The annotations linked to the flag on ``flag_metric``."""
    return [a for a in annotations if a.flag_metric == flag_metric]
