"""A new shot's findings from two readings: each measurement with its uncertainty, judged.

Pure functions of the two ``ImageReading``s (and the eye width the optical flow found), so the
calibration (``benchmarks/calibrate_new_shot.py``) runs exactly this on every same-person pair
with the uncertainty model fitted without that person. The one judging rule is
``core/result/judge.py``: a change is flagged only when it is past the policy's limit AND stands
out of its uncertainty; where the uncertainty alone is wider than the fail limit, the value is
given with "cannot be judged from these photographs" and why, never a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import partial

from twinproof.core import colour
from twinproof.core.compare.pair_values import face_percents, skin_values, texture_ratio
from twinproof.core.compare.uncertainty import (
    UncertaintyModel,
    distance_words,
    features,
    load_model,
    predict,
    signed_distance,
)
from twinproof.core.policy import Policy
from twinproof.core.reading.conditions import Conditions
from twinproof.core.reading.parts import FaceShape, SkinSample
from twinproof.core.reading.read import ImageReading
from twinproof.core.result import Mode, Unmeasured, descriptor, judge
from twinproof.core.result.judge import too_uncertain
from twinproof.core.result.measurements import Change, Skin, Texture, Uncertainty
from twinproof.core.result.rows import CANNOT_PREFIX
from twinproof.core.result.types import Flag

WORDS = {"eye_width": ("eyes", "wider", "narrower"), "irises": ("irises", "larger", "smaller"),
         "nose_width": ("nose", "wider", "narrower"), "jaw_width": ("jaw", "wider", "narrower"),
         "face_width": ("face", "wider", "narrower"),
         "shoulder_to_hip": ("shoulders relative to hips", "wider", "narrower"),
         "torso_to_leg": ("torso relative to legs", "longer", "shorter"),
         "arm_to_torso": ("arms relative to torso", "longer", "shorter"),
         "shoulder_to_head": ("shoulders relative to head", "wider", "narrower")}
#: Two lights differ when the white-balance corrections differ by this (log gain spread) or the
#: scenes' exposure by this many L*, or one image's white balance could not be found.
LIGHT_GAIN_SPREAD = 0.1
LIGHT_EXPOSURE_L = 10.0
#: Two shots are two lights even when nothing measured tells them apart: one person's skin L*
#: still differed by up to 17 between shots after white balance (docs/fidelity.md).
ANOTHER_LIGHT = "another shot is another light"
#: How a "cannot judge" set after judging ends (``no_verdict``): the ± was too wide to back an "ok",
#: so no flag was hidden by it, and an edit read beyond the ± still shows (``blind_spots.py``).
WIDER_THAN_LIMIT = "its ± is wider than the {} limit"
#: What a new shot's rows say when the identity step fails the twin as another person
#: (``new_shot.not_the_person``): neither shape nor skin is compared, and nothing is to be revealed.
ANOTHER_PERSON = "the twin is not the same person"


#: The one rule (``judge``) for a value whose ± the uncertainty model predicted.
judge_predicted = partial(judge, predicted=True)


@dataclass
class Findings:
    """What one part of a new shot found: the metric, its flags and each path's uncertainty."""

    metric: object | None = None
    flags: list[Flag] = field(default_factory=list)
    uncertainty: dict[str, Uncertainty] = field(default_factory=dict)


def change(name: str, pct: float) -> Change:
    label, grow, shrink = WORDS[name]
    return Change(round(pct, 2), f"{label} {abs(pct):.0f}% {grow if pct >= 0 else shrink}")


def confidence(policy: Policy) -> float:
    return float(policy.limit("new_shot", "confidence") or 0.99)


def light_differs(rc: Conditions, tc: Conditions) -> str | None:
    f = features(rc, tc)
    if f["white_balance"]:
        return "the white balance could not be found in one photograph"
    if f["light"] * 0.2 >= LIGHT_GAIN_SPREAD or f["exposure"] * 20.0 >= LIGHT_EXPOSURE_L:
        return "the two photographs' light differs"
    return None


