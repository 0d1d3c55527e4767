"""Her own portraits' identity-descriptor edit directions as the yardstick, measured (issue 23).

    .venv/bin/python benchmarks/newshot_edit_directions.py [--twins N]

For each person of both calibration sets with 3 or more photographs whose face can be identified:
each photograph in turn (up to N) is the twin, the others her portraits (the real photograph
and the references). Directions are learned from her portraits only (``edit_directions.learn``:
nothing is fitted on other people), and the twin unedited (the control), with the jaw slimmed 10 %
(the tests' own warp, not the probe's) and with the eyes enlarged 16 % is read along them.
Prints each reading (edit-equivalent %), her own σ, and the z = reading / (σ √(1 + 1/n)).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "desktop")]

from benchmarks.newshot_corpus import CACHE, corpus, read_one  # noqa: E402
from tests.core.fidelity import cases  # noqa: E402
from tests.core.photos import PHOTOS, save  # noqa: E402

from twinproof.core.compare.descriptor_yardstick import plus_minus  # noqa: E402
from twinproof.core.identity import FaceIdentity  # noqa: E402
from twinproof.core.identity.edit_directions import TalentDirections, learn  # noqa: E402
from twinproof.core.identity.probe_edits import PROBES  # noqa: E402
from twinproof.core.imageio import load_image  # noqa: E402
from twinproof.core.policy import load_policy  # noqa: E402
from twinproof.core.result import Mode, judge  # noqa: E402
from twinproof.core.result.measurements import Uncertainty  # noqa: E402

EDITS = {"control": None, "jaw −10 %": lambda n, a: cases.jaw(n, a, -10),
         "eyes +16 %": lambda n, a: cases.eyes(n, a, 16)}


def rows(twins_per_person: int) -> list[dict]:
    groups, readings = corpus()
    out: list[dict] = []
    learned: dict[tuple[str, ...], TalentDirections | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for person, paths in sorted(groups.items()):
            good = [str(p) for p in paths if isinstance(readings[str(p)].identity, FaceIdentity)]
            if len(good) < 3:
                continue
            for twin_path in good[:twins_per_person]:
                own_paths = [p for p in good if p != twin_path][:6]
                portraits = [(load_image(p).pixels, readings[p].landmarks.face) for p in own_paths]
                key = tuple(own_paths)
                if key not in learned:
                    learned[key] = learn(portraits)
                dirs = learned[key]
                if isinstance(dirs, str):
                    print(person, dirs)
                    continue
                base = load_image(twin_path).pixels
                PHOTOS[f"dir:{twin_path}"] = lambda p=base: p  # type: ignore[misc]
                cases.landmarks.cache_clear()
                for label, make in EDITS.items():
                    if make is None:
                        identity = readings[twin_path].identity
                    else:
                        arr = np.ascontiguousarray(make(f"dir:{twin_path}", base.copy()))
                        identity = read_one(save(arr, Path(tmp) / "e.png")).identity
                    if not isinstance(identity, FaceIdentity):
                        continue
                    reading = dirs.read(identity.descriptor)
                    out.append({"person": person, "twin": twin_path, "edit": label, "n": dirs.portraits,
                                "reading": reading, "projection": dirs.project(identity.descriptor),
                                "sigma": {k: d.spread() for k, d in dirs.directions.items()},
                                "own": {k: list(d.own) for k, d in dirs.directions.items()},
                                "per_percent": {k: d.per_percent for k, d in dirs.directions.items()},
                                "cos": float(dirs.directions["jaw_width"].unit @ dirs.directions["eye_width"].unit),
                                "cos_face": float(dirs.directions["jaw_width"].unit
                                                  @ dirs.directions["face_width"].unit)})
                print(f"{person:22s} {Path(twin_path).name:14s} n={dirs.portraits} " + " ".join(
                    f"{r['edit'][:4]} jaw {r['reading']['jaw_width']:+6.1f} eye {r['reading']['eye_width']:+6.1f}"
                    for r in out if r["twin"] == twin_path), flush=True)
    return out


def prior(found: list[dict], leave_out: str | None) -> dict[str, tuple[float, float]]:
    """σ₀ per edit from the unedited twins of everyone but ``leave_out`` (each reading scaled to
    one against n portraits' centre), ν₀ = the number of those people (their twins are not
    independent of each other)."""
    controls = [r for r in found if r["edit"] == "control" and r["person"] != leave_out]
    people = {r["person"] for r in controls}
    out = {}
    for name in PROBES:
        z = [r["reading"][name] / np.sqrt(1 + 1 / r["n"]) for r in controls]
        out[name] = (float(np.sqrt(np.mean(np.square(z)))), float(len(people)))
    return out


def judged(found: list[dict], conf: float) -> dict[str, list[tuple[str, float, float, bool]]]:
    """Edit → (person, reading, ±U, flagged) with each person left out of σ₀."""
    from types import SimpleNamespace

    policy = load_policy()
    out: dict[str, list[tuple[str, float, float, bool]]] = {}
    for r in found:
        measure = {"control": None, "jaw −10 %": "jaw_width", "eyes +16 %": "eye_width"}[r["edit"]]
        pri = prior(found, r["person"])
        names = [measure] if measure else list(PROBES)
        for name in names:
            d = SimpleNamespace(own=tuple(r["own"][name]))
            pm, _ = plus_minus(d.own, r["sigma"][name], pri[name], conf)
            path = f"face.identity_edits.{name}.percent"
            flag = judge(path, round(r["reading"][name], 2), policy, "face", "x", mode=Mode.NEW_SHOT,
                         uncertainty=Uncertainty(pm, conf, []))
            key = r["edit"] if measure else f"control {name}"
            counted = flag is not None and (measure is not None or flag.severity.value == "fail")
            out.setdefault(key, []).append((f"{r['person']}/{Path(r['twin']).name}", r["reading"][name], pm, counted))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--twins", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="judge the readings of the last run again")
    parser.add_argument("--write", action="store_true", help="write σ₀ (everyone) to resources/calibration")
    args = parser.parse_args()
    saved = CACHE / f"directions_{args.twins}.json"
    found = json.loads(saved.read_text()) if args.reuse and saved.exists() else rows(args.twins)
    saved.write_text(json.dumps(found))
    conf = float(load_policy().limit("new_shot", "confidence") or 0.99)
    for key, items in judged(found, conf).items():
        what = "fail" if key.startswith("control") else "flagged"
        people = len({i[0].split("/")[0] for i in items})
        print(f"{key:22s} {what} {sum(i[3] for i in items)} of {len(items)} ({people} people); readings "
              f"{min(i[1] for i in items):+.1f} .. {max(i[1] for i in items):+.1f} %, median ± "
              f"{np.median([i[2] for i in items]):.1f}")
        for i in items:
            print(f"    {i[0]:40s} {i[1]:+6.1f} ± {i[2]:4.1f} {'FLAG' if i[3] else ''}")
    if args.write:
        everyone = prior(found, None)
        (ROOT / "resources" / "calibration" / "edit_directions.json").write_text(json.dumps(
            {"about": "σ₀ (edit-equivalent %) and ν₀ of the identity-descriptor edit readings of unedited twins, "
                      "benchmarks/newshot_edit_directions.py --write", "twins_per_person": args.twins,
             "edits": {k: {"sigma": round(s, 3), "dof": d} for k, (s, d) in everyone.items()}},
            indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
