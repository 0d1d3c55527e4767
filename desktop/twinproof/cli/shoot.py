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
from twinproof.cli.common import one_line, show, terminal_text
from twinproof.review.db import missing_database
from twinproof.review.errors import ConflictError, ReviewError, RuleError
from twinproof.review.pairing import COMPANION_EXTENSIONS
from twinproof.review.shoots import printable_path

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
    """Open an existing store, run the handler, map every expected failure to one line + exit
    code. A SQLite file that does not exist is refused (a mistyped ``--db`` used to create an
    empty shoot and list nothing); only ``shoot import`` (:func:`creating`) makes one."""
    return _guard(handler, creates=False)


def creating(handler: Callable[[argparse.Namespace, review.ReviewStore], int]) -> Handler:
    """:func:`guarded` for the command that may create the database (``shoot import``)."""
    return _guard(handler, creates=True)


def _guard(handler: Callable[[argparse.Namespace, review.ReviewStore], int], *,
           creates: bool) -> Handler:
    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        store = None
        try:
            reviewer = args.reviewer or os.environ.get("TWINPROOF_REVIEWER") or None
            missing = None if creates else missing_database(args.db)
            if missing is not None:
                fail(args, f"error: no shoot at {printable_path(missing)}; create one with "
                           "`twinproof shoot import`")
                return EXIT_BAD_INPUT
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
        except RuntimeError as exc:  # pathlib on Python < 3.13: "Symlink loop from '...'"
            if "symlink loop" not in str(exc).lower():
                raise
            where = str(exc).replace("Symlink loop from ", "")
            fail(args, f"error: {where}: a symbolic link that loops back on itself")
            return EXIT_BAD_INPUT
        finally:
            if store is not None:
                store.close()

    return run