def uncertain(measure: str, path: str, value: float, rc: Conditions, tc: Conditions, policy: Policy,
              models: UncertaintyModel | None, scale: float = 1.0) -> tuple[float, Uncertainty | None]:
    """The value with the perspective bias taken out, and its uncertainty (None: no model). A face
    smaller than any the model was fitted on has no ± the model can state: its shape cannot be
    judged (``cannot_judge``, set here). A ± merely wider than the fail limit is stated: ``judge``
    (``judge_predicted``) asks such a value to lie past the fail limit by more than it, and
    ``no_verdict`` says "cannot judge" where it does not."""
    conf = confidence(policy)
    pred = predict(measure, rc, tc, conf, models)
    if pred is None:
        return value, None
    pm = pred.plus_minus * scale
    if measure == "texture":  # modelled as 100·ln(ratio): the ratio's own ± below 1
        pm = 1.0 - math.exp(-pred.plus_minus / 100.0)
    cannot = None
    min_iod = min_face_iod(models)
    if measure in WORDS and measure not in ("shoulder_to_hip", "torso_to_leg", "arm_to_torso", "shoulder_to_head") \
            and min(rc.iod_px, tc.iod_px) < min_iod:
        small = rc if rc.face_px <= tc.face_px else tc
        cannot = (f"{CANNOT_PREFIX}face {small.face_px:.0f} px wide (eyes "
                  f"{small.iod_px:.0f} px apart; shape is read from {min_iod:.0f})")
    bias = round(pred.bias, 2) if abs(pred.bias) >= 0.05 else None
    return value - pred.bias, Uncertainty(round(pm, 3), conf, list(pred.reasons), cannot, pred.few_people, bias)


def no_verdict(path: str, flag: Flag | None, unc: Uncertainty | None, policy: Policy,
               reasons: Iterable[str] = ()) -> Uncertainty | None:
    """The one rule for a value that raised no flag: where its ± alone is wider than the strictest
    limit it could be judged by (the fail limit, or the warn limit when it is at most a warning),
    "ok" is a verdict these photographs cannot back, so the row says it cannot be judged and why.
    A flagged value keeps its flag: it lies beyond its ± and past the limit."""
    if flag is not None or unc is None or unc.cannot_judge:
        return unc
    capped = bool(unc.at_most_warning)
    if not too_uncertain(descriptor(path), unc.plus_minus, policy, Mode.NEW_SHOT, capped):
        return unc
    why = "; ".join(dict.fromkeys(list(reasons) or unc.why[:3])) or "the same person varies this much between shots"
    return replace(unc, cannot_judge=f"{CANNOT_PREFIX}{why}: {WIDER_THAN_LIMIT.format('warn' if capped else 'fail')}")


def min_face_iod(models: UncertaintyModel | None) -> float:
    return (models or load_model()).min_iod_px


def face_findings(real: ImageReading, twin: ImageReading, eyes: float | None, policy: Policy,
                  models: UncertaintyModel | None = None) -> Findings:
    """Face proportions with their uncertainty; ``eyes``: the eye width followed by optical flow."""
    out = Findings()
    rf, tf = real.face, twin.face
    assert isinstance(rf, FaceShape) and isinstance(tf, FaceShape)
    rc, tc = real.conditions, twin.conditions
    raw = face_percents(rf, tf)
    lids = dict(raw)
    if eyes is not None:
        raw["eye_width"] = eyes
    changes: dict[str, Change | Unmeasured] = {}
    for name in ("eye_width", "irises", "nose_width", "jaw_width", "face_width"):
        if name not in raw:
            changes[name] = Unmeasured("the irises are too small in one image to size")
            continue
        path = f"face.proportions.{name}.percent"
        value, unc = uncertain(name, path, raw[name], rc, tc, policy, models)
        if name == "eye_width" and eyes is not None and unc is not None:
            unc = corroborated(unc, eyes, lids.get("eye_width"), policy)
        changes[name] = found = change(name, value)
        flag = judge_predicted(path, round(value, 2), policy, name.split("_")[0], found.text, mode=Mode.NEW_SHOT,
                     uncertainty=unc)
        unc = no_verdict(path, flag, unc, policy)
        if unc is not None:
            out.uncertainty[path] = unc
        if flag is not None:
            out.flags.append(flag)
    out.metric = changes
    return out


