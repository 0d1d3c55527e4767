"""How far two photographs of the same person can differ in each new-shot measurement, predicted
from the conditions each was read under.

The model is fitted on real same-person photographs (``benchmarks/calibrate_new_shot.py``,
19 people of ../shared/faces and ../shared/faces-more, each person's pairs left out of the fit
that reports on them) and ships as ``resources/calibration/new_shot_uncertainty.json``. For a
measurement and a pair of readings it gives

    σ² = base² + Σ (coefficient_k · feature_k)²

with features that grow with what makes two readings disagree (a small face, a turned head, an
expression, another camera distance, other light, a white balance that could not be found), a
bias the camera distance adds (perspective narrows a close face's jaw and cheeks), and the
multiple of σ that same-person pairs stayed within at each confidence (their own residuals, so
heavy tails are not assumed away). The policy names the confidence (``[new_shot] confidence``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from twinproof.core.reading.conditions import Conditions
from twinproof.paths import resource_path

MODEL_FILE = ("calibration", "new_shot_uncertainty.json")
#: Which features widen which measurement, and the group whose model a measurement uses.
FACE = ("small", "turn", "tilt", "smile", "mouth", "squint", "distance", "landmarks")
SKIN = ("small", "light", "exposure", "white_balance")
FEATURES: dict[str, tuple[str, ...]] = {
    "eye_width": FACE, "irises": FACE, "nose_width": FACE, "jaw_width": FACE, "face_width": FACE,
    "delta_L": SKIN, "hue_change": SKIN, "ita_change": SKIN, "delta_e00": SKIN,
    "texture": ("small", "resolution"), "body": ("small", "turn", "tilt", "distance"),
}
#: Measurements perspective moves and whose bias is taken out: fitted against the mesh-depth
#: difference (a close camera narrows the jaw and cheeks behind the eyes). The nose, in front of
#: them, widens instead, but the mesh depth is measured to the nose tip, so its fitted slope is
#: confounded with the nose itself: its uncertainty grows with the distance, its value is kept.
PERSPECTIVE = ("jaw_width", "face_width")
#: A measurement whose spread between shots is known from fewer people (with 3 or more pairs
#: each) than this is at most a warning.
MIN_PEOPLE = 5


def features(rc: Conditions, tc: Conditions) -> dict[str, float]:
    """The pair's features, each 0 when the two photographs were read alike."""
    small_iod = max(1.0, min(rc.iod_px, tc.iod_px))
    gains = np.asarray(rc.log_gains) - np.asarray(tc.log_gains)
    return {
        "small": 40.0 / small_iod,  # 1 at eyes 40 px apart
        "turn": abs(rc.yaw_deg - tc.yaw_deg) / 20.0,
        "tilt": abs(rc.pitch_deg - tc.pitch_deg) / 20.0,
        "smile": abs(rc.smile - tc.smile) / 0.1,
        "mouth": abs(rc.mouth_open - tc.mouth_open) / 0.1,
        "squint": abs(rc.eye_open - tc.eye_open) / 0.05 + max(0.0, 0.27 - min(rc.eye_open, tc.eye_open)) / 0.03,
        "distance": abs(rc.mesh_depth - tc.mesh_depth) / 0.1,
        "landmarks": 1.0 - min(rc.landmark_presence, tc.landmark_presence),
        "light": float(np.ptp(gains)) / 0.2,  # the two corrections' colour differs
        "exposure": abs(rc.scene_lightness - tc.scene_lightness) / 20.0,
        "white_balance": float(not (rc.white_balance_ok and tc.white_balance_ok)),
        "resolution": abs(math.log(max(1.0, rc.iod_px) / max(1.0, tc.iod_px))),
    }


@dataclass(frozen=True)
class MeasureModel:
    base: float
    coefficients: dict[str, float]
    #: Expected change per unit of the signed mesh-depth difference (twin − real) / 0.1.
    perspective_bias: float
    #: Confidence -> multiple of σ that same-person pairs stayed within.
    multiples: dict[float, float]
    #: People with 3 or more pairs of this measurement in the fit.
    people: int = 0

    def sigma(self, feats: dict[str, float]) -> tuple[float, dict[str, float]]:
        """σ and each feature's share of σ² (the reasons it is wide)."""
        parts = {k: (c * feats.get(k, 0.0)) ** 2 for k, c in self.coefficients.items()}
        total = self.base ** 2 + sum(parts.values())
        return math.sqrt(total), {k: v / total for k, v in parts.items()}

    def multiple(self, confidence: float) -> float:
        levels = sorted(self.multiples)
        ks = [self.multiples[c] for c in levels]
        return float(np.interp(confidence, levels, ks))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MeasureModel:
        return cls(float(data["base"]), {str(k): float(v) for k, v in data["coefficients"].items()},
                   float(data.get("perspective_bias", 0.0)),
                   {float(k): float(v) for k, v in data["multiples"].items()}, int(data.get("people", 0)))

    def to_json(self) -> dict[str, Any]:
        return {"base": round(self.base, 5), "coefficients": {k: round(v, 5) for k, v in self.coefficients.items()},
                "perspective_bias": round(self.perspective_bias, 5),
                "multiples": {f"{k:g}": round(v, 4) for k, v in self.multiples.items()}, "people": self.people}


