"""``twinproof shoot bias TALENT``: her control frames' changes beside the talent's new-shot twins, by
generator (issue 23). A control frame (``shoot control PAIR``) is the generator's twin of this
very real frame, measured as a same frame: its changes are that generator's own bias for her.

``twinproof shoot generator PAIR NAME [--clear]``: who made the pair's twin, as the reviewer
knows it (the shoot audit's ``--by generator`` takes it over the twin's Content Credentials)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from twinproof import review
from twinproof.core.compare.generator_bias import MEASURES, GeneratorBias

Handler = Callable[[argparse.Namespace, review.ReviewStore], int]


def lines(talent: str, groups: list[GeneratorBias]) -> list[str]:
    if not groups:
        return [f"{talent}: no analysed control frame (mark one with `twinproof shoot control PAIR`, then analyse it)"]
    out = []
    for g in groups:
        out.append(f"{talent} · {g.generator}")
        for label in MEASURES:
            controls = g.controls.get(label, [])
            shots = g.new_shots.get(label, [])
            bias = g.bias(label)
            head = f"  {label:20s} control {bias:+.1f} ({len(controls)} frame{'s' * (len(controls) != 1)})" \
                if bias is not None else f"  {label:20s} control not measured"
            twins = ", ".join(f"{n} {v:+.1f}" for n, v in shots) or "no new-shot twin"
            out.append(f"{head}   new shots: {twins}")
    return out


def register(sub: Any, guarded: Callable[[Handler], Any]) -> None:
    """``shoot bias``; ``guarded`` is ``cli.shoot``'s store-opening decorator, passed in so that
    this module does not import ``cli.shoot`` back (an import cycle)."""
    from twinproof.cli.common import show

    @guarded
    def _bias(args: argparse.Namespace, store: review.ReviewStore) -> int:
        from twinproof.review.controls import talent_bias

        name, groups = talent_bias(store, int(args.talent) if args.talent.isdecimal() else args.talent)
        for line in lines(name, groups):
            show(line)
        return 0  # success

    p = sub.add_parser("bias", help="a talent's control frames (the generator's own bias) beside the "
                       "talent's new-shot twins")
    p.add_argument("talent", metavar="TALENT", help="talent name or id")
    p.set_defaults(func=_bias)

    @guarded
    def _generator(args: argparse.Namespace, store: review.ReviewStore) -> int:
        if args.clear == (args.name is not None):
            show("twinproof shoot generator: give the generator's NAME, or --clear (not both)")
            return 2  # usage
        pair = review.find_pair(store, args.pair)
        review.set_generator(store, pair.id, None if args.clear else args.name, pair.version)
        name = review.get_pair(store, pair.id).generator
        said = f"set to {name}" if name else "cleared (the twin's Content Credentials, if any, name it)"
        show(f"{pair.name}: generator {said}")
        return 0  # success

    p = sub.add_parser("generator", help="name the generator (model or vendor) that made a pair's twin",
                       description="Name who made the pair's twin. The shoot audit's --by generator takes it over "
                                   "the twin's Content Credentials; --clear falls back to them.")
    p.add_argument("pair", metavar="PAIR", help="pair id or name")
    p.add_argument("name", metavar="NAME", nargs="?", help="the generator, e.g. \"Vendor X v2\"")
    p.add_argument("--clear", action="store_true", help="forget the name given before")
    p.set_defaults(func=_generator)
