"""Analysis of one real/twin pair: load, align, measure, flag, and a verdict.

This is the one entry point the CLI, the app's background workers and the export use. It is a
plain function with a ``progress`` callback and a ``cancel`` token (anything with
``is_set()``, e.g. ``threading.Event``) checked between steps, so a GUI can run it on a
worker thread, show progress and stop it without this module knowing about Qt.

Measurements are *steps*: functions ``(AlignedPair, Policy) -> StepResult``. Structure and
colour live in :mod:`twinproof.core.measure_image`; face, body, skin, texture and garment
steps add themselves to :data:`STEPS` the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from twinproof import __version__
from twinproof.core import registration as reg_mod
from twinproof.core.errors import AnalysisCancelled
from twinproof.core.flags import Flag, Verdict, verdict
from twinproof.core.imageio import LoadedImage, load_image
from twinproof.core.policy import Policy, load_policy

SCHEMA_VERSION = 1
RESAMPLER = "INTER_AREA (real), INTER_AREA + bilinear warp (twin)"


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


ProgressFn = Callable[[float, str], None]


@dataclass
class Measurement:
    """One named measurement: its fields, or ``None`` with the reason it could not be made."""

    name: str
    value: dict[str, Any] | None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.value is None:
            return {"value": None, "reason": self.reason or "not measured"}
        return dict(self.value)


@dataclass
class AlignedPair:
    """The pair at the working size, the twin resampled onto the real frame."""

    real: LoadedImage
    twin: LoadedImage
    registration: reg_mod.Registration
    factor: float
    real_work: np.ndarray
    twin_work: np.ndarray
    overlap: np.ndarray
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def working_size(self) -> tuple[int, int]:
        return int(self.real_work.shape[1]), int(self.real_work.shape[0])

    @property
    def overlap_fraction(self) -> float:
        return float(self.overlap.mean())


@dataclass
class StepResult:
    measurements: list[Measurement] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    maps: dict[str, np.ndarray] = field(default_factory=dict)
    required_missing: list[str] = field(default_factory=list)


Step = Callable[[AlignedPair, Policy], StepResult]


@dataclass
class PairAnalysis:
    """Everything known about a pair: JSON-ready results plus maps for the heat-map overlays."""

    pair: AlignedPair
    policy: Policy
    metrics: dict[str, Measurement]
    flags: list[Flag]
    verdict: Verdict
    missing_required: list[str]
    maps: dict[str, np.ndarray]
    seconds: float

    def _models(self) -> dict[str, Any]:
        """Model files behind the landmark measurements ({} when none ran)."""
        lm = self.metrics.get("landmarks")
        return dict(lm.value.get("models", {})) if lm is not None and lm.value is not None else {}

    def to_dict(self) -> dict[str, Any]:
        p = self.pair
        return {
            "schema": SCHEMA_VERSION,
            "twinproof_version": __version__,
            "real": p.real.describe(),
            "twin": p.twin.describe(),
            "registration": p.registration.to_dict(p.overlap_fraction),
            "analysis": {
                "working_size": list(p.working_size),
                "working_scale": round(p.factor, 6),
                "resampler": RESAMPLER,
                "seconds": round(self.seconds, 3),
            },
            "metrics": {name: m.to_dict() for name, m in self.metrics.items()},
            "models": self._models(),
            "flags": [f.to_dict() for f in self.flags],
            "verdict": self.verdict,
            "missing_required": list(self.missing_required),
            # With its thresholds, so a stored or exported result can always be read against
            # the limits it was judged by, whatever policy is in force later.
            "policy": self.policy.to_dict(),
        }


def default_steps() -> list[Step]:
    """Every measurement, in order: landmarks come before colour so the scene's colour can be
    judged apart from the person's (skin and garment have categories of their own)."""
    from twinproof.core.fidelity import fidelity_steps
    from twinproof.core.measure_image import colour_step, registration_step, structure_step

    landmark_step, *person_steps = fidelity_steps()
    return [registration_step, structure_step, landmark_step, colour_step, *person_steps]


def image_steps() -> list[Step]:
    """Structure and colour only (no landmark models): fast, and all a non-person image needs."""
    from twinproof.core.measure_image import colour_step, registration_step, structure_step

    return [registration_step, structure_step, colour_step]


def align(
    real: LoadedImage,
    twin: LoadedImage,
    working_long_side: int,
    registration: reg_mod.Registration | None = None,
) -> AlignedPair:
    """Register (unless a registration is given, e.g. by hand) and resample to the working size."""
    reg = registration or reg_mod.register(real.pixels, twin.pixels)
    real_small, factor = reg_mod.resize_long_side(real.pixels, working_long_side)
    twin_aligned, overlap = reg_mod.warp_to_real(twin.pixels, reg, (real.width, real.height), factor)
    scale = np.float32(65535.0 if real.pixels.dtype == np.uint16 else 255.0)
    tscale = np.float32(65535.0 if twin.pixels.dtype == np.uint16 else 255.0)
    real_work = real_small.astype(np.float32) / scale
    twin_work = twin_aligned.astype(np.float32) / tscale
    return AlignedPair(real, twin, reg, factor, real_work, twin_work, overlap)


def analyze_images(
    real: LoadedImage,
    twin: LoadedImage,
    policy: Policy | None = None,
    *,
    registration: reg_mod.Registration | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    steps: list[Step] | None = None,
) -> PairAnalysis:
    """Analyse two loaded images; see :func:`analyze_pair`."""
    t0 = time.perf_counter()
    policy = policy or load_policy()
    report = progress or (lambda _f, _m: None)

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise AnalysisCancelled()

    report(0.1, "aligning")
    check()
    pair = align(real, twin, int(policy.get("analysis", "working_long_side")), registration)
    metrics: dict[str, Measurement] = {}
    flags: list[Flag] = []
    maps: dict[str, np.ndarray] = {}
    missing: list[str] = []
    todo = steps if steps is not None else default_steps()
    for i, step in enumerate(todo):
        check()
        report(0.2 + 0.8 * i / max(1, len(todo)), step.__name__.removesuffix("_step"))
        result = step(pair, policy)
        metrics.update({m.name: m for m in result.measurements})
        flags.extend(result.flags)
        maps.update(result.maps)
        missing.extend(result.required_missing)
    for name in policy.get("analysis", "required"):
        m = metrics.get(name)
        if m is not None and m.value is None and name not in missing:
            missing.append(name)
    report(1.0, "done")
    return PairAnalysis(pair, policy, metrics, flags, verdict(flags, missing), missing, maps,
                        time.perf_counter() - t0)


def analyze_pair(
    real_path: str | Path,
    twin_path: str | Path,
    policy: Policy | None = None,
    *,
    max_pixels: int | None = None,
    registration: reg_mod.Registration | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> PairAnalysis:
    """Load, align and measure a real photograph and its twin.

    Raises a typed :class:`~twinproof.core.errors.ImageLoadError` for an unusable file and
    :class:`~twinproof.core.errors.AnalysisCancelled` if ``cancel`` was set.
    """
    if progress:
        progress(0.0, "loading")
    real = load_image(real_path, max_pixels=max_pixels)
    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled()
    twin = load_image(twin_path, max_pixels=max_pixels)
    return analyze_images(real, twin, policy, registration=registration, progress=progress,
                          cancel=cancel)