def _analyze(store: review.ReviewStore, pairs: list[review.PairRecord], database: str) -> list[str]:
    """Analyse and record each pair as the app and ``shoot analyze`` do (the same typed record:
    result, the twin's credentials, the heat maps beside a shoot file, the hashes measured);
    return failure lines."""
    from twinproof.batch.maps import default_folder
    from twinproof.batch.recording import analyse_and_record
    from twinproof.core.errors import TwinProofError

    maps_folder = default_folder(database)
    problems = []
    verdicts: dict[str, int] = {}
    if pairs:  # each pair takes seconds to a minute: say what is going on, then what was found
        show(f"analysing {len(pairs)} pair(s)…")
    for pair in pairs:
        try:
            against = review.read_basis(store, pair.talent_id)  # recorded with it (review.staleness)
            stored, _ = analyse_and_record(
                store, pair.id, pair.real_path, pair.twin_path, maps_folder=maps_folder,
                talent=against.talent, control=pair.control, references=list(against.files) or None,
                basis=against.basis)
        except TwinProofError as exc:
            problems.append(f"{pair.name}: analysis failed: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - one pair must not abort the import's report
            problems.append(f"{pair.name}: analysis failed ({type(exc).__name__}): {exc}")
            continue
        verdict = stored.verdict or "unknown"
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
        show(f"{pair.name}: {verdict}" + (f" — {_worst_flag(stored.result)}" if verdict != "pass" else ""))
    if pairs:
        counts = ", ".join(f"{verdicts[v]} {v}" for v in ("pass", "review", "fail", "unknown") if v in verdicts)
        show(f"analysed {sum(verdicts.values())} of {len(pairs)} pair(s)" + (f": {counts}" if counts else ""))
    return problems


def _worst_flag(result: dict[str, Any]) -> str:
    """The worst flag's message, or why a pair without flags was not passed."""
    flags = sorted(result.get("flags") or [], key=lambda f: f.get("severity") != "fail")
    if flags:
        return str(flags[0].get("message", ""))
    missing = result.get("missing_required") or []
    return f"not measured: {', '.join(missing)}" if missing else "no flags"


def _folders_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the folders to import, before any database is created (a mistyped
    folder left an empty shoot file behind)."""
    for folder in filter(None, (args.real_dir, args.twin_dir)):
        if not Path(folder).is_dir():
            return f"{printable_path(folder)} is not a folder"
        if printable_path(Path(folder).resolve()) != str(Path(folder).resolve()):
            return (f"{printable_path(folder)}: the folder's name is not valid UTF-8; "
                    "rename it (the shoot record keeps its paths as UTF-8)")
    if args.twin_dir and Path(args.real_dir).resolve() == Path(args.twin_dir).resolve():
        return (f"{printable_path(args.real_dir)} is given as both the real and the twin folder (the same "
                "folder): give the twins' folder, or only one folder whose files are named "
                "look01_real / look01_twin")
    return None


def _import_command(args: argparse.Namespace) -> int:
    problem = _folders_problem(args)
    if problem is not None:
        fail(args, f"error: {problem}")
        return EXIT_BAD_INPUT
    return _import(args)


@creating
def _import(args: argparse.Namespace, store: review.ReviewStore) -> int:
    talent_id = review.get_talent(store, args.talent).id if args.talent else None
    result = review.import_shoot(store, args.real_dir, args.twin_dir, name=args.name,
                                 campaign=args.campaign, talent_id=talent_id)
    show(f"shoot {result.shoot.name}: {len(result.added)} new, {len(result.changed)} changed, "
         f"{len(result.unchanged)} unchanged pair(s), {len(result.unmatched)} unmatched file(s)"
         + (f", {len(result.skipped)} skipped" if result.skipped else ""))
    for item in result.unmatched:
        show(f"  unmatched {item.side}: {printable_path(item.path)} ({item.reason})")
    _show_skipped(result.skipped)
    if args.analyze:
        problems = _analyze(store, result.added + result.changed, args.db)
        for line in problems:
            fail(args, line)
        return EXIT_REFUSED if problems else EXIT_OK
    return EXIT_OK


def _show_skipped(skipped: list[review.Unmatched]) -> None:
    """One line per skipped entry, and why; files kept beside images (XMP sidecars after an
    export) in one line per kind, so a re-import of an exported folder stays readable."""
    companions: dict[str, int] = {}
    for item in skipped:
        suffix = item.path.suffix.lower()
        if suffix in COMPANION_EXTENSIONS:
            companions[suffix] = companions.get(suffix, 0) + 1
            continue
        where = f"{item.side}: " if item.side != "unknown" else ""
        show(f"  skipped {where}{printable_path(item.path)} ({item.reason})")
    for suffix, count in sorted(companions.items()):
        show(f"  skipped {count} {suffix} file(s) kept beside the images (metadata, not images)")


def pair_dict(pair: review.PairRecord) -> dict[str, Any]:
    return {"id": pair.id, "shoot_id": pair.shoot_id, "name": pair.name,
            "real": pair.real_path, "twin": pair.twin_path, "talent": pair.talent_name,
            "verdict": pair.verdict, "analysis_current": pair.analysis_current, "stale": pair.stale,
            "control": pair.control, "decision": pair.state, "version": pair.version}


@guarded
def _list(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pairs = review.list_pairs(store)
    if args.json:
        print(json.dumps([pair_dict(p) for p in pairs], indent=2))
        return EXIT_OK
    show(f"{'ID':>4}  {'PAIR':<24} {'VERDICT':<8} {'DECISION':<22} TALENT")
    for p in pairs:
        verdict = (p.verdict or "-") + ("" if p.up_to_date or not p.verdict else "*")
        name = terminal_text(p.name)  # escaped before padding, so the columns stay aligned
        state = "suspended: not cleared" if p.state == "suspended" else p.state
        show(f"{p.id:>4}  {name:<24} {verdict:<8} {state:<22} {p.talent_name or '-'}"
             + (f"  (* {p.stale})" if p.stale else ""))
    return EXIT_OK


@guarded
def _pair(args: argparse.Namespace, store: review.ReviewStore) -> int:
    shoots = {str(s.id): s for s in review.list_shoots(store)} | {
        s.name: s for s in review.list_shoots(store)}
    if args.shoot not in shoots:
        raise review.NotFoundError(f"no shoot {args.shoot!r}")
    pair = review.make_pair(store, shoots[args.shoot].id, args.real, args.twin, args.name)
    show(f"paired {pair.name} (id {pair.id})")
    return EXIT_OK


@guarded
def _unpair(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pair = review.find_pair(store, args.pair)
    review.break_pair(store, pair.id, pair.version)
    show(f"unpaired {pair.name}")
    return EXIT_OK


@guarded
def _control(args: argparse.Namespace, store: review.ReviewStore) -> int:
    pair = review.find_pair(store, args.pair)
    review.set_control(store, pair.id, not args.off, pair.version)
    stale = review.get_pair(store, pair.id).stale
    show(f"{pair.name}: {'no longer a control frame' if args.off else 'marked a control frame'}"
         + (f"; its analysis is stale ({stale}): `twinproof shoot analyze` measures it again" if stale else ""))
    return EXIT_OK


@guarded
def _check(args: argparse.Namespace, store: review.ReviewStore) -> int:
    changes = review.check_files(store)
    for c in changes:
        show(f"{c.pair_name}: {c.side} {c.status}: {c.path}")
    return EXIT_REFUSED if any(c.status in ("missing", "unreadable") for c in changes) else EXIT_OK


@guarded
def _history(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.cli.shoot_audit import history

    return history(args, store)


@guarded
def _audit(args: argparse.Namespace, store: review.ReviewStore) -> int:
    """The drift audit; ``--out`` (the audit trail's old spelling) still writes the trail."""
    from twinproof.cli.shoot_audit import history, run

    if args.out:
        print("twinproof shoot: note: the audit trail is now `twinproof shoot history`; "
              "`shoot audit` audits the twins for drift", file=sys.stderr)
        return history(args, store)
    return run(args, store)


@guarded
def _analyze_shoot(args: argparse.Namespace, store: review.ReviewStore) -> int:
    """Analyse every pair whose stored analysis is missing or stale, on Dask; see docs/scaling.md."""
    from twinproof.cli.shoot_analyze import analyze_shoot

    return analyze_shoot(args, store)


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
    p.set_defaults(func=_import_command)
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
    p = sub.add_parser("control", help="mark a pair a control frame: the generator's twin of this very real frame")
    p.add_argument("pair", metavar="PAIR", help="pair id or name")
    p.add_argument("--off", action="store_true", help="no longer a control frame")
    p.set_defaults(func=_control)
    p = sub.add_parser("check", help="re-hash files; report changed or missing ones")
    p.set_defaults(func=_check)
    p = sub.add_parser("history", help="the audit trail as CSV (was `shoot audit`)")
    p.add_argument("--out", metavar="FILE.csv", help="write here (default: stdout)")
    p.set_defaults(func=_history)
    p = sub.add_parser("audit", help="audit the twins for a systematic drift (weighted, by measurement)")
    from twinproof.cli.shoot_audit import add_arguments

    add_arguments(p)
    p.set_defaults(func=_audit)
    _register_analyze(sub)
    from twinproof.cli.shoot_controls import register as register_bias

    register_bias(sub, guarded)
    for action in sub.choices.values():
        add_common(action)


def _register_analyze(sub: Any) -> None:
    p = sub.add_parser(
        "analyze", help="analyse every pair whose analysis is missing or stale, on Dask",
        description="Analyse the pairs of a shoot whose stored analysis is missing or stale (files, "
                    "models or policy changed) on a local cluster of worker processes or an existing "
                    "Dask scheduler; results go to the review record as they arrive. Re-running "
                    "resumes. Exit 0 when every pair was analysed or recorded with its error.")
    p.add_argument("--shoot", metavar="NAME", help="shoot name or id (default: every shoot)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="local worker processes (default: one per core, as memory allows)")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="an existing Dask scheduler, e.g. tcp://host:8786 (its workers need "
                            "TwinProof and the image files at the recorded paths)")
    p.add_argument("--force", action="store_true", help="redo every pair, even those up to date")
    p.add_argument("--policy", metavar="FILE", help="fidelity policy TOML (default: the built-in one)")
    p.add_argument("--maps", metavar="DIR",
                   help="keep heat maps here (default: beside a SQLite shoot file, FILE.maps; "
                        "give a shared folder for a PostgreSQL record)")
    p.add_argument("--check", action="store_true",
                   help="re-hash every file first, so files edited since import are redone")
    p.set_defaults(func=_analyze_shoot)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("needs at least 1 worker")
    return value
