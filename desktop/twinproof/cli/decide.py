"""``twinproof decide``: record a decision on a pair, with reasons and overrides.

Exit 1 when a rule refuses it (no reason, no consent, failed verdict without ``--override``,
an approval on a stale analysis, someone else changed the pair), 2 for bad input (unknown pair
or reason).

``--expect-version N`` is the CLI's version of what the app sends: the pair's version the
caller decided on (``shoot list --json`` shows it; every ``decide``/``rate`` prints the new
one). Without it the CLI can only check against the version it read a moment earlier, so two
scripts deciding the same pair from the same view both succeed and the later silently wins;
with it the stale one is refused (exit 1) and nothing is overwritten.
"""

from __future__ import annotations

import argparse
from typing import Any

from twinproof import review
from twinproof.cli.common import show
from twinproof.cli.shoot import EXIT_OK, add_common, guarded

ACTIONS = {
    "approve": review.DecisionState.APPROVED,
    "approve-with-changes": review.DecisionState.APPROVED_WITH_CHANGES,
    "changes": review.DecisionState.CHANGES_REQUESTED,
    "reject": review.DecisionState.REJECTED,
    "reset": review.DecisionState.UNREVIEWED,
}


def _expected(args: argparse.Namespace, pair: review.PairRecord) -> int:
    return int(args.expect_version) if args.expect_version is not None else pair.version


def _version(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"a pair version is a whole number, got {text!r}")
    return int(text)


def _add_expect_version(p: argparse.ArgumentParser) -> None:
    p.add_argument("--expect-version", type=_version, metavar="N",
                   help="refuse (exit 1) unless the pair is still at version N, the one you "
                        "decided on (shoot list --json shows it)")


@guarded
def _decide(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pair = review.find_pair(store, args.pair)
    reasons = [r for value in args.reason for r in value.split(",") if r.strip()]
    try:
        result = review.decide(
            store, pair.id, ACTIONS[args.action], reasons=reasons, reason_text=args.reason_text,
            comment=args.comment, override=args.override, expected_version=_expected(args, pair),
            channel=args.channel,
        )
    except review.StaleAnalysisError as exc:  # say which command measures it again (exit 1)
        raise review.StaleAnalysisError(f"{exc} (`twinproof shoot analyze` with the same --db measures it "
                                        "again)", exc.reason) from exc
    why = f" ({', '.join(result.reasons)})" if result.reasons else ""
    show(f"{pair.name}: {result.state}{why} by {result.reviewer} (version {result.pair_version})")
    return EXIT_OK


@guarded
def _rate(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pair = review.find_pair(store, args.pair)
    result = review.rate(store, pair.id, args.stars, expected_version=_expected(args, pair))
    words = "stars cleared" if result.stars == 0 else f"{result.stars}/5"
    show(f"{pair.name}: {words} by {result.reviewer} (version {result.pair_version})")
    return EXIT_OK


def _stars(text: str) -> int:
    if text.strip() not in {str(n) for n in range(6)}:
        raise argparse.ArgumentTypeError(f"stars are 0 to 5 (0 clears), got {text!r}")
    return int(text)


def register_rate(subparsers: Any) -> None:
    p = subparsers.add_parser("rate", help="give a pair 0-5 stars (0 clears)",
                              description="Rate a twin with 0-5 stars, as in Lightroom or Bridge "
                                          "(the stars reach the CSV and the XMP's xmp:Rating).")
    p.add_argument("pair", metavar="PAIR", help="pair id or name")
    p.add_argument("stars", type=_stars, metavar="STARS", help="0-5 (0 clears the rating)")
    _add_expect_version(p)
    add_common(p)
    p.set_defaults(func=_rate)


def register(subparsers: Any) -> None:
    reasons = ", ".join(r.value for r in review.Reason)
    p = subparsers.add_parser("decide", help="approve, request changes or reject a pair")
    p.add_argument("pair", metavar="PAIR", help="pair id or name")
    p.add_argument("action", choices=list(ACTIONS), metavar="|".join(ACTIONS))
    p.add_argument("--reason", action="append", default=[],
                   help=f"repeatable or comma-separated: {reasons}")
    p.add_argument("--reason-text", help="explanation (required with reason 'other')")
    p.add_argument("--comment")
    p.add_argument("--override", metavar="JUSTIFICATION",
                   help="approve despite a 'fail' verdict, saying why")
    p.add_argument("--channel", help="publication channel to check consent against")
    _add_expect_version(p)
    add_common(p)
    p.set_defaults(func=_decide)
    register_rate(subparsers)
