"""``twinproof analyze REAL TWIN``: align and measure one pair, print JSON or a summary."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from twinproof.cli.common import dump_json, emit, fail, positive_megapixels, show, terminal_text
from twinproof.core import read_ahead
from twinproof.core.errors import ImageLoadError, PolicyError
from twinproof.core.pixel_limit import DEFAULT_MAX_PIXELS, MAX_PIXELS_ENV

if TYPE_CHECKING:
    from twinproof.core.analysis import PairAnalysis
    from twinproof.core.policy import Policy


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
    p.add_argument("--reference", nargs="+", metavar="PORTRAIT", default=[],
                   help="other photographs of the same person: with two or more, a new shot's face is "
                        "judged against the talent's own range, not against one photograph")
    p.set_defaults(func=run)


def _with_working_size(policy: Policy, size: int | None) -> Policy:
    if size is None:
        return policy
    sections = {k: dict(v) for k, v in policy.sections.items()}
    sections["analysis"]["working_long_side"] = max(0, size)
    return dataclasses.replace(policy, sections=sections)


def run(args: argparse.Namespace) -> int:
    # The analysis' modules are imported here, not when the command is parsed, so the model
    # sessions are made on a spare core while they load; and the files' Content Credentials,
    # which do not depend on the analysis, are read on one meanwhile.
    read_ahead.warm_sessions()
    from twinproof.core.analysis import analyze_pair
    from twinproof.core.policy import load_policy

    reading = read_ahead.start(content_credentials, args.real, args.twin)
    try:
        policy = _with_working_size(load_policy(args.policy), args.working_size)
        result = analyze_pair(args.real, args.twin, policy,
                              max_pixels=args.max_megapixels and int(args.max_megapixels * 1e6),
                              references=args.reference or None)
    except (ImageLoadError, PolicyError) as exc:
        fail(str(exc))
        return 2
    credentials, xmp = reading.result() if reading else content_credentials(args.real, args.twin)
    if args.json:
        emit(dump_json({**result.to_dict(), "content_credentials": credentials, "twin_xmp": xmp}))
    else:
        show(*summary(result).split("\n"), *(  # every line escaped; the paths before joining
            f"credentials {role}: " + "; ".join(v for k, v in c.items() if k in ("state", "validation",
                                                                                 "declared_source_type", "url"))
            for role, c in credentials.items()), *(f"xmp twin: {line}" for line in xmp["said"]))
    return 0


def content_credentials(real: str, twin: str) -> tuple[dict[str, dict[str, str]], dict[str, Any]]:
    """Each file's C2PA state (valid / invalid / remote not fetched / none), read offline, with
    the source type its manifest declares and the one an export states for it, and what the
    twin file's own XMP says (unsigned: it never sets the source type): the same words as the
    XMP and the sheet (``export.provenance``). The analysis itself never depends on it."""
    from twinproof.export.provenance import credential_state, read_credentials, read_provenance, xmp_lines

    twin_prov = read_provenance(twin)
    out = {"twin": credential_state(twin_prov), "real": credential_state(read_credentials(real))}
    out["real"].pop("digital_source_type", None)  # the default stated is the twin's
    out["real"].pop("digital_source_type_basis", None)
    xmp = dict(twin_prov.get("xmp") or {})
    xmp["said"] = [line for line, _ in xmp_lines(xmp)]  # the sheet's sentence; none when it says nothing
    return out, xmp



def summary(analysis: PairAnalysis) -> str:
    """The result for a person at a terminal: every measurement with its limits and status
    (the same rows the app and the sheet show), then the flags and the verdict."""
    from twinproof.core.result import Mode, Status, rows
    from twinproof.core.result.words import flag_line

    r = analysis.result
    lines = [f"real  {terminal_text(r.real.path)}  {r.real.width}x{r.real.height}",
             f"twin  {terminal_text(r.twin.path)}  {r.twin.width}x{r.twin.height}"]
    if r.mode is Mode.NEW_SHOT:
        lines.append(f"mode  new shot: compared person to person; pixel comparison not applicable "
                     f"({r.analysis.mode_reason})")
    face = r.metrics.face
    if getattr(face, "camera_distance", None):
        lines.append(f"camera  {face.camera_distance}")  # type: ignore[union-attr]
    if getattr(face, "yardstick", None):
        lines.append(f"yardstick  {face.yardstick}")  # type: ignore[union-attr]
    if r.registration is not None:
        g = r.registration
        lines.append(f"alignment  scale {g.scale:.4f}  rotation {g.rotation_deg:+.2f}°  "
                     f"shift ({g.shift_px[0]:+.1f}, {g.shift_px[1]:+.1f}) px  ({g.method})")
    group = ""
    for row in rows(r):
        if row.group != group:
            group = row.group
            lines.append(f"── {group}")
        status = "" if row.status in (Status.OK, Status.INFO) else row.status.upper()
        text = row.text if row.value is not None else row.reason
        lines.append(f"  {row.label:<28} {text:<16} {row.limits:<34} {status}".rstrip())
        if row.value is not None and row.reason:
            lines.append(f"  {'':<28} {row.reason}")
    for f in r.flags:
        lines.append(flag_line(f))
    from twinproof.core.compare.blind_spots import FACE_HINT

    for line in r.cannot_reveal or []:  # the core's words name no option; here it is `--reference`
        lines.append(f"cannot reveal  {line}" + (" (`--reference`)" if line.endswith(FACE_HINT) else ""))
    if r.missing_required:
        lines.append("missing: " + ", ".join(r.missing_required))
    lines.append(f"verdict: {r.verdict.upper()}  (policy {r.policy.name} {r.policy.version})")
    return "\n".join(lines)
