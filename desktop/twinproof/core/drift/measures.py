"""Which person measurements a shoot audit follows, and how each is read from a stored result.

Only signed changes can drift, so each audited measurement is a signed number per pair:
a size change in % (+ larger in the twin), skin lightness ΔL* and hue Δh°, the change of fine
skin detail in %. Identity distance is a magnitude, always above zero: it is audited as the
twin's distance *beyond the talent's own same-person distance* (the spread among her
reference portraits), never against zero, and only where such references exist.

A same-frame pair and a new shot measure the same proportion under two names
(``face.changes.jaw.percent`` and ``face.proportions.jaw_width.percent``); the audit joins
them under the new-shot path, the one flags name for a new shot.

The jaw and the face width of a new shot have a better reading where the talent has reference
portraits: the twin read along her own edit directions in the identity model's space
(``face.identity_edits.*``), which follows ~87 % of a jaw edit where the mesh follows a quarter
to a third. Where a result has it, the audit takes that reading for the pair (weighed by its own
±) and says which measure each pair's number came from (``MEASURES``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist
from typing import Any

Metrics = dict[str, Any]


@dataclass(frozen=True)
class Audited:
    """One audited measurement: its id (a dotted path under ``metrics``), words and units."""

    metric: str
    label: str
    group: str
    unit: str  # "%", "L*", "°"
    more: str  # what + means, as a comparative ("wider")
    less: str  # what − means ("narrower")
    effect_key: str  # [audit] key: the smallest drift worth reporting, in this unit
    #: Smallest spread a pair is assumed to have (a floor for the empirical fallback).
    floor: float
    same_frame: str | None = None  # the same quantity's path in a same-frame result
    new_shot: bool = True  # measured for new shots at all
    reader: Callable[[Metrics, str], float | None] | None = None
    digits: int = 1
    #: A better new-shot reading of the same proportion, taken where the result has it.
    preferred: str | None = None


def number_at(metrics: Metrics, path: str) -> float | None:
    """The finite number at a dotted path of a stored ``metrics`` dict (None: absent or
    not measured, ``{"value": null, "reason": …}``)."""
    node = _node(metrics, path)
    if isinstance(node, bool) or not isinstance(node, int | float):
        return None
    return float(node) if math.isfinite(node) else None


@lru_cache(maxsize=256)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _node(metrics: Metrics, path: str) -> Any:
    node: Any = metrics
    for part in _parts(path):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _positive(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


#: Audited measurements whose stored uncertainty sits under another path, or in other units:
#: the audit derives the skin hue change from the stored Labs (the analysis judges ``hue_change``),
#: and states skin detail as 100·(ratio − 1) %.
UNCERTAINTY_OF = {"skin.delta_hue_deg": ("skin.hue_change", 1.0), "texture.ratio": ("texture.ratio", 100.0)}


def uncertainty_at(stored: Any, path: str) -> float | None:
    """The uncertainty of the value at ``path`` as one standard deviation, in the audit's unit,
    from a result's ``uncertainty`` (schema 3: metric path → ``{"plus_minus", "confidence"}``);
    None when the result carries none (same frames, results before schema 3).

    A stored ± is a two-sided interval at its ``confidence`` (0.99: about 2.6 σ); the audit's
    empirical fallback is a σ (1.4826·MAD). Both are put on the σ scale so that a control frame
    weighed by the fallback and a new shot weighed by its ± are weighed alike."""
    key, scale = UNCERTAINTY_OF.get(path, (path, 1.0))
    entry = stored.get(key) if isinstance(stored, dict) else None
    if not isinstance(entry, dict):
        return None
    plus_minus = _positive(entry.get("plus_minus"))
    confidence = entry.get("confidence")
    if plus_minus is None or isinstance(confidence, bool) or not isinstance(confidence, int | float) \
            or not 0.5 < confidence < 1.0:
        return None
    return scale * plus_minus / NormalDist().inv_cdf(0.5 + confidence / 2)


def _hue(lab: Any) -> float | None:
    if not (isinstance(lab, list) and len(lab) == 3 and all(isinstance(v, int | float) for v in lab)):
        return None
    a, b = float(lab[1]), float(lab[2])
    if math.hypot(a, b) < 4.0:  # near-grey skin (or a greyscale photo): no hue to speak of
        return None
    return math.degrees(math.atan2(b, a))


def skin_hue_change(metrics: Metrics, _: str) -> float | None:
    """Δh° of the median skin colour (twin − real, after each photo's correction); + is toward
    yellow, − toward red. None when either skin is too grey to have a hue."""
    skin = metrics.get("skin")
    if not isinstance(skin, dict):
        return None
    real, twin = _hue(skin.get("real_lab")), _hue(skin.get("twin_lab"))
    if real is None or twin is None:
        return None
    return (twin - real + 180.0) % 360.0 - 180.0


def texture_change(metrics: Metrics, _: str) -> float | None:
    """Fine skin detail of the twin against the real, as a signed % (−30: 30 % less detail)."""
    ratio = number_at(metrics, "texture.ratio")
    return None if ratio is None or ratio <= 0 else 100.0 * (ratio - 1.0)


def identity_excess(metrics: Metrics, _: str) -> float | None:
    """How much farther the twin is from the real photograph than the talent's own portraits
    are from each other (the middle of their min–max distance). None without two references."""
    distance = number_at(metrics, "identity.distance")
    spread = (metrics.get("identity") or {}).get("talent") if isinstance(metrics.get("identity"), dict) else None
    own = spread.get("own_spread") if isinstance(spread, dict) else None
    if distance is None or not (isinstance(own, list | tuple) and len(own) == 2):
        return None
    return distance - (float(own[0]) + float(own[1])) / 2


@dataclass(frozen=True)
class Measure:
    """Where a pair's number came from, in words, and how much of an edit it follows."""

    name: str
    follows: str
    #: The fraction of an edit the reading follows (median; 1.0 where not measured). Two
    #: measures of one proportion in one audit are weighed by response ÷ uncertainty: a mesh
    #: reading with a ± of 1 % that follows a quarter of the edit knows as much about the edit
    #: as a ± of 4 % that follows all of it (the locally most powerful sign-test weights).
    response: float = 1.0
    short: str = ""  # a few words for a plot's caption


#: The measures a face-shape number can come from (a path not here: the metric's own measure).
MEASURES = {
    "face.identity_edits.jaw_width.percent": Measure(
        "the identity model along the talent's own edit directions (reference portraits)",
        "about 87 % of a jaw edit (median of 24 twins, 36–122 %)", 0.87,
        "identity model, the talent's directions"),
    "face.identity_edits.face_width.percent": Measure(
        "the identity model along the talent's own edit directions (reference portraits)",
        "a face-width edit: response not measured", 1.0, "identity model, the talent's directions"),
    "face.proportions.jaw_width.percent": Measure(
        "the face mesh of each photograph", "a quarter to a third of a jaw edit (14–37 %)", 0.25, "face mesh"),
    "face.proportions.face_width.percent": Measure(
        "the face mesh of each photograph", "a face-width edit: response not measured", 1.0, "face mesh"),
    "face.changes.jaw.percent": Measure("the face mesh, frame against frame", "the whole jaw edit", 1.0,
                                        "face mesh, same frame"),
}


def measure_of(path: str) -> Measure | None:
    return MEASURES.get(path)


def response_of(path: str) -> float:
    known = MEASURES.get(path)
    return known.response if known else 1.0


def _shape(name: str, label: str, same_frame: str | None, *, more: str = "larger", less: str = "smaller",
           group: str = "Face", new_shot: bool = True, path: str | None = None,
           preferred: str | None = None) -> Audited:
    return Audited(path or f"face.proportions.{name}.percent", label, group, "%", more, less,
                   "min_effect_percent", 0.25, same_frame, new_shot, preferred=preferred)


AUDITED: tuple[Audited, ...] = (
    _shape("eye_width", "Eye width", "face.changes.eyes.percent", more="wider", less="narrower"),
    _shape("irises", "Iris size", "face.changes.irises.percent"),
    _shape("nose_width", "Nose width", "face.changes.nose.percent", more="wider", less="narrower"),
    _shape("jaw_width", "Jaw width", "face.changes.jaw.percent", more="wider", less="narrower",
           preferred="face.identity_edits.jaw_width.percent"),
    _shape("face_width", "Face width", None, more="wider", less="narrower",
           preferred="face.identity_edits.face_width.percent"),
    _shape("lips", "Lips", "face.changes.lips.percent", more="fuller", less="thinner", new_shot=False,
           path="face.changes.lips.percent"),
    *(_shape(n, n.replace("_to_", " ÷ ").replace("_", " ").capitalize(), f"body.proportions.{n}.percent",
             group="Body", path=f"body.proportions.{n}.percent")
      for n in ("shoulder_to_hip", "torso_to_leg", "arm_to_torso", "shoulder_to_head")),
    *(_shape(n, f"{n.capitalize()} width", f"body.widths.{n}.percent", group="Body", more="wider",
             less="slimmer", new_shot=False, path=f"body.widths.{n}.percent")
      for n in ("waist", "hips", "thighs")),
    Audited("skin.delta_L", "Skin lightness", "Skin", "L*", "lighter", "darker", "min_effect_lightness",
            0.25, "skin.delta_L"),
    Audited("skin.delta_hue_deg", "Skin hue", "Skin", "°", "yellower", "redder", "min_effect_hue_deg", 0.5,
            "skin.delta_hue_deg", reader=skin_hue_change),
    Audited("texture.ratio", "Skin detail", "Skin", "%", "more detailed", "smoother", "min_effect_percent",
            1.0, "texture.ratio", reader=texture_change),
    Audited("identity.distance", "Identity distance beyond own range", "Identity", "", "farther",
            "closer", "min_effect_identity", 0.01, None, reader=identity_excess, digits=3),
)
BY_METRIC = {a.metric: a for a in AUDITED}


def read(audited: Audited, metrics: Metrics, mode: str, stored: Any = None) -> tuple[float, float | None] | None:
    """(value, stored uncertainty as a σ, or None) of one audited measurement in one result's
    ``metrics``; ``stored``: the result's ``uncertainty``."""
    found = read_with_source(audited, metrics, mode, stored)
    return None if found is None else found[:2]


def read_with_source(audited: Audited, metrics: Metrics, mode: str,
                     stored: Any = None) -> tuple[float, float | None, str] | None:
    """``read``, and the path the number came from: a new shot's ``preferred`` reading (with
    its own ±) where the result has both, else the measurement's own."""
    if mode != "same_frame" and audited.preferred:
        value = number_at(metrics, audited.preferred)
        unc = uncertainty_at(stored, audited.preferred)
        if value is not None and unc is not None:
            return value, unc, audited.preferred
    if mode == "same_frame":
        path = audited.same_frame
        if path is None or audited.metric == "identity.distance":
            return None  # a same frame's identity distance has no same-person yardstick
    else:
        path = audited.metric if audited.new_shot else None
    if path is None:
        return None
    value = audited.reader(metrics, path) if audited.reader else number_at(metrics, path)
    if value is None:
        return None
    return value, uncertainty_at(stored, path), path
