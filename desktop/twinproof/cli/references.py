"""``twinproof talent reference add|list|remove``: a talent's reference portraits.

Each portrait is read for identity on this machine (its face, the ONNX face descriptor) and
the record keeps the file's path and hash, the descriptor and the model that made it, and her
skin colour (``core.portrait_skin``: the shoot audit's skin-tone groups) — never the pixels.
Every twin linked to the talent is then compared with them at its next analysis.
"""

from __future__ import annotations

import argparse
from typing import Any

from twinproof import review
from twinproof.cli.common import show
from twinproof.cli.shoot import EXIT_OK, add_common, guarded
from twinproof.review.reference_basis import PROBLEM_WORDS


@guarded
def _add(args: argparse.Namespace, store: review.ReviewStore) -> int:
    import numpy as np

    from twinproof.core.errors import TwinProofError
    from twinproof.core.identity import FaceIdentity, distance
    from twinproof.core.policy import load_policy
    from twinproof.core.portrait_skin import read_reference

    talent = review.get_talent(store, args.name)
    problems = 0
    for path in args.files:
        try:
            found, skin = read_reference(path)
        except TwinProofError as exc:
            show(f"{path}: not added: {exc}")
            problems += 1
            continue
        if not isinstance(found, FaceIdentity):
            show(f"{path}: not added: {found.reason}")
            problems += 1
            continue
        try:
            ref = review.add_reference(store, talent.id, path, review.hash_file(path),
                                       found.descriptor.tolist(), found.model,
                                       {**found.chip.quality(), **skin})
        except review.ReviewError as exc:
            show(f"{path}: not added: {exc}")
            problems += 1
            continue
        quality = found.chip.quality()
        show(f"{path}: reference #{ref.id} of {talent.name} (face {quality['face_size_px']:.0f} px, "
              f"turned {quality['yaw_deg']:+.0f}°)")
        others = [r for r in review.list_references(store, talent.id, model=found.model) if r.id != ref.id]
        if others:
            nearest = min(distance(found.descriptor, np.asarray(r.descriptor, np.float32)) for r in others)
            threshold = load_policy().number("identity", "threshold")
            if nearest > threshold:
                show(f"{path}: warning: {nearest:.2f} from the nearest of {talent.name}'s other references, "
                      f"beyond the same-person threshold {threshold:g}: check it is the same person "
                      f"(`talent reference remove {ref.id}` takes it out)")
    _enrolment(store, talent.id)
    return EXIT_OK if problems == 0 else 1


def _enrolment(store: review.ReviewStore, talent: int | str) -> None:
    """How many usable portraits she has against what the talent's own range needs, and what fewer
    cannot show (a portrait whose file was last seen missing, changed or unreadable is left out of
    her range: counted apart, as the app's Consent panel does)."""
    from twinproof.core.enrolment import advice

    refs = review.list_references(store, talent)
    left_out = sum(r.file_problem is not None for r in refs)
    said = advice(len(refs) - left_out)
    show(said.headline + (f" ({left_out} more left out: a file problem)" if left_out else ""))
    for line in said.details:
        show(f"  {line}")


@guarded
def _list(args: argparse.Namespace, store: review.ReviewStore) -> int:
    refs = review.list_references(store, args.name, include_removed=args.all)
    for r in refs:
        state = " REMOVED" if r.removed else ""
        show(f"{r.id:>4}  {r.path}  sha256 {r.sha256[:12]}…  {r.model}  "
              f"added {r.created_at:%Y-%m-%d} by {r.created_by}{state}")
        if r.file_problem is not None and not r.removed:
            show(f"      {PROBLEM_WORDS.get(r.file_problem, r.file_problem)} (as last seen; `shoot check` and the "
                 "app's Portraits… look again): left out of the talent's own range")
    if not refs:
        show(f"{args.name} has no reference portraits")
    _enrolment(store, args.name)
    return EXIT_OK


@guarded
def _remove(args: argparse.Namespace, store: review.ReviewStore) -> int:
    ref = review.remove_reference(store, args.reference_id)
    show(f"reference #{ref.id} ({ref.path}) removed (kept on record)")
    _enrolment(store, ref.talent_id)
    return EXIT_OK


def register(talent_sub: Any) -> None:
    parser = talent_sub.add_parser("reference", help="a talent's reference portraits (for likeness)")
    sub = parser.add_subparsers(dest="reference_command", metavar="ACTION", required=True)
    p = sub.add_parser("add", help="read portraits of the talent and keep their face descriptors",
                       description="Read portraits of the talent and keep their face descriptors. With 2 or more, a "
                       "new shot's face is judged against the talent's own range; fewer cannot reveal a "
                       "slimmed jaw, a wider "
                       "face or larger eyes (the recommended number is printed after adding).")
    p.add_argument("name", metavar="NAME")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_add)
    p = sub.add_parser("list", help="the talent's reference portraits")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--all", action="store_true", help="include removed ones")
    p.set_defaults(func=_list)
    p = sub.add_parser("remove", help="stop using a reference portrait (kept on record)")
    p.add_argument("reference_id", type=int, metavar="REFERENCE_ID")
    p.set_defaults(func=_remove)
    for action in sub.choices.values():
        add_common(action)
