"""Fit the new-shot uncertainty model on same-person pairs, and leave one person out.

Used by ``calibrate_new_shot.py`` (which prints the tables and writes the shipped model) and by
the slow calibration test. Each pair's measurements are the product's own
(``core/compare/pair_values.py`` and the eye width followed by optical flow).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width
from twinproof.core.compare.pair_values import face_percents, skin_values, texture_ratio
from twinproof.core.compare.uncertainty import (
    FEATURES,
    PERSPECTIVE,
    MeasureModel,
    UncertaintyModel,
    features,
    signed_distance,
)
from twinproof.core.reading.parts import FaceShape, SkinSample

CONFIDENCES = (0.5, 0.8, 0.9, 0.95, 0.99)
#: Beyond 0.99 the pairs are too few for their own quantile: a Student t fitted to the
#: standardised residuals (each person weighted equally) gives the tail.
TAIL = (0.995, 0.999)


def measures(ra, rb, eye: float | None) -> dict[str, float]:
    """Every modelled measurement of one pair (real ``ra``, twin ``rb``), in its judged unit:
    % for proportions, L* / degrees / ΔE00 for skin, 100·ln(ratio) for texture."""
    out: dict[str, float] = {}
    if isinstance(ra.face, FaceShape) and isinstance(rb.face, FaceShape):
        out.update(face_percents(ra.face, rb.face))
        if eye is not None:
            out["eye_width"] = eye
    if isinstance(ra.skin, SkinSample) and isinstance(rb.skin, SkinSample):
        if ra.skin.no_colour is None and rb.skin.no_colour is None:
            out.update({k: v for k, v in skin_values(ra.skin, rb.skin).items() if isinstance(v, float)})
        t = texture_ratio(ra.skin, rb.skin)
        if t is not None and t > 0:
            out["texture"] = 100.0 * math.log(t)
    if isinstance(ra.body, dict) and isinstance(rb.body, dict):
        for name, v in ra.body.items():
            w = rb.body.get(name)
            if isinstance(v, float) and isinstance(w, float) and v > 0:
                out[f"body.{name}"] = 100.0 * (w / v - 1.0)
    return out


def eye_flow(cache_file: Path, pairs, pixels_of) -> dict[str, float | None]:
    """The eye width followed by optical flow for each pair (kept in ``cache_file``)."""
    done = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    for _person, a, b, ra, rb in pairs:
        key = f"{a}|{b}"
        if key in done:
            continue
        fa, fb = ra.landmarks.face, rb.landmarks.face
        found = tracked_eye_width(pixels_of(a), fa.points, pixels_of(b), fb.points) if fa is not None and \
            fb is not None else "no face"
        done[key] = found.percent if isinstance(found, TrackedEyes) else None
    cache_file.write_text(json.dumps(done))
    return done


def group_of(measure: str) -> str:
    return "body" if measure.startswith("body.") else measure


def samples(pairs, eyes: dict[str, float | None]) -> list[dict]:
    """One record per pair: person, its measures, the features and the signed distance."""
    out = []
    for person, a, b, ra, rb in pairs:
        out.append({"person": person, "pair": f"{Path(a).parent.name}/{Path(a).name}-{Path(b).name}",
                    "iod": min(ra.conditions.iod_px, rb.conditions.iod_px),
                    "m": measures(ra, rb, eyes.get(f"{a}|{b}")),
                    "x": features(ra.conditions, rb.conditions),
                    "s": signed_distance(ra.conditions, rb.conditions)})
    return out


def _weights(rows: list[dict]) -> np.ndarray:
    count: dict[str, int] = defaultdict(int)
    for r in rows:
        count[r["person"]] += 1
    return np.array([1.0 / count[r["person"]] for r in rows])


def wquantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = np.cumsum(w) / w.sum()
    return float(v[min(len(v) - 1, int(np.searchsorted(cum, q)))])


def fit_measure(group: str, rows: list[dict]) -> MeasureModel | None:
    """Maximum likelihood (Gaussian, each person weighted equally) of σ's coefficients, after
    the perspective bias; then the multiples of σ the pairs stayed within."""
    use = [(r, v) for r in rows for k, v in r["m"].items() if group_of(k) == group]
    if len(use) < 8:
        return None
    names = FEATURES["body" if group == "body" else group]
    d = np.array([v for _r, v in use])
    s = np.array([r["s"] for r, _v in use])
    X = np.array([[r["x"][k] for k in names] for r, _v in use]).reshape(len(use), len(names))
    w = _weights([r for r, _v in use])
    beta = 0.0
    if group in PERSPECTIVE:
        beta = float(np.sum(w * s * d) / max(1e-9, np.sum(w * s * s)))
    e = d - beta * s

    def nll(theta: np.ndarray) -> float:
        var = np.exp(2 * theta[0]) + (X ** 2) @ np.exp(2 * theta[1:]) if len(names) else \
            np.full(len(e), np.exp(2 * theta[0]))
        return float(np.sum(w * (0.5 * np.log(var) + e ** 2 / (2 * var))))

    theta0 = np.full(1 + len(names), math.log(max(1e-3, float(np.sqrt(np.average(e ** 2, weights=w))) / 2)))
    theta = minimize(nll, theta0, method="L-BFGS-B", bounds=[(-12, 6)] * len(theta0)).x
    model = MeasureModel(float(np.exp(theta[0])), {k: float(np.exp(t)) for k, t in zip(names, theta[1:],
                                                                                         strict=True)}, beta, {})
    z = np.array([abs(ei) / model.sigma(r["x"])[0] for ei, (r, _v) in zip(e, use, strict=True)])
    mult = {c: wquantile(z, w, c) for c in CONFIDENCES}
    mult.update(t_tail(z, w))
    count: dict[str, int] = defaultdict(int)
    for r, _v in use:
        count[r["person"]] += 1
    return MeasureModel(model.base, model.coefficients, beta, mult, sum(1 for c in count.values() if c >= 3))


def t_tail(z: np.ndarray, w: np.ndarray) -> dict[float, float]:
    """Two-sided quantiles of |z| at ``TAIL`` from a scaled Student t fitted by weighted maximum
    likelihood (ν on a grid): heavier tails than a Gaussian, as same-person pairs have."""
    from scipy import stats

    best = None
    for nu in (1.5, 2, 3, 4, 6, 10, 30):
        scale = float(np.sqrt(np.average(z ** 2, weights=w) * (nu - 2) / nu)) if nu > 2 else \
            float(np.average(np.abs(z), weights=w))
        for s in scale * np.array([0.6, 0.8, 1.0, 1.2]):
            ll = float(np.sum(w * stats.t.logpdf(z, nu, scale=s)) + np.sum(w * stats.t.logpdf(-z, nu, scale=s)))
            if best is None or ll > best[0]:
                best = (ll, nu, s)
    assert best is not None
    _ll, nu, s = best
    return {c: max(float(stats.t.ppf(0.5 + c / 2, nu, scale=s)), float(z.max()) if c >= 0.999 else 0.0)
            for c in TAIL}


def fit(rows: list[dict]) -> UncertaintyModel:
    groups = sorted({group_of(k) for r in rows for k in r["m"]})
    out = {}
    for g in groups:
        m = fit_measure(g, rows)
        if m is not None:
            out[g] = m
    people = sorted({r["person"] for r in rows})
    faces = [r["iod"] for r in rows if r["iod"] > 0 and "jaw_width" in r["m"]]
    return UncertaintyModel(out, float(min(faces)) if faces else 40.0,
                            f"{len(rows)} same-person pairs of {len(people)} people")


def leave_one_out(rows: list[dict]) -> dict[str, UncertaintyModel]:
    """Person -> the models fitted on everyone else."""
    return {p: fit([r for r in rows if r["person"] != p]) for p in sorted({r["person"] for r in rows})}
