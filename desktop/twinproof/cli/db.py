"""``twinproof db``: the team database's owner sets it up for reviewers.

``db upgrade`` creates or migrates the schema (run it with the *owner* role's URL: reviewers
cannot, by design) and, with ``--reviewers GROUP``, grants that group what reviewers need and
nothing more (``twinproof.review.roles``); ``db grant`` re-applies only the grants. Exit 0 ok,
2 bad input or a database error (one line on stderr).
"""

from __future__ import annotations

import argparse
from typing import Any

from twinproof import review
from twinproof.cli.common import show
from twinproof.cli.shoot import EXIT_OK, add_common, guarded


@guarded
def _upgrade(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.review.migrate import current_revision

    show(f"schema at {current_revision(store.engine)}")
    if args.reviewers:
        return _grant_to(args, store)
    return EXIT_OK


@guarded
def _grant(args: argparse.Namespace, store: review.ReviewStore) -> int:
    return _grant_to(args, store)


def _grant_to(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.review.roles import REVIEWER_INSERTS, REVIEWER_UPDATES, grant_reviewers

    grant_reviewers(store.engine, args.reviewers)
    tables = ", ".join(f"{t} ({len(c)} columns)" for t, c in REVIEWER_UPDATES.items())
    show(f"{args.reviewers}: SELECT on every table; INSERT only on {', '.join(REVIEWER_INSERTS)}; "
          f"UPDATE only on {tables}; decisions, consents, analyses and a pair's files only "
          "through the database's rule functions")
    return EXIT_OK


def register(subparsers: Any) -> None:
    from twinproof.review.roles import DEFAULT_GROUP

    p = subparsers.add_parser("db", help="set up a team database (its owner role only)",
                              description="Create or migrate a team database's schema with its owner "
                                          "role, and grant the reviewer group its privileges.")
    sub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = sub.add_parser("upgrade", help="create or migrate the schema (owner role)")
    up.add_argument("--reviewers", metavar="GROUP", nargs="?", const=DEFAULT_GROUP,
                    help=f"then grant this group role reviewers' privileges (default {DEFAULT_GROUP})")
    add_common(up)
    up.set_defaults(func=_upgrade)
    grant = sub.add_parser("grant", help="grant the reviewer group its privileges (owner role)")
    grant.add_argument("--reviewers", metavar="GROUP", default=DEFAULT_GROUP)
    add_common(grant)
    grant.set_defaults(func=_grant)
