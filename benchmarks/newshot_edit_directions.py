"""Her own portraits' identity-descriptor edit directions as the yardstick, measured (issue 23).

    .venv/bin/python benchmarks/newshot_edit_directions.py [--subsets N] [--write]

Both calibration sets. Every identifiable photograph is read for enrolment once by the product's
own code (``edit_directions.probe_portrait``: mirror-averaged descriptor, symmetric probes);
for people with 3 or more, each photograph in turn is the twin — unedited (the control), with
the jaw slimmed 10 % and with the eyes enlarged 16 % (the tests' warps, not the probe's) — and
up to N subsets of each size k of her other photographs are her portraits (``combine``). The ±
is the product's (``descriptor_yardstick.plus_minus``) with σ₀ fitted on the other people's
unedited twins only (people with 2 photographs count there, with 1 portrait), and the verdict
the product's one rule (``judge``). Counts are per number of portraits (2, 3–4, ≥ 5); the rate
weighs each person equally, and "of 12" is that rate × 12 (only 8 people have 3 or more
photographs, so 12 distinct same-person pairs with 2 portraits cannot be formed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.jaw_vline import vline  # noqa: E402
from benchmarks.newshot_corpus import CACHE, corpus, read_one  # noqa: E402
from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, save  # noqa: E402

from twinproof.core.compare.descriptor_yardstick import (  # noqa: E402
    DIRECTIONS_VERSION,
    direction_verdict,
    plus_minus,
)
from twinproof.core.identity import FaceIdentity  # noqa: E402
from twinproof.core.identity.edit_directions import combine, probe_portrait  # noqa: E402
from twinproof.core.identity.probe_edits import PROBES  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.policy import load_policy  # noqa: E402
from twinproof.core.result import Mode, Severity, descriptor  # noqa: E402
from twinproof.core.result.judge import too_uncertain  # noqa: E402

EDITS = {"jaw −10 %": lambda n, a: cases.jaw(n, a, -10), "eyes +16 %": lambda n, a: cases.eyes(n, a, 16),
         # a slimming shaped unlike the probe (the jaw line pulled in, benchmarks/jaw_vline.py)
         "jaw V-line −10 %": lambda n, a: vline(a, cases.landmarks(n).face.points, -10)}
BUCKETS = {"2": (2, 2), "3–4": (3, 4), "≥5": (5, 99)}


def portraits() -> dict:
    """Photo → its enrolment probe (None when unusable); person → usable photos."""
    store = CACHE / f"edit_directions_v{DIRECTIONS_VERSION}.pkl"
    if store.exists():
        return pickle.loads(store.read_bytes())
    groups, readings = corpus()
    out: dict = {"people": {}, "probe": {}}
    for person, paths in sorted(groups.items()):
        for path in map(str, paths):
            face = readings[path].landmarks.face
            ok = isinstance(readings[path].identity, FaceIdentity) and face is not None
            out["probe"][path] = probe_portrait(load_image(path).pixels, face) if ok else None
            print(person, Path(path).name, file=sys.stderr, flush=True)
        good = [str(p) for p in paths if out["probe"][str(p)] is not None]
        if len(good) >= 2:
            out["people"][person] = good
    store.write_bytes(pickle.dumps(out))
    return out


def enrolment() -> dict:
    """``portraits()`` and, for people with 3 or more, each photo as a twin probed like a
    portrait: unedited (its own probe), jaw −10 %, eyes +16 %."""
    store = CACHE / f"edit_directions_v{DIRECTIONS_VERSION}_twins.pkl"
    out = pickle.loads(store.read_bytes()) if store.exists() else {**portraits(), "twin": {}}
    if all(set(EDITS) <= set(out["twin"].get(p, {})) for g in out["people"].values() if len(g) >= 3 for p in g):
        return out
    with tempfile.TemporaryDirectory() as tmp:
        for person, good in out["people"].items():
            for path in good if len(good) >= 3 else []:
                pixels = load_image(path).pixels
                twins = out["twin"].setdefault(path, {"control": out["probe"][path]})
                PHOTOS[f"dir:{path}"] = lambda p=pixels: p  # type: ignore[misc]
                cases.landmarks.cache_clear()
                for label, make in EDITS.items():
                    if label in twins:
                        continue
                    arr = np.ascontiguousarray(make(f"dir:{path}", pixels.copy()))
                    face = read_one(save(arr, Path(tmp) / "e.png")).landmarks.face
                    twins[label] = None if face is None else probe_portrait(arr, face)
                print("twin", person, Path(path).name, file=sys.stderr, flush=True)
    store.write_bytes(pickle.dumps(out))
    return out


def readings(data: dict, subsets: int, seed: int = 23, twin_dir: bool = True) -> list[dict]:
    """Each (person, twin, portraits) configuration's readings; 2-photo people give 1-portrait
    controls (used only for σ₀)."""
    rng = random.Random(seed)
    out = []
    for person, good in data["people"].items():
        for twin in good:
            others = [p for p in good if p != twin]
            for k in range(1, len(others) + 1):
                subs = list(itertools.combinations(others, k))
                for sub in rng.sample(subs, subsets) if len(subs) > subsets else subs:
                    probes = [data["probe"][p] for p in sub]
                    twins = data["twin"].get(twin, {"control": data["probe"][twin]})
                    for edit, t in twins.items():
                        if t is None:
                            continue
                        # one portrait: read against it alone (σ₀ only; no own spread)
                        dirs = combine(probes * 2 if k == 1 else probes, twin=t if twin_dir else None)
                        assert not isinstance(dirs, str)
                        out.append({"person": person, "twin": twin, "k": k, "edit": edit,
                                    "r": dirs.read(t.descriptor),
                                    "own": {n: dirs.directions[n].own for n in PROBES} if k > 1 else None,
                                    "spread": {n: dirs.directions[n].spread() for n in PROBES}})
    return out


def prior(rows: list[dict], leave_out: str | None) -> dict[str, tuple[float, float]]:
    """σ₀ per edit from the unedited twins of everyone but ``leave_out`` (each reading scaled to one
    against its k portraits' centre, each person weighted equally); ν₀ = the number of people."""
    controls = [r for r in rows if r["edit"] == "control" and r["person"] != leave_out]
    counts: dict[str, int] = {}
    for r in controls:
        counts[r["person"]] = counts.get(r["person"], 0) + 1
    w = np.array([1 / counts[r["person"]] for r in controls])
    out = {}
    for name in PROBES:
        z2 = np.array([r["r"][name] ** 2 / (1 + 1 / r["k"]) for r in controls])
        out[name] = (float(np.sqrt(np.average(z2, weights=w))), float(len(counts)))
    return out


def judged(rows: list[dict], conf: float) -> list[dict]:
    """Each configuration with 2+ portraits judged by the product's rule, σ₀ without the person."""
    policy = load_policy()
    priors = {p: prior(rows, p) for p in {r["person"] for r in rows}}
    out = []
    for r in rows:
        if r["k"] < 2:
            continue
        verdict = {}
        for name in PROBES:
            pm, _ = plus_minus(r["own"][name], r["spread"][name], priors[r["person"]][name], conf)
            flag, unc = direction_verdict(name, r["r"][name], pm, r["k"], conf, policy, "x")
            wide = too_uncertain(descriptor(f"face.identity_edits.{name}.percent"), pm, policy, Mode.NEW_SHOT)
            # (reading, ±, severity, the row says "cannot judge", the ± alone is wider than the fail limit)
            verdict[name] = (r["r"][name], pm, None if flag is None else flag.severity, unc.cannot_judge is not None,
                             wide)
        out.append({**r, "verdict": verdict})
    return out


def rate(items: list[dict], hit) -> tuple[int, float]:
    """(count, rate with each person weighted equally)."""
    people = sorted({i["person"] for i in items})
    return sum(map(hit, items)), float(np.mean([np.mean([hit(i) for i in items if i["person"] == p]) for p in people]))


def report(found: list[dict]) -> dict:
    questions = {
        "jaw −10 % caught (jaw flag)": ("jaw −10 %", lambda i: i["verdict"]["jaw_width"][2] is not None),
        "jaw V-line −10 % caught": ("jaw V-line −10 %", lambda i: i["verdict"]["jaw_width"][2] is not None),
        "eyes +16 % caught (eye flag)": ("eyes +16 %", lambda i: i["verdict"]["eye_width"][2] is not None),
        "eyes +16 % raising a jaw flag": ("eyes +16 %", lambda i: i["verdict"]["jaw_width"][2] is not None),
        "unedited: a fail of any edit": ("control", lambda i: any(v[2] is Severity.FAIL
                                                                   for v in i["verdict"].values())),
        "unedited: a warning of any edit": ("control", lambda i: any(v[2] is Severity.WARN
                                                                      for v in i["verdict"].values())),
        # the one rule's "cannot judge" where the ± alone is wider than the fail limit and no flag was raised
        "unedited: some row cannot judge": ("control", lambda i: any(v[3] for v in i["verdict"].values())),
        "unedited: jaw row cannot judge": ("control", lambda i: i["verdict"]["jaw_width"][3]),
        "unedited: face-width row cannot judge": ("control", lambda i: i["verdict"]["face_width"][3]),
        "unedited: eye row cannot judge": ("control", lambda i: i["verdict"]["eye_width"][3]),
        "jaw −10 %: jaw row cannot judge": ("jaw −10 %", lambda i: i["verdict"]["jaw_width"][3]),
        "eyes +16 %: eye row cannot judge": ("eyes +16 %", lambda i: i["verdict"]["eye_width"][3]),
        # had "cannot judge" also silenced a value beyond its ± and the limit (as the model's rows do)
        "jaw −10 % caught, were wide ± silenced": ("jaw −10 %", lambda i: i["verdict"]["jaw_width"][2] is not None
                                                   and not i["verdict"]["jaw_width"][4]),
        "eyes +16 % caught, were wide ± silenced": ("eyes +16 %", lambda i: i["verdict"]["eye_width"][2] is not None
                                                    and not i["verdict"]["eye_width"][4]),
        "unedited fail, were wide ± silenced": ("control", lambda i: any(v[2] is Severity.FAIL and not v[4]
                                                                          for v in i["verdict"].values())),
    }
    table: dict = {}
    for label, (edit, hit) in questions.items():
        line = f"{label:42s}"
        for bucket, (lo, hi) in BUCKETS.items():
            items = [i for i in found if i["edit"] == edit and lo <= i["k"] <= hi]
            if not items:
                continue
            n, share = rate(items, hit)
            people = len({i["person"] for i in items})
            table.setdefault(label, {})[bucket] = {"count": n, "of": len(items), "people": people,
                                                   "rate": round(share, 3)}
            line += (f" | {bucket} portraits: {n:4d}/{len(items):4d} ({people} people) {share:4.0%} "
                     f"≈{12 * share:4.1f} of 12")
        print(line)
    for edit, name in (("jaw −10 %", "jaw_width"), ("jaw V-line −10 %", "jaw_width"), ("control", "jaw_width"),
                       ("eyes +16 %", "eye_width")):
        for bucket, (lo, hi) in BUCKETS.items():
            v = [i["verdict"][name] for i in found if i["edit"] == edit and lo <= i["k"] <= hi]
            if v:
                lo5, hi95, med = np.percentile([x[0] for x in v], [5, 95, 50])
                print(f"  {edit:10s} {name:9s} {bucket:>3s} portraits: readings {lo5:+5.1f} .. {hi95:+5.1f} % "
                      f"(5–95th), median {med:+5.1f}, median ± {np.median([x[1] for x in v]):4.1f}")
    for edit in ("jaw −10 %", "jaw V-line −10 %"):
        per = []
        for person in sorted({i["person"] for i in found}):
            items = [i for i in found if i["edit"] == edit and i["k"] == 2 and i["person"] == person]
            if items:
                per.append(f"{person} {sum(i['verdict']['jaw_width'][2] is not None for i in items)}/{len(items)}")
        print(f"  {edit} with 2 portraits, per person: " + ", ".join(per))
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subsets", type=int, default=12, help="portrait subsets sampled per twin and size")
    parser.add_argument("--write", action="store_true", help="write σ₀ (everyone) to resources/calibration")
    parser.add_argument("--portraits-only", action="store_true",
                        help="directions from her portraits alone (the twin's own probe shifts left out)")
    args = parser.parse_args()
    rows = readings(enrolment(), args.subsets, twin_dir=not args.portraits_only)
    conf = float(load_policy().limit("new_shot", "confidence") or 0.99)
    table = report(judged(rows, conf))
    (CACHE / "edit_directions_table.json").write_text(json.dumps(table, ensure_ascii=False, indent=1))
    if args.write:
        everyone = prior(rows, None)
        (ROOT / "resources" / "calibration" / "edit_directions.json").write_text(json.dumps(
            {"about": "σ₀ (edit-equivalent %) and ν₀ (people) of the identity-descriptor edit readings of unedited "
                      "twins (mirror-averaged, symmetric probes), benchmarks/newshot_edit_directions.py --write",
             "directions_version": DIRECTIONS_VERSION,
             "edits": {k: {"sigma": round(s, 3), "dof": d} for k, (s, d) in everyone.items()}},
            indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
