"""Body drift: proportions and silhouette widths, signed changes in %.

- **Proportions** from the 33 pose landmarks, as ratios that do not depend on scale:
  shoulder ÷ hip width, torso ÷ leg length, arm ÷ torso length, shoulder ÷ head width.
- **Silhouette widths** from the real person mask at normalised heights between the shoulder
  line (0) and the hip line (1): chest 0.25, waist 0.62, hips 1.0, thighs 1.35 of the way to
  the knees; for a portrait cut above the hips, only the chest, at 0.4 shoulder widths below
  the shoulders.

As for the face, the real image's points (keypoints, and points just inside each silhouette
edge) are tracked into the registered twin with optical flow, because the pose model's prior
and its 256-px mask blur small edits; when tracking is unreliable the twin's own landmarks
and mask are used and ``method`` says so. A point counts only when the model sees it (visibility
and presence > 0.5); a measurement whose points are not all seen is ``null`` with a reason.
"""

from __future__ import annotations

import itertools

import numpy as np

from twinproof.core.context import AlignedPair, StepResult
from twinproof.core.fidelity.crops import pair_crop
from twinproof.core.fidelity.landmark_step import pair_landmarks, person_mask
from twinproof.core.fidelity.tracking import track_points
from twinproof.core.flags import bounding_box
from twinproof.core.landmarks.topology import POSE_INDEX as P
from twinproof.core.policy import Policy
from twinproof.core.result import Unmeasured, judge
from twinproof.core.result.measurements import Body, Change

SEEN = 0.5
MAX_TRACK_ERROR = 0.03  # of the shoulder width
CROP_LONG_SIDE = 640  # the body crop's long side: docs/fidelity.md, "The body crop's size"
LEVELS = {"chest": 0.25, "waist": 0.62, "hips": 1.0}
THIGH_LEVEL = 0.35


def _mid(p: np.ndarray, a: str, b: str) -> np.ndarray:
    return (p[P[a], :2] + p[P[b], :2]) / 2


def _dist(p: np.ndarray, a: str, b: str) -> float:
    return float(np.linalg.norm(p[P[a], :2] - p[P[b], :2]))


def _limb(p: np.ndarray, side: str, joints: tuple[str, str, str]) -> float:
    a, b, c = (f"{side}_{j}" for j in joints)
    return _dist(p, a, b) + _dist(p, b, c)


RATIOS: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    # name: (points needed, label, word when it grows, word when it shrinks)
    "shoulder_to_hip": (("left_shoulder", "right_shoulder", "left_hip", "right_hip"),
                        "shoulders relative to hips", "wider", "narrower"),
    "torso_to_leg": (("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee",
                      "right_knee", "left_ankle", "right_ankle"),
                     "torso relative to legs (legs relatively shorter/longer)", "longer", "shorter"),
    "arm_to_torso": (("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_elbow",
                      "right_elbow", "left_wrist", "right_wrist"), "arms relative to torso", "longer", "shorter"),
    "shoulder_to_head": (("left_shoulder", "right_shoulder", "left_ear", "right_ear"),
                         "shoulders relative to head", "wider", "narrower"),
}


def _ratio(name: str, p: np.ndarray) -> float:
    torso = float(np.linalg.norm(_mid(p, "left_shoulder", "right_shoulder") - _mid(p, "left_hip", "right_hip")))
    if name == "shoulder_to_hip":
        return _dist(p, "left_shoulder", "right_shoulder") / _dist(p, "left_hip", "right_hip")
    if name == "torso_to_leg":
        legs = (_limb(p, "left", ("hip", "knee", "ankle")) + _limb(p, "right", ("hip", "knee", "ankle"))) / 2
        return torso / legs
    if name == "arm_to_torso":
        arm = ("shoulder", "elbow", "wrist")
        arms = (_limb(p, "left", arm) + _limb(p, "right", arm)) / 2
        return arms / torso
    return _dist(p, "left_shoulder", "right_shoulder") / _dist(p, "left_ear", "right_ear")


def _change(label: str, pct: float, grow: str, shrink: str) -> Change:
    return Change(round(pct, 2), f"{label} {abs(pct):.0f}% {grow if pct >= 0 else shrink}")


def _seen(body: object, names: tuple[str, ...]) -> bool:
    vis, pres = body.visibility, body.presence  # type: ignore[attr-defined]
    return all(vis[P[n]] > SEEN and pres[P[n]] > SEEN for n in names)


