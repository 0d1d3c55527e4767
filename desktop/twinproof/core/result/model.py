"""The analysis of one pair as a typed result: what the CLI prints, the record stores, the app
and every export read. ``to_json``/``from_json`` are the only ways in and out of JSON; a
stored result of an older schema is upgraded first (``upgrade.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from twinproof.core.result.codec import OMIT, decode, encode
from twinproof.core.result.measurements import Metrics, Uncertainty
from twinproof.core.result.types import Against, Flag, Mode, Unmeasured, Verdict

SCHEMA_VERSION = 4


@dataclass(frozen=True)
class ImageInfo:
    path: str
    width: int
    height: int
    format: str
    mode: str
    bit_depth: int
    frames: int
    colour_handling: list[str]


@dataclass(frozen=True)
class RegistrationInfo:
    """The twin→real similarity (full-resolution pixels). Its confidence and overlap are
    measurements (``metrics.alignment``)."""

    scale: float
    rotation_deg: float
    shift_px: tuple[float, float]
    method: str
    inliers: int
    matches: int
    matrix: list[list[float]]


@dataclass(frozen=True)
class AnalysisInfo:
    working_size: tuple[int, int]
    working_scale: float
    resampler: str
    seconds: float
    mode: Mode = Mode.SAME_FRAME
    mode_reason: str = ""
    #: Schema 4: what every judged value without an uncertainty was measured against (the real
    #: photo of a same frame or of a control frame, or another shot); a new-shot value with an
    #: uncertainty says its own (``Uncertainty.against``).
    against: Against = Against.REAL_PHOTO


@dataclass(frozen=True)
class PolicyInfo:
    """The policy the pair was judged by, thresholds included, so a stored result can always be
    read against its own limits whatever policy is in force later."""

    name: str
    version: str
    source: str
    thresholds: dict[str, dict[str, Any]]

    def limit(self, section: str, key: str) -> float | None:
        value = self.thresholds.get(section, {}).get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class AnalysisResult:
    schema: int
    twinproof_version: str
    real: ImageInfo
    twin: ImageInfo
    registration: RegistrationInfo | None
    analysis: AnalysisInfo
    metrics: Metrics
    models: dict[str, dict[str, str]]
    flags: list[Flag]
    verdict: Verdict
    missing_required: list[str]
    policy: PolicyInfo
    #: The twin's Content Credentials as read when it was analysed (the app adds them).
    provenance: dict[str, Any] | None = field(default=None, metadata=OMIT)
    #: A new shot's uncertainty of each judged value, by metric path (schema 3).
    uncertainty: dict[str, Uncertainty] | None = field(default=None, metadata=OMIT)
    #: A new shot: the edits these two photographs cannot reveal, and why (schema 3).
    cannot_reveal: list[str] | None = field(default=None, metadata=OMIT)

    def to_json(self) -> dict[str, Any]:
        return dict(encode(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnalysisResult:
        """Read a stored or printed result of any schema this program knows (DecodeError if not)."""
        from twinproof.core.result.upgrade import upgrade

        return decode(cls, upgrade(data))

    def value(self, path: str) -> Any:
        """The value at a dotted path under ``metrics`` (None when absent; an ``Unmeasured`` as is)."""
        node: Any = self.metrics
        for part in path.split("."):
            if node is None or isinstance(node, Unmeasured):
                return node
            node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
        return node

    def uncertainty_of(self, path: str) -> Uncertainty | None:
        return (self.uncertainty or {}).get(path)

    def flags_on(self, path: str) -> list[Flag]:
        return [f for f in self.flags if f.metric == path]

    @property
    def mode(self) -> Mode:
        return self.analysis.mode
