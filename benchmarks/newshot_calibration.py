"""The leave-one-person-out calibration of the new-shot uncertainty (run by
``calibrate_new_shot.py``): per-person table, controls, and controlled edits."""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from benchmarks.newshot_corpus import CACHE, ROOT, corpus, read_one, same_pairs
from benchmarks.newshot_fit import eye_flow, fit, leave_one_out, samples

from twinproof.core.compare.shot_findings import body_findings, face_findings, skin_findings, texture_findings
from twinproof.core.compare.uncertainty import MODEL_FILE, UncertaintyModel
from twinproof.core.imageio import load_image
from twinproof.core.policy import load_policy
from twinproof.core.reading.parts import FaceShape, SkinSample
from twinproof.core.result import Severity

OLD_FAIL = {"eye_width": 13.0, "irises": 27.0, "nose_width": 16.0, "jaw_width": 7.0, "face_width": 5.0,
            "ita_change": 60.0, "delta_e00": 20.0, "body": 20.0}


def judge_pair(ra, rb, eye, policy, model: UncertaintyModel) -> dict:
    """The product's findings for one pair with ``model``: flags, and what cannot be judged."""
    flags, unc = [], {}
    parts = []
    if isinstance(ra.face, FaceShape) and isinstance(rb.face, FaceShape):
        parts.append(face_findings(ra, rb, eye, policy, model))
    if isinstance(ra.skin, SkinSample) and isinstance(rb.skin, SkinSample):
        parts += [skin_findings(ra, rb, policy, model), texture_findings(ra, rb, policy, model)]
    if isinstance(ra.body, dict) and isinstance(rb.body, dict):
        parts.append(body_findings(ra, rb, policy, model))
    for p in parts:
        flags += p.flags
        unc.update(p.uncertainty)
    return {"fails": sorted({f.metric for f in flags if f.severity is Severity.FAIL}),
            "warns": sorted({f.metric for f in flags if f.severity is Severity.WARN}),
            "cannot": {k: u.cannot_judge for k, u in unc.items() if u.cannot_judge}}


