"""The shoot audit's known answers on real photographs, as figures (the tests assert them:
tests/review/test_drift_photos.py).

    .venv/bin/python benchmarks/bench_drift_photos.py [--cache DIR] [--shoots 100]

Pairs: every same-person pair of ../shared/faces and consecutive photos of each person of
../shared/faces-more (greyscale Elvis left out), and a control frame per real photo (the twin
of that very frame). Prints: what the new-shot jaw reading makes of a 4 % slimming (pair by
pair, and across the shoot, with and without control frames), how often random unedited shoots
of 24 pairs are called drifting, and the skin-tone contrast of a ΔL* +4 lightening of the
darker third's twins. Then the shoot whose talents have reference portraits (photos 1 and 2
apart of the 3 people with 5 or more photographs, each pair's references 3 of her OTHER photos):
the jaw read along her own edit directions (identity model), unedited and slimmed 4 %.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.review import drift_photos as dp  # noqa: E402

from twinproof.core.drift import AuditSettings, audit_drift, drift_inputs, pair_facts, skin_tone_groups  # noqa: E402
from twinproof.core.drift.words import drift_sentence  # noqa: E402

JAW = "face.proportions.jaw_width.percent"


def facts(a: dp.Analyses, shots: list[dp.Shot], edit: str = "none", amount: float = 0.0, only=None) -> list:
    out = []
    for i, s in enumerate(shots):
        e, x = (edit, amount) if only is None or s.person in only else ("none", 0.0)
        r = a.result(s, e, x)
        if r is not None:
            out.append(pair_facts(i, f"p{i:03d}", r, talent=s.person))
    return out


IDENTITY_JAW = "face.identity_edits.jaw_width.percent"


def referenced(a: dp.Analyses, settings: AuditSettings, shoots: int) -> None:
    """The reference-portrait shoot: what the audit makes of a 4 % slimming read along her own
    edit directions, how much of it the reading follows, and random unedited sub-shoots."""
    rows = []
    for r in dp.referenced_new_shots():
        plain, slim = a.result(r.shot, references=r.references), a.result(r.shot, "jaw", -4.0, r.references)
        if plain is None or slim is None or plain["analysis"]["mode"] != "new_shot":
            continue
        failing = any(f["severity"] == "fail" and "jaw" in f["metric"] for f in slim.get("flags", []))
        rows.append((r, plain, slim, failing))
    print(f"reference shoot: {len(rows)} new-shot pairs of {len({r.shot.person for r, *_ in rows})} people, "
          f"{sum(f for *_, f in rows)} slimmed pair(s) failing alone on the jaw (left out)")
    kept = [(r, p, s) for r, p, s, f in rows if not f]
    plain = [pair_facts(i, f"p{i:03d}", p, talent=r.shot.person) for i, (r, p, _s) in enumerate(kept)]
    slim = [pair_facts(i, f"p{i:03d}", s, talent=r.shot.person) for i, (r, _p, s) in enumerate(kept)]
    shift = [s.readings[JAW][0] - p.readings[JAW][0] for p, s in zip(plain, slim, strict=True)
             if p.sources.get(JAW) == s.sources.get(JAW) == IDENTITY_JAW]
    p10, p90 = np.percentile(shift, [10, 90])
    print(f"  identity reading of a 4 % slimming, pair by pair ({len(shift)} pairs): median {np.median(shift):+.2f} "
          f"(p10 {p10:+.2f}, p90 {p90:+.2f}) edit-equivalent %: it follows {-np.median(shift) / 4:.0%} of the edit")
    for label, fs in (("unedited", plain), ("jaw −4 %", slim)):
        audit = audit_drift(drift_inputs(fs), settings)
        d = next(x for x in audit.drifts if x.metric == JAW)
        print(f"  {label}: systematic {[x.metric for x in audit.systematic]}; Holm p {d.p_adjusted:.4f}; "
              f"{drift_sentence(d)}")
    rng = random.Random(24)
    called = [bool(audit_drift(drift_inputs(rng.sample(plain, 24)), settings).systematic) for _ in range(shoots)]
    print(f"  {shoots} random unedited sub-shoots of 24 (pool {len(plain)}): drift called in {sum(called)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "twinproof-drift")
    ap.add_argument("--shoots", type=int, default=100)
    ap.add_argument("--references-only", action="store_true", help="only the reference-portrait shoot")
    args = ap.parse_args()
    a = dp.Analyses(args.cache)
    referenced(a, AuditSettings(), args.shoots)
    if args.references_only:
        return
    shots = dp.new_shots()
    both = shots + dp.controls(shots)
    settings = AuditSettings()

    plain, slim = facts(a, shots), facts(a, shots, "jaw", -4.0)
    paired = [s.readings[JAW][0] - p.readings[JAW][0] for p, s in zip(plain, slim, strict=True)
              if JAW in p.readings and JAW in s.readings]
    p10, p90 = np.percentile(paired, [10, 90])
    print(f"new-shot pairs: {len(plain)}; jaw reading of a 4 % slimming, pair by pair: median "
          f"{np.median(paired):+.2f} points (p10 {p10:+.2f}, p90 {p90:+.2f})")
    fails = sum(any(f["severity"] == "fail" and f["metric"] == JAW for f in (a.result(s, "jaw", -4.0) or {}).get(
        "flags", [])) for s in shots)
    print(f"slimmed pairs failing alone on the jaw: {fails} of {len(shots)}")
    for label, fs in (("unedited new shots", plain), ("jaw −4 %, new shots", slim),
                      ("jaw −4 %, new shots + control frames", facts(a, both, "jaw", -4.0)),
                      ("unedited, new shots + control frames", facts(a, both))):
        audit = audit_drift(drift_inputs(fs), settings)
        d = next(x for x in audit.drifts if x.metric == JAW)
        print(f"{label}: systematic {[x.metric for x in audit.systematic]}; {drift_sentence(d)}")

    pool = facts(a, both)
    rng = random.Random(24)
    called = [bool(audit_drift(drift_inputs(rng.sample(pool, 24)), settings).systematic) for _ in range(args.shoots)]
    print(f"{args.shoots} random unedited shoots of 24 (pool {len(pool)} pairs): drift called in {sum(called)}")

    skin_tone(a, both, settings)


def skin_tone(a: dp.Analyses, both: list[dp.Shot], settings: AuditSettings) -> None:
    """ΔL* +4 on the darker third's twins, the groups formed as the audit forms them: each real
    photograph once however many twins it is the real of (``review.real_photos``)."""
    from twinproof.review.real_photos import skin_readings

    def readings(fs: list) -> dict:
        return skin_readings(fs, {i: str(s.real) for i, s in enumerate(both)}, {})[0]

    pool = facts(a, both)
    darker = {t for t, g in skin_tone_groups(pool, readings(pool)).items() if g == "darker third"}
    lightened = facts(a, both, "lighten", 4.0, darker)
    for label, fs in (("unedited", pool), ("ΔL* +4 on the darker third's twins", lightened)):
        audit = audit_drift(drift_inputs(fs, readings(fs)), settings, by="skin-tone")
        assert audit.groups is not None
        for c in audit.groups.contrasts:
            if c.metric == "skin.delta_L":
                print(f"{label}: skin ΔL* {c.group} − {c.against} = {c.difference:+.2f} "
                      f"[{c.ci95[0]:+.2f}, {c.ci95[1]:+.2f}], Holm p {c.p_adjusted:.4f}, systematic {c.systematic}")


if __name__ == "__main__":
    main()
