"""The audit's thresholds, from the policy's ``[audit]`` section."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

DEFAULTS: dict[str, float] = {
    "min_pairs": 8, "min_group_pairs": 5, "error_rate": 0.05, "power": 0.8,
    "min_effect_percent": 1.0, "min_effect_lightness": 1.0, "min_effect_hue_deg": 2.0,
    "min_effect_identity": 0.03,
}


@dataclass(frozen=True)
class AuditSettings:
    min_pairs: int = 8
    min_group_pairs: int = 5
    error_rate: float = 0.05
    power: float = 0.8
    effects: dict[str, float] = field(default_factory=lambda: {
        k: v for k, v in DEFAULTS.items() if k.startswith("min_effect")})
    #: How many measurements are tested at once (Holm's family; set by the audit).
    family_size: int = 1

    def min_effect(self, key: str) -> float:
        return float(self.effects.get(key, 0.0))

    def with_family(self, size: int) -> AuditSettings:
        return replace(self, family_size=max(1, size))

    @classmethod
    def from_policy(cls, policy: Any) -> AuditSettings:
        """From a ``Policy`` (its ``[audit]`` section; the defaults above where it has none)."""
        section = dict(DEFAULTS)
        section.update(getattr(policy, "sections", {}).get("audit", {}) if policy is not None else {})
        error = float(section["error_rate"])
        if not 0 < error < 1:
            raise ValueError(f"[audit] error_rate must be between 0 and 1, got {error}")
        return cls(int(section["min_pairs"]), int(section["min_group_pairs"]), error, float(section["power"]),
                   {k: float(v) for k, v in section.items() if k.startswith("min_effect")})