def _implausible(p: np.ndarray, need: tuple[str, ...]) -> str | None:
    """Why the pose's points cannot be a body, or None. The model reports a knee it cannot see
    (a waist-up portrait) with high visibility, sometimes *above* the hip; a ratio or a thigh
    width measured from that would be a number about nothing. Along the body's own axis
    (shoulders to hips, so a tilted pose is judged fairly) the joints must come in order."""
    if "left_hip" not in need:
        return None
    down = _mid(p, "left_hip", "right_hip") - _mid(p, "left_shoulder", "right_shoulder")
    torso = float(np.linalg.norm(down))
    if torso < 0.5 * _dist(p, "left_shoulder", "right_shoulder"):
        return "the hips are not below the shoulders (the hips are probably out of the frame)"
    axis = down / torso
    chain = [n for n in ("hip", "knee", "ankle") if f"left_{n}" in need]
    for upper, lower in itertools.pairwise(chain):
        gap = float((_mid(p, f"left_{lower}", f"right_{lower}") - _mid(p, f"left_{upper}", f"right_{upper}")) @ axis)
        if gap < 0.25 * torso:
            return (f"the {lower}s are not below the {upper}s: the pose model placed joints it "
                    "cannot see (probably out of the frame)")
    return None


def shown_in_both(pair: AlignedPair, point: np.ndarray, margin: float = 0.01) -> bool:
    """A real-image point that the twin shows too (inside the overlap, away from its edge by
    ``margin`` of the frame): a measurement must not read what one image does not show."""
    w, h = pair.working_size
    m = max(1, round(margin * max(w, h)))
    x, y = round(float(point[0]) * pair.factor), round(float(point[1]) * pair.factor)
    if not (m <= x < w - m and m <= y < h - m):
        return False
    return bool(pair.overlap[y - m:y + m + 1, x - m:x + m + 1].all())


def _edges(mask_row: np.ndarray, x_axis: float) -> tuple[float, float] | None:
    """Left/right edge (sub-pixel, at 0.5) of the mask run that contains ``x_axis``."""
    inside = mask_row > 0.5
    xi = round(x_axis)
    if not (0 <= xi < len(inside)) or not inside[xi]:
        return None
    left = xi
    while left > 0 and inside[left - 1]:
        left -= 1
    right = xi
    while right < len(inside) - 1 and inside[right + 1]:
        right += 1
    return float(left), float(right)


def _levels(p: np.ndarray, have_hips: bool, have_knees: bool) -> dict[str, float]:
    ys = float(_mid(p, "left_shoulder", "right_shoulder")[1])
    if not have_hips:
        return {"chest": ys + 0.4 * _dist(p, "left_shoulder", "right_shoulder")}
    yh = float(_mid(p, "left_hip", "right_hip")[1])
    out = {name: ys + f * (yh - ys) for name, f in LEVELS.items()}
    if have_knees:
        out["thighs"] = yh + THIGH_LEVEL * (float(_mid(p, "left_knee", "right_knee")[1]) - yh)
    return out


