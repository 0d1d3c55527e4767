"""``twinproof shoot``: import a shoot's folders into a review database, list, pair, check.

Also home of the helpers the review sub-commands share (``--db``/``--reviewer`` options and
``guarded``, which turns review errors into one stderr line and an exit code: 1 when a rule
refused, 2 for bad input - never a traceback).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.exc import ArgumentError, OperationalError

from twinproof import review
from twinproof.cli.common import one_line
from twinproof.review.errors import ConflictError, ReviewError, RuleError

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2
Handler = Callable[[argparse.Namespace], int]


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="FILE_OR_URL",
                        help="shoot database: a file path (SQLite) or a SQLAlchemy URL "
                             "(postgresql+psycopg://user:pw@host/db)")
    parser.add_argument("--reviewer", default=None,
                        help="who is acting (default: $TWINPROOF_REVIEWER or the OS user)")


def fail(args: argparse.Namespace, message: str) -> None:
    print(f"twinproof {args.command}: {one_line(message)}", file=sys.stderr)


def guarded(handler: Callable[[argparse.Namespace, review.ReviewStore], int]) -> Handler:
    """Open the store, run the handler, map every expected failure to one line + exit code."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        store = None
        try:
            reviewer = args.reviewer or os.environ.get("TWINPROOF_REVIEWER") or None
            store = review.open_store(args.db, reviewer)
            return handler(args, store)
        except BrokenPipeError:  # `twinproof shoot audit | head`: the reader left, not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except (RuleError, ConflictError) as exc:
            fail(args, f"refused: {exc}")
            return EXIT_REFUSED
        except (ReviewError, OSError, ArgumentError, ValueError) as exc:
            fail(args, f"error: {exc}")
            return EXIT_BAD_INPUT
        except OperationalError as exc:
            where = review.resolve_url(args.db).render_as_string(hide_password=True)
            fail(args, f"error: cannot use database {where}: {' '.join(str(exc.orig).split())}")
            return EXIT_BAD_INPUT
        finally:
            if store is not None:
                store.close()

    return run