@dataclass(frozen=True)
class Prediction:
    """A measurement's expected spread for this pair: ``plus_minus`` at the confidence asked
    for, the perspective ``bias`` already taken out of the value, and the main reasons."""

    plus_minus: float
    sigma: float
    bias: float
    reasons: tuple[str, ...]
    #: Set when the model knows this measurement's spread from too few people to fail on it.
    few_people: str | None = None


@dataclass(frozen=True)
class UncertaintyModel:
    """Every measurement's model, and the smallest face the fit has seen (below it, shape is
    not judged: the model would be guessing)."""

    measures: dict[str, MeasureModel]
    min_iod_px: float
    fitted_on: str = ""
    #: How much of a controlled edit each measurement reads (eyes, jaw, skin ΔL*), measured.
    edit_response: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UncertaintyModel:
        return cls({name: MeasureModel.from_json(m) for name, m in data["measures"].items()},
                   float(data["min_iod_px"]), str(data.get("fitted_on", "")),
                   {str(k): float(v) for k, v in data.get("edit_response", {}).items()})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fitted_on": self.fitted_on, "min_iod_px": round(self.min_iod_px, 1),
                               "measures": {k: m.to_json() for k, m in sorted(self.measures.items())}}
        if self.edit_response:
            out["edit_response"] = self.edit_response
        return out


@cache
def load_model() -> UncertaintyModel:
    """The shipped model (fitted on every person of the calibration sets)."""
    path = resource_path(*MODEL_FILE)
    return UncertaintyModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def signed_distance(rc: Conditions, tc: Conditions) -> float:
    return (tc.mesh_depth - rc.mesh_depth) / 0.1


def why(feature: str, rc: Conditions, tc: Conditions) -> str:
    """A feature in words a reviewer can check on the two photographs."""
    if feature == "small":
        side, c = ("real photograph", rc) if rc.face_px <= tc.face_px else ("twin", tc)
        return f"face {c.face_px:.0f} px wide in the {side}"
    if feature == "turn":
        return f"head turned differently ({rc.yaw_deg:+.0f}° against {tc.yaw_deg:+.0f}°)"
    if feature == "tilt":
        return f"head tilted differently ({rc.pitch_deg:+.0f}° against {tc.pitch_deg:+.0f}°)"
    if feature == "smile":
        return f"expression differs: a smile in one photograph ({rc.smile:.2f} against {tc.smile:.2f})"
    if feature == "mouth":
        return "expression differs: the mouth is open in one photograph"
    if feature == "squint":
        return "the eyes are narrowed (a squint or a smile) in one photograph"
    if feature == "distance":
        return distance_words(rc, tc)
    if feature == "landmarks":
        return "the face landmarks are unsure in one photograph"
    if feature in ("light", "exposure"):  # the skin rows' own words, so the two are said once
        return "the two photographs' light differs"
    if feature == "white_balance":
        return "the white balance could not be found in one photograph"
    if feature == "resolution":
        return f"the faces' resolutions differ ({rc.iod_px:.0f} against {tc.iod_px:.0f} px between the eyes)"
    return feature


def distance_words(rc: Conditions, tc: Conditions) -> str:
    closer = "the twin" if tc.mesh_depth < rc.mesh_depth else "the real photograph"
    return f"camera distance differs: {closer} taken from closer (a selfie against a distance shot)"


def predict(measure: str, rc: Conditions, tc: Conditions, confidence: float,
            models: UncertaintyModel | None = None) -> Prediction | None:
    """The expected same-person spread of ``measure`` for this pair (None: no model for it)."""
    model = (models or load_model()).measures.get(measure)
    if model is None:
        return None
    feats = features(rc, tc)
    sigma, shares = model.sigma(feats)
    reasons = tuple(dict.fromkeys(why(k, rc, tc) for k, share in sorted(shares.items(), key=lambda kv: -kv[1])
                                  if share >= 0.25))
    bias = model.perspective_bias * signed_distance(rc, tc) if measure in PERSPECTIVE else 0.0
    few = (f"its spread between shots is known from {model.people} people only: at most a warning"
           if model.people < MIN_PEOPLE else None)
    return Prediction(sigma * model.multiple(confidence), sigma, bias, reasons, few)