def body_step(pair: AlignedPair, policy: Policy) -> StepResult:
    out = StepResult()
    lm = pair_landmarks(pair)
    real, twin = lm.real.body, lm.twin.body
    if real is None or twin is None or lm.twin_body is None:
        which, why = ("real photograph", lm.real.body_reason) if real is None else ("twin", lm.twin.body_reason)
        return out.unmeasured("body", f"{why or 'no body found'} in the {which}")
    if not _seen(real, ("left_shoulder", "right_shoulder")):
        return out.unmeasured("body", "the shoulders are not visible in the real photograph")
    rp = real.points
    shoulder_w = _dist(rp, "left_shoulder", "right_shoulder")
    seen_pts = np.array([rp[i, :2] for i in range(len(rp)) if real.visibility[i] > SEEN and real.presence[i] > SEEN])
    x0, y0 = seen_pts.min(axis=0) - 0.4 * shoulder_w
    x1, y1 = seen_pts.max(axis=0) + 0.4 * shoulder_w
    scale = min(1.0, CROP_LONG_SIDE / max(x1 - x0, y1 - y0))
    crop = pair_crop(pair, (x0, y0, x1, y1), scale)
    # Keypoints and silhouette edges tracked together.
    have_hips = _seen(real, ("left_hip", "right_hip"))
    have_knees = (have_hips and _seen(real, ("left_knee", "right_knee"))
                  and _implausible(rp, ("left_hip", "left_knee")) is None)
    levels = _levels(rp, have_hips, have_knees)
    mask = person_mask(pair)
    edge_pts: list[tuple[float, float]] = []
    edge_names: list[tuple[str, bool]] = []
    axis_x = float(_mid(rp, "left_shoulder", "right_shoulder")[0])
    if have_hips:
        axis_x = (axis_x + float(_mid(rp, "left_hip", "right_hip")[0])) / 2
    widths: dict[str, Change | Unmeasured] = {}
    for name, y in levels.items():
        row = None if mask is None else _mask_row(mask, y, pair.factor)
        e = None if row is None else _edges(row, axis_x * pair.factor)
        if e is None:
            widths[name] = Unmeasured("no silhouette at this height")
            continue
        xl, xr = e[0] / pair.factor, e[1] / pair.factor
        inset = 0.03 * (xr - xl)
        left, right = (xl + inset, y), (xr - inset, y)
        shown = [shown_in_both(pair, np.array(p)) for p in (left, right)]
        if all(shown):
            edge_pts += [left, right]
        elif any(shown):
            # the frame cuts one side: measure the side it shows, from the body's axis
            edge_pts += [left if shown[0] else right, (axis_x, y)]
        else:
            widths[name] = Unmeasured("this height lies outside what the twin shows")
            continue
        edge_names.append((name, all(shown)))
    pts = np.vstack([rp[:, :2], np.array(edge_pts).reshape(-1, 2)])
    tracked = track_points(crop, pts)
    track_error = float(np.median(tracked.fb_error[: len(rp)])) / shoulder_w
    trusted = track_error <= MAX_TRACK_ERROR
    tp = tracked.twin_points[: len(rp)] if trusted else lm.twin_body[:, :2]
    ratios: dict[str, Change | Unmeasured] = {}
    for name, (need, label, grow, shrink) in RATIOS.items():
        if not _seen(real, need) or (not trusted and not _seen(twin, need)):
            ratios[name] = Unmeasured("not all of its landmarks are visible")
            continue
        if not all(shown_in_both(pair, rp[P[n], :2]) for n in need):
            ratios[name] = Unmeasured("some of its landmarks lie outside what the twin shows")
            continue
        why = _implausible(rp, need)
        if why:
            ratios[name] = Unmeasured(why)
            continue
        pct = 100.0 * (_ratio(name, tp) / _ratio(name, rp) - 1.0)
        ratios[name] = _change(label, pct, grow, shrink)
    for i, (name, whole) in enumerate(edge_names):
        if not trusted:
            widths[name] = Unmeasured("silhouette tracking unreliable on this pair")
            continue
        a_r, b_r = pts[len(rp) + 2 * i, 0], pts[len(rp) + 2 * i + 1, 0]
        a_t, b_t = tracked.twin_points[len(rp) + 2 * i, 0], tracked.twin_points[len(rp) + 2 * i + 1, 0]
        pct = 100.0 * (abs(b_t - a_t) / abs(b_r - a_r) - 1.0)
        label = name if whole else f"{name} (the side the frame shows)"
        widths[name] = _change(label, pct, "wider", "narrower")
    out.metrics["body"] = Body(
        proportions=ratios, widths=widths, levels_y_px={k: round(v, 1) for k, v in levels.items()},
        method="real landmarks tracked into the twin (optical flow)" if trusted
        else "the two models' landmarks (tracking unreliable)",
        tracking_error_shoulder_width=round(track_error, 4),
        # Where each real body landmark is in the twin (real-image pixels), for overlays.
        twin_points=np.round(np.asarray(tp)[:, :2], 2).tolist())
    for group, changes in (("proportions", ratios), ("widths", widths)):
        for name, ch in changes.items():
            if isinstance(ch, Change):
                f = judge(f"body.{group}.{name}.percent", ch.percent, policy, name, ch.text)
                out.add(f.located(_body_box(name, rp, levels, shoulder_w, real)) if f else None)
    return out


def _body_box(name: str, rp: np.ndarray, levels: dict[str, float], shoulder_w: float,
              real: object) -> tuple[float, float, float, float] | None:
    """A ratio's landmarks, or a band across the body at a width's height."""
    if name in RATIOS:
        return bounding_box(np.array([rp[P[n], :2] for n in RATIOS[name][0]]), pad=0.15 * shoulder_w)
    if name in levels:
        seen = [rp[i, :2] for i in range(len(rp))
                if real.visibility[i] > SEEN and real.presence[i] > SEEN]  # type: ignore[attr-defined]
        xs = np.array([p[0] for p in seen]) if seen else np.array([rp[:, 0].min(), rp[:, 0].max()])
        y = levels[name]
        return (float(xs.min() - 0.3 * shoulder_w), y - 0.15 * shoulder_w,
                float(xs.max() + 0.3 * shoulder_w), y + 0.15 * shoulder_w)
    return None


def _mask_row(mask: np.ndarray, y_full: float, factor: float) -> np.ndarray | None:
    y = round(y_full * factor)
    if not 0 <= y < mask.shape[0]:
        return None
    return mask[y]