def _analyze(store: review.ReviewStore, pairs: list[review.PairRecord]) -> list[str]:
    """Run the core analysis on each pair if the core offers it; return failure lines."""
    try:
        from twinproof.core.analysis import analyze_pair
        from twinproof.core.errors import TwinProofError
    except ImportError:
        return ["analysis unavailable: twinproof.core.analysis.analyze_pair is not installed"]
    problems = []
    for pair in pairs:
        try:
            result = analyze_pair(pair.real_path, pair.twin_path,
                                  talent=review.talent_references(store, pair.talent_id)).to_dict()
        except TwinProofError as exc:
            problems.append(f"{pair.name}: analysis failed: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one pair must not abort the import's report
            problems.append(f"{pair.name}: analysis failed ({type(exc).__name__}): {exc}")
            continue
        review.store_analysis(store, pair.id, result)
    return problems


@guarded
def _import(args: argparse.Namespace, store: review.ReviewStore) -> int:
    for folder in filter(None, (args.real_dir, args.twin_dir)):
        if not Path(folder).is_dir():
            raise ReviewError(f"{folder} is not a folder")
    talent_id = review.get_talent(store, args.talent).id if args.talent else None
    result = review.import_shoot(store, args.real_dir, args.twin_dir, name=args.name,
                                 campaign=args.campaign, talent_id=talent_id)
    print(f"shoot {result.shoot.name}: {len(result.added)} new, {len(result.changed)} changed, "
          f"{len(result.unchanged)} unchanged pair(s), {len(result.unmatched)} unmatched file(s)")
    for item in result.unmatched:
        print(f"  unmatched {item.side}: {item.path} ({item.reason})")
    if args.analyze:
        problems = _analyze(store, result.added + result.changed)
        for line in problems:
            fail(args, line)
        return EXIT_REFUSED if problems else EXIT_OK
    return EXIT_OK


def pair_dict(pair: review.PairRecord) -> dict[str, Any]:
    return {"id": pair.id, "shoot_id": pair.shoot_id, "name": pair.name,
            "real": pair.real_path, "twin": pair.twin_path, "talent": pair.talent_name,
            "verdict": pair.verdict, "analysis_current": pair.analysis_current,
            "decision": pair.state, "version": pair.version}


@guarded
def _list(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pairs = review.list_pairs(store)
    if args.json:
        print(json.dumps([pair_dict(p) for p in pairs], indent=2))
        return EXIT_OK
    print(f"{'ID':>4}  {'PAIR':<24} {'VERDICT':<8} {'DECISION':<22} TALENT")
    for p in pairs:
        verdict = (p.verdict or "-") + ("" if p.analysis_current or not p.verdict else "*")
        print(f"{p.id:>4}  {p.name:<24} {verdict:<8} {p.state:<22} {p.talent_name or '-'}")
    return EXIT_OK


@guarded
def _pair(args: argparse.Namespace, store: review.ReviewStore) -> int:
    shoots = {str(s.id): s for s in review.list_shoots(store)} | {
        s.name: s for s in review.list_shoots(store)}
    if args.shoot not in shoots:
        raise review.NotFoundError(f"no shoot {args.shoot!r}")
    pair = review.make_pair(store, shoots[args.shoot].id, args.real, args.twin, args.name)
    print(f"paired {pair.name} (id {pair.id})")
    return EXIT_OK


@guarded
def _unpair(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pair = review.find_pair(store, args.pair)
    review.break_pair(store, pair.id, pair.version)
    print(f"unpaired {pair.name}")
    return EXIT_OK


@guarded
def _check(args: argparse.Namespace, store: review.ReviewStore) -> int:
    changes = review.check_files(store)
    for c in changes:
        print(f"{c.pair_name}: {c.side} {c.status}: {c.path}")
    return EXIT_REFUSED if any(c.status in ("missing", "unreadable") for c in changes) else EXIT_OK


@guarded
def _audit(args: argparse.Namespace, store: review.ReviewStore) -> int:
    if args.out:
        count = review.export_audit_csv(store, args.out)
        print(f"wrote {count} audit event(s) to {args.out}")
    else:
        review.write_audit_csv(review.audit_rows(store), sys.stdout)
    return EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("shoot", help="import and list a shoot's pairs")
    sub = parser.add_subparsers(dest="shoot_command", metavar="ACTION", required=True)
    p = sub.add_parser("import", help="pair REAL_DIR with TWIN_DIR (or one folder by names)")
    p.add_argument("real_dir", metavar="REAL_DIR")
    p.add_argument("twin_dir", metavar="TWIN_DIR", nargs="?")
    p.add_argument("--name", help="shoot name (default: the folders' parent folder)")
    p.add_argument("--campaign", help="campaign the shoot is for (checked against consent)")
    p.add_argument("--talent", metavar="NAME", help="link every new pair to this talent")
    p.add_argument("--analyze", action="store_true", help="run the fidelity analysis too")
    p.set_defaults(func=_import)
    p = sub.add_parser("list", help="pairs with verdicts and decisions")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_list)
    p = sub.add_parser("pair", help="pair two files by hand")
    p.add_argument("real"), p.add_argument("twin")
    p.add_argument("--shoot", required=True, help="shoot id or name")
    p.add_argument("--name")
    p.set_defaults(func=_pair)
    p = sub.add_parser("unpair", help="break a pair (its history is kept)")
    p.add_argument("pair", metavar="PAIR", help="pair id or name")
    p.set_defaults(func=_unpair)
    p = sub.add_parser("check", help="re-hash files; report changed or missing ones")
    p.set_defaults(func=_check)
    p = sub.add_parser("audit", help="the audit trail as CSV")
    p.add_argument("--out", metavar="FILE.csv", help="write here (default: stdout)")
    p.set_defaults(func=_audit)
    for action in sub.choices.values():
        add_common(action)