def corroborated(unc: Uncertainty, flow: float, lids: float | None, policy: Policy) -> Uncertainty:
    """The eye width followed by optical flow fails only when each photograph's own eye model
    (its eyelids) reads the change past the fail limit too: a squint moves the corners the flow
    follows (a man's narrowed eyes read −15 % by the flow, −4 % by the eyelids). Otherwise it
    warns at most. An accusation needs two independent readings to agree."""
    fail = policy.limit("new_shot", "eye_width_fail_percent")
    if fail is None or (lids is not None and abs(lids) > fail and lids * flow > 0):
        return unc
    said = f"{lids:+.0f} %" if lids is not None else "nothing"
    return replace(unc, at_most_warning=f"each photograph's own eye model reads {said}: a fail needs both readings")


def camera_distance(real: ImageReading, twin: ImageReading) -> str | None:
    """Said in the result when the two camera distances differ (mesh depth 0.05 eye distances)."""
    rc, tc = real.conditions, twin.conditions
    if abs(signed_distance(rc, tc)) < 0.5:
        return None
    return (f"{distance_words(rc, tc)}: face mesh depth {rc.mesh_depth:.2f} against {tc.mesh_depth:.2f} eye "
            "distances; the perspective this causes is taken out of the jaw and face widths, and the "
            "uncertainty of the nose, jaw and face widths includes it")


def skin_findings(real: ImageReading, twin: ImageReading, policy: Policy,
                  models: UncertaintyModel | None = None) -> Findings:
    """Skin lightness, hue, ITA (where well conditioned) and ΔE00, each with the uncertainty of
    the light difference; across two lights, at most a warning. No colour from greyscale."""
    out = Findings()
    rs, ts = real.skin, twin.skin
    assert isinstance(rs, SkinSample) and isinstance(ts, SkinSample)
    if rs.no_colour or ts.no_colour:
        out.metric = Unmeasured(f"{rs.no_colour} (the real photograph)" if rs.no_colour
                                else f"{ts.no_colour} (the twin)")
        return out
    rc, tc = real.conditions, twin.conditions
    vals = skin_values(rs, ts)
    lights = light_differs(rc, tc)
    judged: dict[str, float | Unmeasured] = {}
    for measure, path in (("delta_L", "skin.delta_L"), ("hue_change", "skin.hue_change"),
                          ("ita_change", "skin.ita_change"), ("delta_e00", "skin.delta_e00")):
        v = vals[measure]
        if isinstance(v, str):
            judged[measure] = Unmeasured(v)
            continue
        value, unc = uncertain(measure, path, v, rc, tc, policy, models)
        if unc is not None:
            why = list(dict.fromkeys(([lights] if lights else []) + unc.why))
            cannot = unc.cannot_judge
            if cannot and lights and lights not in cannot:
                cannot = cannot.replace(CANNOT_PREFIX, f"{CANNOT_PREFIX}{lights}; ", 1)
            unc = Uncertainty(unc.plus_minus, unc.confidence, why, cannot, f"{lights or ANOTHER_LIGHT}: "
                              "a skin change across two lights is at most a warning", unc.bias_removed)
        if unc is not None:
            out.uncertainty[path] = unc
        judged[measure] = round(value, 2)
    ita_r, ita_t = colour.ita_degrees(rs.lab[0], rs.lab[2]), colour.ita_degrees(ts.lab[0], ts.lab[2])
    dL, hue, de, ita = (judged[k] for k in ("delta_L", "hue_change", "delta_e00", "ita_change"))
    how = f"each photograph by its own neutral pixels (real: {real.white_balance}; twin: {twin.white_balance})"
    out.metric = Skin(min(rs.pixels, ts.pixels), [round(float(v), 2) for v in rs.lab],
                      [round(float(v), 2) for v in ts.lab], [round(float(v), 2) for v in ts.lab_as_shot],
                      float(de) if isinstance(de, float) else 0.0, float(dL) if isinstance(dL, float) else 0.0,
                      round(ita_r, 2), round(ita_t, 2), ita, colour.ita_class(ita_r), colour.ita_class(ita_t), how,
                      hue if isinstance(hue, float) else None, lights)
    candidates: list[tuple[Flag | None, str]] = []
    if isinstance(dL, float):
        candidates.append((judge_predicted("skin.delta_L", dL, policy, "face", f"skin lightness {dL:+.1f} L* "
                                f"({'lighter' if dL > 0 else 'darker'}) across the shots", mode=Mode.NEW_SHOT,
                                uncertainty=out.uncertainty.get("skin.delta_L")), "skin.delta_L"))
    if isinstance(hue, float):
        candidates.append((judge_predicted("skin.hue_change", hue, policy, "face",
                                           f"skin hue {hue:+.0f}° across the shots "
                                           f"({'yellower' if hue > 0 else 'redder'})", mode=Mode.NEW_SHOT,
                                uncertainty=out.uncertainty.get("skin.hue_change")), "skin.hue_change"))
    if isinstance(ita, float):
        candidates.append((judge_predicted("skin.ita_change", ita, policy, "face",
                                f"skin {abs(ita):.1f}° ITA {'lighter' if ita > 0 else 'darker'} "
                                f"({colour.ita_class(ita_r)} → {colour.ita_class(ita_t)}) across the shots",
                                mode=Mode.NEW_SHOT, uncertainty=out.uncertainty.get("skin.ita_change")),
                           "skin.ita_change"))
    if isinstance(de, float):
        candidates.append((judge_predicted("skin.delta_e00", de, policy, "face",
                                           f"skin colour differs across the shots (ΔE00 {de:.1f})", mode=Mode.NEW_SHOT,
                                uncertainty=out.uncertainty.get("skin.delta_e00")), "skin.delta_e00"))
    for flag, path in candidates:
        if path in out.uncertainty:
            out.uncertainty[path] = no_verdict(path, flag, out.uncertainty[path], policy)  # type: ignore[assignment]
    found = [f for f, _path in candidates if f is not None]
    if found:
        out.flags.append(max(found, key=lambda f: f.severity == "fail"))
    return out


