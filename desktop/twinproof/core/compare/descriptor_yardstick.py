"""A new shot's face read against the talent's own range in the identity descriptor's space (issue 23).

``identity.edit_directions`` learns, from the talent's portraits, where a slimmed jaw, a wider
face and larger eyes move her descriptor, and how far her own portraits stray along each without
an edit. Here the twin is read along them and judged by the one rule (``result.judge``): flagged
only past the policy's limit for that proportion and outside ±U, where U is her own spread pooled
with the spread other people's portraits showed (a talent with 3 portraits cannot know her own
spread alone): σ² = (ν₀σ₀² + (n − 1)s²) / (ν₀ + n − 1), U = t(ν₀ + n − 1) · σ · √(1 + 1/n) at the
policy's confidence. σ₀ and ν₀ are measured on both calibration sets
(``benchmarks/newshot_edit_directions.py --write``).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np

from twinproof.core.compare.shot_findings import Findings, change, confidence, no_verdict
from twinproof.core.identity import FaceIdentity
from twinproof.core.identity.edit_directions import (
    TWIN_JOINS,
    PortraitProbe,
    TalentDirections,
    combine,
    mirrored_descriptor,
    probe_portrait,
)
from twinproof.core.identity.probe_edits import PROBES
from twinproof.core.imageio import LoadedImage
from twinproof.core.policy import Policy
from twinproof.core.reading import cache
from twinproof.core.reading.read import ImageReading, image_key
from twinproof.core.result import Mode, judge
from twinproof.core.result.measurements import Change, Uncertainty
from twinproof.core.result.types import Against, Flag
from twinproof.paths import resource_path

PRIOR_FILE = ("calibration", "edit_directions.json")


@lru_cache(maxsize=1)
def load_prior() -> dict[str, tuple[float, float]]:
    """Edit → (σ₀ in edit-equivalent %, its degrees of freedom ν₀), as measured on other people."""
    data = json.loads(resource_path(*PRIOR_FILE).read_text(encoding="utf-8"))
    return {name: (float(v["sigma"]), float(v["dof"])) for name, v in data["edits"].items()}


def t_multiple(conf: float, dof: float) -> float:
    from scipy.stats import t

    return float(t.ppf((1 + conf) / 2, max(dof, 1.0)))


def plus_minus(own: tuple[float, ...], spread: float, prior: tuple[float, float], conf: float) -> tuple[float, float]:
    """±U at ``conf`` and the pooled σ of a twin read against the centre of her ``len(own)`` portraits."""
    n = len(own)
    sigma0, dof0 = prior
    dof = dof0 + n - 1
    sigma = math.sqrt((dof0 * sigma0 ** 2 + (n - 1) * spread ** 2) / dof)
    return t_multiple(conf, dof) * sigma * math.sqrt(1 + 1 / n), sigma


def direction_verdict(name: str, value: float, pm: float, n: int, conf: float, policy: Policy,
                      text: str) -> tuple[Flag | None, Uncertainty]:
    """One reading along her ``name`` direction judged by the one rule (``judge`` and, where it
    raised no flag, ``no_verdict``): the benchmark calls this very function."""
    path = f"face.identity_edits.{name}.percent"
    why = [f"the talent's own range across {n} portraits (read along the direction the portraits moved when warped "
           f"{PROBES[name]:+g} %)"]
    unc = Uncertainty(round(pm, 3), conf, why, against=Against.HER_PORTRAITS, portraits=n)
    flag = judge(path, round(value, 2), policy, name.split("_")[0],
                 f"{text} in the identity model's reading, outside the talent's own range across {n} portraits",
                 mode=Mode.NEW_SHOT, uncertainty=unc)
    said = f"the talent's own range across {n} portraits is this wide (more reference portraits narrow it)"
    judged_unc = no_verdict(path, flag, unc, policy, [said])
    assert judged_unc is not None
    return flag, judged_unc


def direction_findings(directions: TalentDirections, descriptor: object, policy: Policy,
                       prior: dict[str, tuple[float, float]] | None = None) -> Findings:
    """The twin's edit-equivalent readings along her directions, each with its ± and verdict."""
    prior = prior if prior is not None else load_prior()
    conf = confidence(policy)
    out = Findings()
    readings = directions.read(descriptor)  # type: ignore[arg-type]
    found: dict[str, Change] = {}
    n = directions.portraits
    for name, value in readings.items():
        d = directions.directions[name]
        pm, _sigma = plus_minus(d.own, d.spread(), prior[name], conf)
        path = f"face.identity_edits.{name}.percent"
        found[name] = ch = change(name, value)
        flag, out.uncertainty[path] = direction_verdict(name, value, pm, n, conf, policy, ch.text)
        if flag is not None:
            out.flags.append(flag)
    out.metric = found
    return out


#: Raised when how directions are learned changes (cached probes are not reused).
DIRECTIONS_VERSION = "2"


def _portrait_probe(image: LoadedImage, reading: ImageReading, pixels: np.ndarray,
                    min_face_px: float) -> PortraitProbe | None:
    """One portrait's enrolment probes, read once per portrait content and model versions (adding
    a portrait does not read the others again)."""
    face = reading.landmarks.face
    if face is None:
        return None
    key = image_key(image)
    return cache.cached(None if key is None else ("portrait_probe", DIRECTIONS_VERSION, f"{min_face_px:g}", *key),
                        lambda: probe_portrait(pixels, face, min_face_px))


def her_probes(images: list[LoadedImage], own: list[tuple[ImageReading, np.ndarray]],
               min_face_px: float) -> list[PortraitProbe]:
    """Her portraits' enrolment probes (``images`` and their readings, in the same order)."""
    probes = [_portrait_probe(image, reading, pixels, min_face_px)
              for image, (reading, pixels) in zip(images, own, strict=False)]
    return [p for p in probes if p is not None]


def identity_edit_findings(images: list[LoadedImage], own: list[tuple[ImageReading, np.ndarray]],
                           twin: ImageReading, policy: Policy, twin_pixels: np.ndarray) -> Findings | str:
    """The twin against the talent's own range along her edit directions, or why it cannot be read. The
    twin is probed like a portrait (its mirror-averaged descriptor, and its own shifts join the
    directions: ``combine``)."""
    if not isinstance(twin.identity, FaceIdentity) or twin.landmarks.face is None:
        reason = twin.identity.reason if not isinstance(twin.identity, FaceIdentity) else "no face found"
        return f"the twin's face cannot be identified ({reason})"
    min_face_px = policy.number("identity", "min_face_px")
    probes = her_probes(images, own, min_face_px)
    twin_probe = probe_portrait(twin_pixels, twin.landmarks.face, min_face_px, TWIN_JOINS)
    directions = combine(probes, twin=twin_probe)
    if isinstance(directions, str):
        return directions
    descriptor = (twin_probe.descriptor if twin_probe is not None
                  else mirrored_descriptor(twin_pixels, twin.landmarks.face, min_face_px))
    if descriptor is None:
        return "the twin's face cannot be identified"
    return direction_findings(directions, descriptor, policy)
