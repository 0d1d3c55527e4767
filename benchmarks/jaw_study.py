"""Exploratory: which jaw estimator catches a −10 % jaw with few portraits (issue 23, jaw23).

    .venv/bin/python benchmarks/jaw_study.py

Uses ``jaw_atoms`` (every descriptor read once). For each person with 3+ photographs, each photo
in turn is the twin and every subset of k of the others (up to 20 sampled per k) her portraits.
Every fitted number (σ₀, the nuisance regression) is fitted on the other people only.
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.jaw_atoms import atoms  # noqa: E402

from twinproof.core.identity.probe_edits import PROBES  # noqa: E402

NAMES = list(PROBES)
A = atoms()


def desc(rec: dict, mirror: bool) -> np.ndarray:
    d = rec["own"]["d"] if "own" in rec and rec.get("own") else rec["d"]
    if mirror and rec.get("mirror"):
        d = (d + rec["mirror"]["d"]) / 2
    return d


def shift(rec: dict, name: str, opt: dict) -> np.ndarray | None:
    """Descriptor shift per +1 % of the edit for this portrait."""
    out = []
    for r in [rec["own"]] + ([rec["mirror"]] if opt.get("mirror") and rec.get("mirror") else []):
        p = PROBES[name]
        a, b = r["probe"][(name, p)], r["probe"][(name, -p)]
        if opt.get("sym") and a is not None and b is not None:
            out.append((a - b) / (2 * p))
        elif a is not None:
            out.append(a / p)
    return np.mean(out, axis=0) if out else None


def cond_vec(c) -> np.ndarray:
    return np.array([abs(c.yaw_deg) / 10, (c.yaw_deg / 10) ** 2, c.pitch_deg / 10, c.smile, c.mouth_open * 10,
                     c.eye_open * 10, (c.mesh_depth or 1.0) * 10, np.log(c.iod_px / 100)])


def read(twin_d: np.ndarray, portraits: list[dict], opt: dict, twin_rec: dict | None = None) -> tuple[dict, list[dict]]:
    """Readings (edit-equivalent %) of the twin and her leave-one-out own readings."""
    ds = np.stack([desc(p, opt.get("mirror", False)) for p in portraits])
    shifts = {n: [s for s in (shift(p, n, opt) for p in portraits) if s is not None] for n in NAMES}
    if twin_rec is not None and opt.get("twin_dir"):
        for n in NAMES:
            s = shift(twin_rec, n, opt)
            if s is not None:
                shifts[n] = shifts[n] + [s] * opt["twin_dir"]
    mat = np.stack([np.mean(shifts[n], axis=0) for n in NAMES], axis=1)
    if opt.get("project"):
        units = mat / np.linalg.norm(mat, axis=0)
        per = np.linalg.norm(mat, axis=0)

        def solve(off):
            return (off @ units) / per
    else:
        def solve(off):
            return np.linalg.lstsq(mat, off, rcond=None)[0]
    r = dict(zip(NAMES, solve(twin_d - ds.mean(0)), strict=True))
    own = [dict(zip(NAMES, solve(ds[i] - np.delete(ds, i, 0).mean(0)), strict=True)) for i in range(len(ds))]
    return r, own


def configs(max_sub: int = 20, seed: int = 1):
    rng = random.Random(seed)
    for person, good in A["people"].items():
        for twin in good:
            others = [p for p in good if p != twin]
            for k in range(1, len(others) + 1):
                subs = list(itertools.combinations(others, k))
                if len(subs) > max_sub:
                    subs = rng.sample(subs, max_sub)
                for s in subs:
                    yield person, twin, list(s)


def run(opt: dict, max_sub: int = 12) -> list[dict]:
    rows = []
    for person, twin, sub in configs(max_sub):
        ph = A["photos"]
        portraits = [ph[p] for p in sub]
        tw = ph[twin]
        cbar = np.mean([cond_vec(p["conditions"]) for p in portraits], axis=0)
        labels = tw["twin"] if tw["twin"] else {"control": {"d": tw["own"]["d"], "mirror": tw["mirror"],
                                                            "conditions": tw["conditions"]}}
        for label, t in labels.items():
            if t.get("d") is None:
                continue
            d = t["d"]
            if opt.get("mirror") and t.get("mirror"):
                d = (d + t["mirror"]["d"]) / 2
            trec = None
            if t.get("own") or label == "control":
                trec = {"own": t.get("own") or tw["own"], "mirror": t.get("mirror")}
            r, own = read(d, portraits, opt, trec)
            rows.append({"person": person, "twin": twin, "k": len(sub), "edit": label, "r": r, "own": own,
                         "dc": cond_vec(t["conditions"]) - cbar})
    return rows


def evaluate(rows: list[dict], opt: dict, conf_z: float = 2.576, name: str = "jaw_width") -> None:
    from scipy.stats import t as student

    people = sorted({r["person"] for r in rows})
    ctrl = [r for r in rows if r["edit"] == "control"]
    res: dict[str, list] = {}
    for person in people:
        cal = [r for r in ctrl if r["person"] != person]
        def fit(cal):
            if not opt.get("regress"):
                return np.zeros(8)
            x = np.stack([r["dc"] for r in cal]) / np.sqrt(1 + 1 / np.array([r["k"] for r in cal]))[:, None]
            y = np.array([r["r"][name] for r in cal]) / np.sqrt(1 + 1 / np.array([r["k"] for r in cal]))
            w = np.array([1 / sum(1 for q in cal if q["person"] == r["person"]) for r in cal])
            lam = opt.get("ridge", 1.0)
            return np.linalg.solve((x * w[:, None]).T @ x + lam * np.eye(8), (x * w[:, None]).T @ y)

        beta = fit(cal)
        betas = {q: (fit([r for r in cal if r["person"] != q]) if opt.get("nested") else beta)
                 for q in {r["person"] for r in cal}}
        z2, wts = [], []
        for r in cal:
            resid = r["r"][name] - r["dc"] @ betas[r["person"]]
            z2.append(resid ** 2 / (1 + 1 / r["k"]))
            wts.append(1 / sum(1 for q in cal if q["person"] == r["person"]))
        sigma0 = float(np.sqrt(np.average(z2, weights=wts)))
        nu0 = opt.get("nu0", len({r["person"] for r in cal}))
        for r in rows:
            if r["person"] != person:
                continue
            k = r["k"]
            own = [o[name] for o in r["own"]]
            s2 = np.mean(np.square(own)) / (1 + 1 / max(k - 1, 1)) if k >= 2 else 0.0
            dof = nu0 + max(k - 1, 0) * opt.get("own_weight", 1.0)
            sigma = np.sqrt((nu0 * sigma0 ** 2 + max(k - 1, 0) * opt.get("own_weight", 1.0) * s2) / dof)
            mult = student.ppf(0.995, dof) if opt.get("t", True) else conf_z
            u = mult * sigma * np.sqrt(1 + 1 / k)
            val = r["r"][name] - r["dc"] @ beta
            res.setdefault(r["edit"], []).append((person, k, val, u, abs(val) > u and abs(val) > 4.0,
                                                  abs(val) > u and abs(val) > 7.0))
    for edit, items in res.items():
        line = f"  {edit:8s}"
        for lo, hi in ((1, 1), (2, 2), (3, 4), (5, 99)):
            sel = [i for i in items if lo <= i[1] <= hi]
            if not sel:
                continue
            # people weighted equally: mean over people of their flag rate
            rate = np.mean([np.mean([i[4] for i in sel if i[0] == p]) for p in {i[0] for i in sel}])
            fails = sum(i[5] for i in sel)
            line += (f" k{lo}-{hi}: {sum(i[4] for i in sel):4d}/{len(sel):4d} ({rate:4.0%}) "
                     f"med±{np.median([i[3] for i in sel]):4.1f} F{fails}")
        print(line)


if __name__ == "__main__":
    variants = {
        "baseline (joint, t, nu0=people)": {},
        "sym probes": {"sym": True},
        "mirror": {"mirror": True},
        "mirror+sym": {"mirror": True, "sym": True},
        "regress": {"regress": True},
        "mirror+sym+regress": {"mirror": True, "sym": True, "regress": True},
    }
    for label, opt in variants.items():
        print(label)
        rows = run(opt)
        evaluate(rows, opt)
        evaluate(rows, opt, name="eye_width") if False else None


def per_person(rows: list[dict], name: str = "jaw_width") -> None:
    """Median reading per person and edit (the response and her control spread)."""
    for person in sorted({r["person"] for r in rows}):
        sel = [r for r in rows if r["person"] == person and r["k"] >= 2]
        if not sel:
            continue
        parts = []
        for edit in ("control", "jaw", "eyes"):
            v = [r["r"][name] for r in sel if r["edit"] == edit]
            if v:
                parts.append(f"{edit} med {np.median(v):+5.1f} sd {np.std(v):4.1f} [{min(v):+5.1f},{max(v):+5.1f}]")
        print(f"  {person:22s}", " | ".join(parts))