def texture_findings(real: ImageReading, twin: ImageReading, policy: Policy,
                     models: UncertaintyModel | None = None) -> Findings:
    out = Findings()
    rs, ts = real.skin, twin.skin
    assert isinstance(rs, SkinSample) and isinstance(ts, SkinSample)
    ratio = texture_ratio(rs, ts)
    if ratio is None:
        out.metric = Unmeasured("the real skin shows no fine detail to compare")
        return out
    ratio = round(ratio, 4)
    _v, unc = uncertain("texture", "texture.ratio", ratio, real.conditions, twin.conditions, policy, models)
    out.metric = Texture(ratio, 1.0, 0.0, min(rs.pixels, ts.pixels))
    flag = judge_predicted("texture.ratio", ratio, policy, "face",
                 f"skin detail at {ratio:.0%} of the real photograph's (smoothed / airbrushed)", mode=Mode.NEW_SHOT,
                 uncertainty=unc)
    unc = no_verdict("texture.ratio", flag, unc, policy)
    if unc is not None:
        out.uncertainty["texture.ratio"] = unc
    out.flags.extend([flag] if flag else [])
    return out


def body_findings(real: ImageReading, twin: ImageReading, policy: Policy,
                  models: UncertaintyModel | None = None) -> Findings:
    out = Findings()
    rb, tb = real.body, twin.body
    assert isinstance(rb, dict) and isinstance(tb, dict)
    changes: dict[str, Change | Unmeasured] = {}
    for name, r in rb.items():
        t = tb.get(name)
        if not (isinstance(r, float) and isinstance(t, float) and r > 0):
            changes[name] = Unmeasured(str(r if isinstance(r, str) else t) + " in one of the shots")
            continue
        path = f"body.proportions.{name}.percent"
        value, unc = uncertain("body", path, 100.0 * (t / r - 1.0), real.conditions, twin.conditions, policy, models)
        changes[name] = found = change(name, value)
        flag = judge_predicted(path, round(value, 2), policy, name, found.text, mode=Mode.NEW_SHOT, uncertainty=unc)
        unc = no_verdict(path, flag, unc, policy)
        if unc is not None:
            out.uncertainty[path] = unc
        out.flags.extend([flag] if flag else [])
    out.metric = changes
    return out
