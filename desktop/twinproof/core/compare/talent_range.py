"""The talent's own photographs as the yardstick of a new shot's face (issue 23, first part).

One real photograph is a poor yardstick: the same person's proportions vary between shots. With
the real photograph and reference portraits of the same person, the twin's change is read against
each of them and averaged; each reading's own error averages out over the references while the
twin's does not, so the mean's uncertainty is that of one pair times √((1 + 1/n) / 2). Measured
(``benchmarks/newshot_talent_range.py``, 8 people with 3 or more photographs, each left out of the
model): the ± narrows (eye width median 9.7 → 7.5 %, jaw 3.5 → 2.8 %); eyes enlarged 16 % were
flagged in 5 of 8 against one photograph and 7 of 8 against her range (4 of 8 while one reference's
wide ± silenced the mean), the unedited twin in 1 of 8 each way, and a jaw slimmed 10 % in 0 of 8
either way (the jaw proportion reads a quarter of that edit: another reading is needed).
"""

from __future__ import annotations

import math

import numpy as np

from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width
from twinproof.core.compare.pair_values import face_percents
from twinproof.core.compare.shot_findings import (
    Findings,
    change,
    corroborated,
    judge_predicted,
    no_verdict,
    uncertain,
)
from twinproof.core.compare.uncertainty import UncertaintyModel
from twinproof.core.policy import Policy
from twinproof.core.reading.parts import FaceShape
from twinproof.core.reading.read import ImageReading
from twinproof.core.result import Mode, Unmeasured
from twinproof.core.result.measurements import Change, Uncertainty
from twinproof.core.result.types import Against

NAMES = ("eye_width", "irises", "nose_width", "jaw_width", "face_width")


def usable(readings: list[tuple[ImageReading, np.ndarray]]) -> list[tuple[ImageReading, np.ndarray]]:
    return [(r, p) for r, p in readings if isinstance(r.face, FaceShape) and r.landmarks.face is not None]


def range_findings(own: list[tuple[ImageReading, np.ndarray]], twin: ImageReading, twin_pixels: np.ndarray,
                   policy: Policy, models: UncertaintyModel | None = None) -> Findings:
    """The twin's face proportions against the mean of its change from each of the talent's own
    photographs (``own``: the real photograph first, then the references, with their pixels)."""
    out = Findings()
    tf = twin.face
    assert isinstance(tf, FaceShape) and twin.landmarks.face is not None
    per: dict[str, list[tuple[float, Uncertainty]]] = {n: [] for n in NAMES}
    lids: list[float] = []
    for reading, pixels in own:
        rf = reading.face
        assert isinstance(rf, FaceShape) and reading.landmarks.face is not None
        raw = face_percents(rf, tf)
        if "eye_width" in raw:
            lids.append(raw["eye_width"])
        eyes = tracked_eye_width(pixels, reading.landmarks.face.points, twin_pixels, twin.landmarks.face.points)
        if isinstance(eyes, TrackedEyes):
            raw["eye_width"] = eyes.percent
        for name in NAMES:
            if name in raw:
                value, unc = uncertain(name, f"face.proportions.{name}.percent", raw[name], reading.conditions,
                                       twin.conditions, policy, models)
                if unc is not None:
                    per[name].append((value, unc))
    changes: dict[str, Change | Unmeasured] = {}
    n_photos = len(own)
    for name, found in per.items():
        if not found:
            changes[name] = Unmeasured("the irises are too small in one image to size")
            continue
        n = len(found)
        mean = float(np.mean([v for v, _u in found]))
        pm = math.sqrt(float(np.mean([u.plus_minus ** 2 for _v, u in found])) * (1 + 1 / n) / 2)
        cannot = next((u.cannot_judge for _v, u in found if u.cannot_judge), None)
        why = [f"the talent's own range across {n_photos} photographs",
               *list(dict.fromkeys(w for _v, u in found for w in u.why))[:3]]
        path = f"face.proportions.{name}.percent"
        unc = Uncertainty(round(pm, 3), found[0][1].confidence, why, cannot, None, None,
                          Against.HER_PORTRAITS, n_photos)
        if name == "eye_width":
            unc = corroborated(unc, mean, float(np.mean(lids)) if lids else None, policy)
        changes[name] = found_change = change(name, mean)
        flag = judge_predicted(path, round(mean, 2), policy, name.split("_")[0],
                     f"{found_change.text} against the talent's own range across {n_photos} photographs",
                     mode=Mode.NEW_SHOT,
                     uncertainty=unc)
        out.uncertainty[path] = no_verdict(path, flag, unc, policy) or unc
        if flag is not None:
            out.flags.append(flag)
    out.metric = changes
    return out
