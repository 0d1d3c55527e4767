"""A generator's own bias for one talent, from her control frames (issue 23).

A control frame is the generator's twin of this very real frame, measured as a same frame: its
skin lightness, eye and jaw changes are what that generator does to her in the same light, read
with same-frame precision. Beside it stand that talent's new-shot twins from the same generator,
whose skin changes two different lights hide (at most a warning): if the control lightened her
skin by +9 L*, a new shot's +8 ± 38 is no longer an open question. Pure: stored results in,
rows out (``review.controls`` reads them; the CLI prints them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

from twinproof.core.drift.inputs import generator_named
from twinproof.core.drift.measures import number_at

#: What is shown, and where each kind of pair holds it: a control's same-frame change, a new
#: shot's person-to-person change (her own range along the descriptor when she had references).
#: The same frame measures no face width (its face changes are per feature), so none is shown.
MEASURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "skin lightness ΔL*": ("skin.delta_L", ("skin.delta_L",)),
    "eyes %": ("face.changes.eyes.percent",
               ("face.identity_edits.eye_width.percent", "face.proportions.eye_width.percent")),
    "jaw %": ("face.changes.jaw.percent",
              ("face.identity_edits.jaw_width.percent", "face.proportions.jaw_width.percent")),
}
UNKNOWN = "generator unknown (no valid Content Credentials, no generator in its XMP)"


@dataclass
class GeneratorBias:
    generator: str
    #: Measure → each control frame's value (pair name, value).
    controls: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    #: Measure → each new-shot twin's value.
    new_shots: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def bias(self, measure: str) -> float | None:
        """The generator's own change of this measure for her: the median over her controls."""
        found = [v for _n, v in self.controls.get(measure, [])]
        return median(found) if found else None


def generator_bias(pairs: list[tuple[str, bool, dict[str, Any]]]) -> list[GeneratorBias]:
    """Per generator: her control frames' changes and her new-shot twins' (``pairs``: name,
    marked a control, stored result); generators without a control frame are left out."""
    out: dict[str, GeneratorBias] = {}
    for name, control, result in pairs:
        found = result.get("metrics")
        metrics: dict[str, Any] = found if isinstance(found, dict) else {}
        mode = str((result.get("analysis") or {}).get("mode") or "same_frame")
        if not control and mode != "new_shot":
            continue
        generator = generator_named(result)[0] or UNKNOWN  # the audit's order, past the reviewer
        group = out.setdefault(generator, GeneratorBias(generator))
        for label, (same, shot) in MEASURES.items():
            value = number_at(metrics, same) if control else next(
                (v for v in (number_at(metrics, p) for p in shot) if v is not None), None)
            if value is not None:
                (group.controls if control else group.new_shots).setdefault(label, []).append((name, value))
    return [g for g in out.values() if g.controls]
