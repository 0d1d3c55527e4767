"""The command line: the same jobs as the app, headless.

Each sub-command lives in its own module exposing ``register(subparsers)``, which adds
its parser and sets ``func`` (``args -> int`` exit code). Exit codes: 0 success, 1 the
job ran but something failed, 2 bad input (a missing or unreadable file, a bad option).
``twinproof`` with no sub-command (or ``--sample``) opens the desktop app.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from twinproof import __version__
from twinproof.logs import route_all_logging

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "twinproof.cli.analyze",
    "twinproof.cli.shoot",
    "twinproof.cli.decide",
    "twinproof.cli.talent",
    "twinproof.cli.export",
    "twinproof.cli.db",
    "twinproof.cli.landmarks",
    "twinproof.cli.models",
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def build_parser(with_commands: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``with_commands=False`` leaves out the sub-commands, whose modules import the
    whole analysis stack (~0.5 s): opening the app or printing the version needs none of it.
    ``only`` (a command's name) registers that command alone: ``twinproof analyze`` need not
    import the review database layer (SQLAlchemy, ~0.45 s) to parse its arguments."""
    parser = argparse.ArgumentParser(
        prog="twinproof",
        description="Review AI-generated digital twins against the real shoot.",
    )
    parser.add_argument("--version", action="version", version=f"twinproof {__version__}")
    parser.add_argument("--sample", action="store_true", help="open the bundled sample shoot in the app")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the app window to a PNG and exit")
    parser.add_argument("--db", dest="open_db", metavar="FILE_OR_URL",
                        help="open the app on this review database (a .shoot file or a team "
                             "server: postgresql+psycopg://user@host/database)")
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        if only is None or name.rsplit(".", 1)[1] == only:
            importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    route_all_logging()  # every library's log to TwinProof's log, never the terminal
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Any word that could be a sub-command (or a typo of one, or --help) gets the full parser,
    # so its errors and help are argparse's own.
    plain = all(a.startswith("-") or a.endswith(".png") for a in args_list) and not (
        {"-h", "--help"} & set(args_list))
    # Each module is named after its command: ``twinproof analyze ...`` loads that one alone.
    first = args_list[0] if args_list else ""
    named = first if any(m.rsplit(".", 1)[1] == first for m in COMMAND_MODULES) else None
    parser = build_parser(with_commands=not plain, only=named)
    args = parser.parse_args(args_list)
    if args.command is None:
        # Imported here so the headless commands never load Qt.
        from twinproof.gui.app import run_app

        return run_app(sample=args.sample, screenshot=args.screenshot, database=args.open_db)
    return int(args.func(args))


def entry() -> NoReturn:
    """The ``twinproof`` command: :func:`main`, then an exit that skips freeing every object
    (``process_exit.py``). Tests call :func:`main`, which returns the exit code."""
    from twinproof.cli.process_exit import finish

    finish(main())


if __name__ == "__main__":  # pragma: no cover
    entry()
