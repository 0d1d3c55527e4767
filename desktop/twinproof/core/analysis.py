"""Analysis of one real/twin pair: load, align, measure, flag, and a verdict.

This is the one entry point the CLI, the app's background workers and the export use. It is a
plain function with a ``progress`` callback and a ``cancel`` token (anything with
``is_set()``, e.g. ``threading.Event``) checked between steps, so a GUI can run it on a
worker thread, show progress and stop it without this module knowing about Qt.

Measurements are *steps*: functions ``(AlignedPair, Policy) -> StepResult`` (``context.py``).
Alignment, structure and colour live in :mod:`twinproof.core.measure_image`; landmarks, face,
body, skin, texture and garment in :mod:`twinproof.core.fidelity`. Their findings are
assembled here into the typed :class:`~twinproof.core.result.AnalysisResult`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import cv2
import numpy as np

from twinproof import __version__
from twinproof.core import read_ahead, real_memo
from twinproof.core import registration as reg_mod
from twinproof.core.context import AlignedPair, Step, StepResult
from twinproof.core.errors import AnalysisCancelled
from twinproof.core.flags import verdict
from twinproof.core.imageio import LoadedImage, load_image
from twinproof.core.mode import decide as decide_mode
from twinproof.core.policy import Policy, load_policy
from twinproof.core.result import (
    SCHEMA_VERSION,
    AnalysisInfo,
    AnalysisResult,
    Flag,
    ImageInfo,
    Mode,
    PolicyInfo,
    RegistrationInfo,
    Unmeasured,
)
from twinproof.core.result.codec import decode
from twinproof.core.result.measurements import Landmarks, Metrics, Uncertainty
from twinproof.core.result.types import Against

if TYPE_CHECKING:
    from twinproof.core.identity.likeness import TalentReferences

RESAMPLER = "INTER_AREA (real), INTER_AREA + bilinear warp (twin)"


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


ProgressFn = Callable[[float, str], None]


@dataclass
class PairAnalysis:
    """The typed result of a pair, plus what only this run has: the aligned pixels and the maps
    for the heat-map overlays."""

    pair: AlignedPair
    policy: Policy
    result: AnalysisResult
    maps: dict[str, np.ndarray]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_json()


def default_steps() -> list[Step]:
    """Every measurement. Steps share what they compute through ``AlignedPair.shared``, made on
    first use, so their order only decides the order of progress messages."""
    from twinproof.core.fidelity import fidelity_steps
    from twinproof.core.measure_image import colour_step, registration_step, structure_step

    landmark_step, *person_steps = fidelity_steps()
    return [registration_step, structure_step, landmark_step, colour_step, *person_steps]


def new_shot_steps() -> list[Step]:
    """A new shot, person to person: no pixel comparison, each image read on its own."""
    from twinproof.core.compare.new_shot import (
        shot_body_step,
        shot_face_step,
        shot_garment_step,
        shot_image_step,
        shot_skin_step,
    )
    from twinproof.core.fidelity import without_models
    from twinproof.core.fidelity.identity_step import identity_step
    from twinproof.core.fidelity.landmark_step import landmark_step

    named = [(identity_step, "identity"), (shot_face_step, "face"), (shot_body_step, "body"),
             (shot_skin_step, "skin"), (shot_garment_step, "garment")]
    return [shot_image_step, landmark_step, *(without_models(step, name) for step, name in named)]


def image_steps() -> list[Step]:
    """Alignment, structure and colour only (no landmark models): all a non-person image needs."""
    from twinproof.core.measure_image import colour_step, registration_step, structure_step

    return [registration_step, structure_step, colour_step]


def align(
    real: LoadedImage,
    twin: LoadedImage,
    working_long_side: int,
    registration: reg_mod.Registration | None = None,
) -> AlignedPair:
    """Register (unless a registration is given, e.g. by hand) and resample to the working size.

    Each image is used at the cheapest decode that holds the working size (a DCT-scaled JPEG:
    ``LoadedImage.at_scale``); the registration is kept in full-resolution pixels."""
    reg = registration or _register(real, twin)
    w, h = real.width, real.height
    factor = min(1.0, working_long_side / max(w, h)) if working_long_side else 1.0
    size = (max(1, round(w * factor)), max(1, round(h * factor)))

    def real_working() -> np.ndarray:
        real_px, _ = real.at_scale(factor)
        small = real_px if real_px.shape[1::-1] == size else cv2.resize(real_px, size, interpolation=cv2.INTER_AREA)
        return small.astype(np.float32) / np.float32(65535.0 if real_px.dtype == np.uint16 else 255.0)

    # the real's working image (and what is made from it) is kept for its next twin
    key = None if real.content_hash is None else ("working", real.content_hash, factor, size)
    real_work = real_memo.working_image(key, real_working)
    twin_px, ts = twin.at_scale(min(1.0, factor * reg.scale))
    on_decoded = dataclasses.replace(reg, matrix=reg.matrix * np.array([[1 / ts, 1 / ts, 1.0]]))
    twin_aligned, overlap = reg_mod.warp_to_real(twin_px, on_decoded, (w, h), factor)
    tscale = np.float32(65535.0 if twin_px.dtype == np.uint16 else 255.0)
    twin_work = twin_aligned.astype(np.float32) / tscale
    return AlignedPair(real, twin, reg, factor, real_work, twin_work, overlap)


def _register(real: LoadedImage, twin: LoadedImage) -> reg_mod.Registration:
    """Register the two decodes as loaded (at least the registration's own size) and express the
    transform in full-resolution pixels: real = (1/rs) · M · (ts · twin)."""
    from twinproof.core.reading.read import content_key

    # the features depend on the pixels alone: not on the landmark models (whose manifest may be
    # unreadable, which must cost the face measurements, not the analysis)
    key = content_key(real)
    found = reg_mod.register(real.decoded, twin.decoded, real_key=None if key is None else ("registration", *key))
    m = found.matrix.copy()
    m[:, :2] *= twin.scale / real.scale
    m[:, 2] /= real.scale
    return dataclasses.replace(found, matrix=m)


def load_long_side(policy: Policy) -> int | None:
    """The long side images are decoded at for ``policy``: its working size, and never below
    the registration's (None: full resolution)."""
    working = int(policy.get("analysis", "working_long_side"))
    return max(working, reg_mod.REGISTRATION_LONG_SIDE) if working > 0 else None


def _registration_info(reg: reg_mod.Registration) -> RegistrationInfo:
    d = reg.to_dict()
    return RegistrationInfo(reg.scale, reg.rotation_deg, reg.shift_px, reg.method, reg.inliers, reg.matches,
                            d["matrix"])  # type: ignore[arg-type]


def _models(metrics: dict[str, Any]) -> dict[str, dict[str, str]]:
    lm = metrics.get("landmarks")
    return dict(lm.models) if isinstance(lm, Landmarks) else {}


def _blind_spots(uncertainty: dict[str, Uncertainty], policy: Policy) -> list[str] | None:
    """What these photographs cannot reveal, against the limits the pair was judged by."""
    from twinproof.core.compare.blind_spots import cannot_reveal

    return cannot_reveal(uncertainty, policy=policy) or None


#: Same-frame steps that may run on a spare core while the steps before them run here, and the
#: step after which each may start (None: once the mode is decided). Each reads only values
#: made before it starts (``_made_for``, on this thread) and shares no other with the steps it
#: overlaps: the body's optical flow beside structure, colour and the face; the garment (once
#: colour has made the pair's CIELAB) beside the face, skin and texture steps.
EARLY_STEPS: dict[str, str | None] = {"body_step": None, "garment_step": "colour_step"}


def early_plan(pair: AlignedPair) -> dict[str, str | None]:
    """:data:`EARLY_STEPS` for this pair, decided once before its steps run. A later twin of a
    kept real starts the garment with the body: its region and the real's CIELAB are the real's
    kept reading, and the twin's side is its own sampled pixels, so it need not wait for colour."""
    plan = dict(EARLY_STEPS)
    if real_memo.kept(pair.real_work, "lab") is not None:
        plan["garment_step"] = None
    return plan


def _made_for(name: str, pair: AlignedPair) -> None:
    """The shared values step ``name`` reads, made here before another thread reads them."""
    from twinproof.core.fidelity.landmark_step import person_mask

    person_mask(pair)
    if name == "garment_step":
        from twinproof.core.fidelity import whitebalance
        from twinproof.core.fidelity.skin import real_skin_lab

        real_skin_lab(pair)
        whitebalance.gains(pair)


def _start_early(todo: list[Step], pair: AlignedPair, policy: Policy, after: str | None,
                 plan: dict[str, str | None]) -> dict[int, Future[StepResult]]:
    """The steps of ``todo`` that ``plan`` (:func:`early_plan`) lets start ``after`` that step
    (None: now), started on a read-ahead thread, by position (their results, or their errors,
    are taken in turn: the result and its order are unchanged)."""
    names = [step.__name__ for step in todo]
    wanted = [i for i, name in enumerate(names) if name in plan and plan[name] == after
              and (after is None or after in names[:i])]
    if not wanted or pair.mode is not Mode.SAME_FRAME:
        return {}
    started = {}
    for i in wanted:
        try:
            _made_for(names[i], pair)
        except Exception:  # noqa: BLE001 - the step runs in its turn and meets it itself
            continue
        started[i] = read_ahead.start(todo[i], pair, policy)
    return {i: job for i, job in started.items() if job is not None}


#: Why a control frame is measured as a same frame (the mode line of its result).
CONTROL_REASON = "marked a control frame: the generator's twin of this very real frame, measured as a same frame"


def _against(mode: Mode, mode_reason: str) -> Against:
    """What a judged value without an uncertainty was measured against (schema 4 records it)."""
    if mode_reason == CONTROL_REASON:
        return Against.CONTROL
    return Against.REAL_PHOTO if mode is Mode.SAME_FRAME else Against.ANOTHER_SHOT


def analyze_images(
    real: LoadedImage,
    twin: LoadedImage,
    policy: Policy | None = None,
    *,
    registration: reg_mod.Registration | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    steps: list[Step] | None = None,
    talent: TalentReferences | None = None,
    references: list[LoadedImage] | None = None,
    control: bool = False,
) -> PairAnalysis:
    """Analyse two loaded images; see :func:`analyze_pair`."""
    t0 = time.perf_counter()
    policy = policy or load_policy()
    report = progress or (lambda _f, _m: None)

    def check() -> None:
        if cancel is not None and cancel.is_set():
            raise AnalysisCancelled()

    # the landmark models read each image on its own: ahead, on a spare core, while this
    # thread registers the pair; then the twin here, the real there
    ahead = read_ahead.read_people(real, twin, policy) if steps is None else None
    report(0.1, "aligning")
    check()
    pair = align(real, twin, int(policy.get("analysis", "working_long_side")), registration)
    if ahead is not None:
        read_ahead.share(twin)
    pair.talent = talent
    pair.references = references
    if steps is None and control:
        pair.mode, mode_reason = Mode.SAME_FRAME, CONTROL_REASON
    elif steps is None:
        check()
        report(0.15, "landmark")  # the mode is decided on the faces too: the landmark models run here
        pair.mode, mode_reason = decide_mode(pair, policy)
    else:
        mode_reason = "the caller chose the measurements"
    metrics: dict[str, Any] = {}
    flags: list[Flag] = []
    maps: dict[str, np.ndarray] = {}
    missing: list[str] = []
    uncertainty: dict[str, Uncertainty] = {}
    todo = steps if steps is not None else default_steps() if pair.mode is Mode.SAME_FRAME else new_shot_steps()
    plan = early_plan(pair)
    early = _start_early(todo, pair, policy, None, plan) if ahead is not None else {}
    for i, step in enumerate(todo):
        check()
        report(0.2 + 0.8 * i / max(1, len(todo)), step.__name__.removesuffix("_step"))
        job = early.get(i)
        found = job.result() if job is not None else step(pair, policy)
        if ahead is not None:
            early |= _start_early(todo, pair, policy, step.__name__, plan)
        metrics.update(found.metrics)
        flags.extend(found.flags)
        maps.update(found.maps)
        missing.extend(found.required_missing)
        uncertainty.update(found.uncertainty)
    for name in policy.get("analysis", "required"):
        measured = metrics.get(name)
        if isinstance(measured, Unmeasured) and not measured.not_applicable and name not in missing:
            missing.append(name)
    report(1.0, "done")
    seconds = time.perf_counter() - t0
    w, h = pair.working_size
    result = AnalysisResult(
        schema=SCHEMA_VERSION,
        twinproof_version=__version__,
        real=decode(ImageInfo, real.describe()),
        twin=decode(ImageInfo, twin.describe()),
        registration=_registration_info(pair.registration) if pair.mode is Mode.SAME_FRAME else None,
        analysis=AnalysisInfo((w, h), round(pair.factor, 6), RESAMPLER, round(seconds, 3), pair.mode, mode_reason,
                              _against(pair.mode, mode_reason)),
        metrics=Metrics(**metrics),
        models=_models(metrics),
        flags=flags,
        verdict=verdict(flags, missing),
        missing_required=missing,
        policy=PolicyInfo(**policy.to_dict()),
        uncertainty=uncertainty or None,
        cannot_reveal=_blind_spots(uncertainty, policy) if pair.mode is Mode.NEW_SHOT and steps is None else None,
    )
    return PairAnalysis(pair, policy, result, maps, seconds)


def analyze_pair(
    real_path: str | Path,
    twin_path: str | Path,
    policy: Policy | None = None,
    *,
    max_pixels: int | None = None,
    registration: reg_mod.Registration | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    talent: TalentReferences | None = None,
    references: Sequence[str | Path] | None = None,
    control: bool = False,
) -> PairAnalysis:
    """Load, align and measure a real photograph and its twin (and, given the linked talent's
    reference descriptors, the twin's likeness to her; given other photographs of the person,
    ``references``, a new shot's face is judged against her own range; a ``control`` frame, the
    generator's twin of this very real frame, is measured as a same frame whatever it looks like).

    Raises a typed :class:`~twinproof.core.errors.ImageLoadError` for an unusable file and
    :class:`~twinproof.core.errors.AnalysisCancelled` if ``cancel`` was set.
    """
    if progress:
        progress(0.0, "loading")
    policy = policy or load_policy()
    read_ahead.warm_sessions()  # the model sessions are made while the files decode
    long_side = load_long_side(policy)
    real = load_image(real_path, max_pixels=max_pixels, long_side=long_side)
    if cancel is not None and cancel.is_set():
        raise AnalysisCancelled()
    twin = load_image(twin_path, max_pixels=max_pixels, long_side=long_side)
    refs = [load_image(p, max_pixels=max_pixels, long_side=long_side) for p in references or []]
    return analyze_images(real, twin, policy, registration=registration, progress=progress,
                          cancel=cancel, talent=talent, references=refs or None, control=control)