def old_fails(m: dict[str, float]) -> list[str]:
    """The same readings judged by the limits alone (ITA read at any b*, as before)."""
    out = []
    for k, v in m.items():
        key = "body" if k.startswith("body.") else k
        if key in OLD_FAIL and abs(v) > OLD_FAIL[key]:
            out.append(k)
    if m.get("texture") is not None and np.exp(m["texture"] / 100) < 0.4:
        out.append("texture")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="save the model fitted on everyone")
    ap.add_argument("--edits", action="store_true", help="controlled edits of 12 pairs (slow: ~2 min)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    policy = load_policy()
    groups, readings = corpus()
    pairs = [(p, str(a), str(b), readings[str(a)], readings[str(b)]) for p, a, b in same_pairs(groups)]
    pixels: dict[str, np.ndarray] = {}

    def pixels_of(path: str) -> np.ndarray:
        if path not in pixels:
            pixels[path] = load_image(path).pixels
        return pixels[path]

    eyes = eye_flow(CACHE / "eyes.json", pairs, pixels_of)
    rows = samples(pairs, eyes)
    loo = leave_one_out(rows)
    full = fit(rows)
    if args.write:
        out = ROOT / "resources" / Path(*MODEL_FILE)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(full.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    table: dict[str, dict] = defaultdict(lambda: {"pairs": 0, "before": 0, "after": 0, "warn": 0, "cannot": 0})
    why: Counter[str] = Counter()
    before_metrics: Counter[str] = Counter()
    after_metrics: Counter[str] = Counter()
    report = []
    for (person, a, b, ra, rb), row in zip(pairs, rows, strict=True):
        found = judge_pair(ra, rb, eyes.get(f"{a}|{b}"), policy, loo[person])
        old = old_fails(row["m"])
        t = table[person]
        t["pairs"] += 1
        t["before"] += bool(old)
        t["after"] += bool(found["fails"])
        t["warn"] += bool(found["warns"]) and not found["fails"]
        t["cannot"] += bool(found["cannot"])
        before_metrics.update(old)
        after_metrics.update(found["fails"])
        for reason in found["cannot"].values():
            why[reason.split(": ", 1)[1].split(";")[0].split(" (")[0]] += 1
        report.append({"person": person, "pair": row["pair"], "before": old, **found})
    print("\n| person | pairs | fail before | fail after | warn after | some row cannot be judged |")
    print("|---|---:|---:|---:|---:|---:|")
    for person, t in sorted(table.items()):
        print(f"| {person} | {t['pairs']} | {t['before']} | {t['after']} | {t['warn']} | {t['cannot']} |")
    tot = {k: sum(t[k] for t in table.values()) for k in ("pairs", "before", "after", "warn", "cannot")}
    print(f"| all | {tot['pairs']} | {tot['before']} | {tot['after']} | {tot['warn']} | {tot['cannot']} |")
    print("\nfail flags before:", dict(before_metrics.most_common()))
    print("fail flags after:", dict(after_metrics.most_common()))
    print("cannot be judged, most common reasons:", dict(why.most_common(8)))
    print("\nmodel fitted on everyone (σ base, perspective bias, ± at the policy's confidence for a pair read alike):")
    conf = float(policy.number("new_shot", "confidence"))
    for name, m in sorted(full.measures.items()):
        print(f"  {name:11s} base σ {m.base:6.2f}  bias {m.perspective_bias:+6.2f}/0.1 depth  ×{m.multiple(conf):.2f} "
              f"at {conf:g}  coefficients {', '.join(f'{k} {v:.2f}' for k, v in m.coefficients.items() if v > .05)}")
    print(f"  shape read from eyes {full.min_iod_px:.0f} px apart ({full.fitted_on})")
    if args.edits:
        report_edits = edits(groups, readings, loo, policy, pixels_of)
        report.append({"edits": report_edits})
        if args.write:  # what the product says a pair cannot reveal rests on these responses
            out = ROOT / "resources" / Path(*MODEL_FILE)
            data = json.loads(out.read_text(encoding="utf-8"))
            data["edit_response"] = report_edits["response"]
            out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"wrote the edits' responses into {out.relative_to(ROOT)}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


EDITS = {"eyes +16 %": ("eye_width", 16.0, "face.proportions.eye_width.percent"),
         "jaw −10 %": ("jaw_width", -10.0, "face.proportions.jaw_width.percent"),
         "skin ΔL* +10": ("delta_L", 10.0, "skin.")}


def edits(groups, readings, loo, policy, pixels_of) -> dict:
    """Eyes +16 %, jaw −10 %, skin ΔL* +10 in the twin of one same-person pair per person (12):
    caught beyond the unedited control, and how much of each edit the measurement reads (its
    response: the edited twin's value minus the control's, over the edit)."""
    from tests.core.fidelity import cases
    from tests.core.photos import PHOTOS, save

    from twinproof.core.compare.eye_flow import TrackedEyes, tracked_eye_width

    make = {"eyes +16 %": lambda n, a: cases.eyes(n, a, 16), "jaw −10 %": lambda n, a: cases.jaw(n, a, -10),
            "skin ΔL* +10": lambda n, a: cases.lighten(n, a, 10)}
    chosen = [(p, str(v[0]), str(v[1])) for p, v in sorted(groups.items())
              if all(isinstance(readings[str(x)].face, FaceShape) for x in v[:2])][:12]
    counts: dict[str, list] = {k: [] for k in EDITS}
    response: dict[str, list[float]] = {k: [] for k in EDITS}
    controls_failing = 0
    with tempfile.TemporaryDirectory() as tmp:
        for person, a, b in chosen:
            ra, rb = readings[a], readings[b]
            model = loo[person]

            def eye(twin_pixels, twin_reading, _a=a, _ra=ra):
                f = twin_reading.landmarks.face
                if f is None or _ra.landmarks.face is None:
                    return None
                t = tracked_eye_width(pixels_of(_a), _ra.landmarks.face.points, twin_pixels, f.points)
                return t.percent if isinstance(t, TrackedEyes) else None

            control_eye = eye(pixels_of(b), rb)
            control = judge_all(ra, rb, control_eye, policy, model)
            before = measured(ra, rb, control_eye)
            controls_failing += any(f.severity is Severity.FAIL for f in control)
            name = f"corpus:{b}"
            base = pixels_of(b)
            PHOTOS[name] = lambda p=base: p
            for label, (measure, size, metric) in EDITS.items():
                try:
                    arr = np.ascontiguousarray(make[label](name, base.copy()))
                except (AssertionError, ValueError) as exc:
                    counts[label].append((person, "no face to edit", str(exc)[:40]))
                    continue
                path = save(arr, Path(tmp) / f"{len(counts[label])}.png")
                re = read_one(path)
                edited_eye = eye(arr, re)
                found = judge_all(ra, re, edited_eye, policy, model)
                after = measured(ra, re, edited_eye)
                if measure in before and measure in after:
                    response[label].append((after[measure] - before[measure]) / size)
                hit = [f for f in found if f.metric.startswith(metric) and f not in control]
                counts[label].append((person, bool(hit), [f"{f.metric}:{f.severity}" for f in hit]))
    print(f"\ncontrolled edits on {len(chosen)} same-person pairs (the twin's person left out of the fit); "
          f"unedited controls with a fail flag: {controls_failing}")
    for label, items in counts.items():
        r = np.array(response[label])
        print(f"  {label}: caught {sum(1 for i in items if i[1] is True)} of {len(items)}; the measurement reads "
              f"{np.median(r):.0%} of the edit (range {r.min():.0%} to {r.max():.0%}, n={len(r)})")
    return {"caught": {k: [list(map(str, i)) for i in v] for k, v in counts.items()},
            "response": {EDITS[k][0]: round(float(np.median(v)), 3) for k, v in response.items() if v}}


def measured(ra, rb, eye) -> dict[str, float]:
    from twinproof.core.compare.pair_values import face_percents, skin_values

    out: dict[str, float] = {}
    if isinstance(ra.face, FaceShape) and isinstance(rb.face, FaceShape):
        out.update(face_percents(ra.face, rb.face))
        if eye is not None:
            out["eye_width"] = eye
    if isinstance(ra.skin, SkinSample) and isinstance(rb.skin, SkinSample):
        out["delta_L"] = float(skin_values(ra.skin, rb.skin)["delta_L"])
    return out


def judge_all(ra, rb, eye, policy, model):
    flags = []
    if isinstance(ra.face, FaceShape) and isinstance(rb.face, FaceShape):
        flags += face_findings(ra, rb, eye, policy, model).flags
    if isinstance(ra.skin, SkinSample) and isinstance(rb.skin, SkinSample):
        flags += skin_findings(ra, rb, policy, model).flags
    return flags
