"""``twinproof models``: the landmark models this installation ships, each checked.

Prints every model in ``models/manifest.json`` with its source, licence and checksum state, so
a support person (or the frozen bundle's smoke test) can see in one line per model that
nothing was altered or lost. Exit codes: 0 every model verifies, 1 one is missing or altered.
"""

from __future__ import annotations

import argparse
from typing import Any

from twinproof.cli.common import dump_json, emit, fail, show


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "models", help="list the shipped landmark models and verify their checksums",
        description="Verify every model file against models/manifest.json (sha256) and list "
        "where it came from.",
    )
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from twinproof.core.landmarks import ModelError
    from twinproof.core.landmarks.registry import ModelRegistry

    registry = ModelRegistry()
    try:
        names = list(registry.manifest)
    except ModelError as exc:
        fail(str(exc))
        return 1
    rows, broken = [], 0
    for name in names:
        spec = registry.spec(name)
        try:
            path = registry.verified_path(name)
            state = "ok"
        except ModelError as exc:
            path, state = None, str(exc)
            broken += 1
        rows.append({"name": name, "file": str(path or spec.get("file")), "state": state,
                     "sha256": spec.get("sha256"), "source": spec.get("source"),
                     "licence": spec.get("licence") or spec.get("license")})
    if args.json:
        emit(dump_json({"models_dir": str(registry.models_dir), "models": rows, "ok": not broken}))
    else:
        for r in rows:
            mark = "ok " if r["state"] == "ok" else "BAD"
            src = r["source"] if isinstance(r["source"], dict) else {}
            origin = f"{src.get('package', '?')} {src.get('version', '')}".strip()
            licence = str(r["licence"] or "").split(" (")[0]
            show(f"{mark} {r['name']:<28} sha256 {str(r['sha256'])[:12]}  from {origin}  ({licence})")
            if r["state"] != "ok":
                fail(str(r["state"]))
        show(f"{len(rows) - broken} of {len(rows)} model(s) verified in {registry.models_dir}")
    return 1 if broken else 0
