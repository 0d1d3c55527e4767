"""``twinproof analyze REAL TWIN``: align and measure one pair, print JSON or a summary."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from twinproof.cli.common import dump_json, emit, fail, positive_megapixels
from twinproof.core.analysis import PairAnalysis, analyze_pair
from twinproof.core.errors import ImageLoadError, PolicyError
from twinproof.core.imageio import DEFAULT_MAX_PIXELS, MAX_PIXELS_ENV
from twinproof.core.policy import Policy, load_policy


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "analyze", help="align a real/twin pair and measure the twin's fidelity",
        description="Align the twin onto the real photograph and measure how faithful it is.",
    )
    p.add_argument("real", help="the real photograph")
    p.add_argument("twin", help="the AI-generated twin")
    p.add_argument("--json", action="store_true", help="print the full result as JSON")
    p.add_argument("--policy", metavar="FILE", help="fidelity policy TOML (overrides defaults)")
    p.add_argument("--working-size", type=int, metavar="PX",
                   help="long side for maps and metrics (0 = full resolution)")
    p.add_argument("--max-megapixels", type=positive_megapixels, default=None, metavar="MP",
                   help=f"refuse larger images (default: ${MAX_PIXELS_ENV} or "
                        f"{DEFAULT_MAX_PIXELS / 1e6:.0f})")
    p.set_defaults(func=run)


def _with_working_size(policy: Policy, size: int | None) -> Policy:
    if size is None:
        return policy
    sections = {k: dict(v) for k, v in policy.sections.items()}
    sections["analysis"]["working_long_side"] = max(0, size)
    return dataclasses.replace(policy, sections=sections)


def run(args: argparse.Namespace) -> int:
    try:
        policy = _with_working_size(load_policy(args.policy), args.working_size)
        result = analyze_pair(args.real, args.twin, policy,
                              max_pixels=args.max_megapixels and int(args.max_megapixels * 1e6))
    except (ImageLoadError, PolicyError) as exc:
        fail(str(exc))
        return 2
    emit(dump_json(result.to_dict()) if args.json else summary(result))
    return 0


def summary(result: PairAnalysis) -> str:
    d = result.to_dict()
    reg = d["registration"]
    lines = [
        f"real  {d['real']['path']}  {d['real']['width']}x{d['real']['height']}",
        f"twin  {d['twin']['path']}  {d['twin']['width']}x{d['twin']['height']}",
        f"alignment  scale {reg['scale']:.4f}  rotation {reg['rotation_deg']:+.2f}°  "
        f"shift ({reg['shift_px'][0]:+.1f}, {reg['shift_px'][1]:+.1f}) px  "
        f"confidence {reg['confidence']:.2f}  overlap {reg['overlap_fraction']:.0%}",
    ]
    for name, m in d["metrics"].items():
        lines.append(f"{name:<10} {_metric_line(m)}")
    for f in d["flags"]:
        lines.append(f"{f['severity'].upper():<5} {f['category']}/{f['region']}: {f['message']}")
    if d["missing_required"]:
        lines.append("missing: " + ", ".join(d["missing_required"]))
    lines.append(f"verdict: {d['verdict'].upper()}  (policy {d['policy']['name']} "
                 f"{d['policy']['version']})")
    return "\n".join(lines)


def _metric_line(m: dict[str, Any]) -> str:
    if "value" in m and m["value"] is None:
        return f"not measured: {m.get('reason')}"
    if "value" in m:
        return f"{m['value']}"
    if "nme" in m:  # face
        changes = ", ".join(str(c["text"]) for c in m["changes"].values() if c.get("percent") is not None
                            and abs(c["percent"]) >= 1) or "no feature changed by 1% or more"
        return f"NME {100 * m['nme']['overall']:.2f}% of eye distance; {changes}"
    if "proportions" in m:  # body
        parts = [str(c["text"]) for g in (m["proportions"], m["widths"]) for c in g.values()
                 if isinstance(c, dict) and c.get("percent") is not None and abs(c["percent"]) >= 1]
        return "; ".join(parts) or "no proportion or width changed by 1% or more"
    if "ita_real" in m:  # skin
        return (f"ITA {m['ita_real']:.1f}° ({m['ita_class_real']}) → {m['ita_twin']:.1f}° "
                f"({m['ita_class_twin']}), ΔE00 {m['delta_e00']:.2f}")
    if "faces_found" in m.get("real", {}):  # landmarks
        return (f"real: {m['real']['faces_found']} face(s), {m['real']['people_found']} person(s); "
                f"twin: {m['twin']['faces_found']} face(s), {m['twin']['people_found']} person(s)")
    parts = [f"{k} {v}" for k, v in m.items() if isinstance(v, int | float) and not isinstance(v, bool)]
    return "  ".join(parts)
