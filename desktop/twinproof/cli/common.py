"""Helpers shared by the sub-commands: one-line errors, JSON output, and the log.

Why the log is set up here: a command's stderr carries exactly one line when something is
wrong. What libraries say on the way (Python warnings from scikit-image or numpy, tifffile's
log, what native decoders print - see ``core/native_output.py``) goes to TwinProof's log
instead: nowhere by default, or appended to the file ``$TWINPROOF_LOG`` names.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
from typing import Any

#: A file the command line appends its log to (decoder messages, library warnings).
LOG_ENV = "TWINPROOF_LOG"


def route_library_output_to_the_log() -> None:
    """Python warnings become log records of ``py.warnings`` (instead of two stderr lines each);
    both it and ``twinproof`` write to ``$TWINPROOF_LOG`` when set, else nowhere."""
    logging.captureWarnings(True)
    targets = [logging.getLogger("py.warnings"), logging.getLogger("twinproof")]
    path = os.environ.get(LOG_ENV)
    for logger in targets:
        logger.propagate = False  # never Python's last-resort handler, which prints to stderr
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        if path and not any(isinstance(h, logging.FileHandler) for h in logger.handlers):
            try:
                handler = logging.FileHandler(path, encoding="utf-8")
            except OSError:
                continue  # an unwritable log must not stop the command
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG)


route_library_output_to_the_log()


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (a file may be named
    ``a\nb.jpg``): an error is always exactly one line, whatever the user's input held."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def positive_megapixels(text: str) -> float:
    """argparse type for a pixel limit: a positive number of megapixels (0 used to switch the
    decompression-bomb check off without a word)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of megapixels") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError("the pixel limit must be a positive number of megapixels")
    return value


def fail(message: str) -> None:
    """Print one clear line to stderr (never a traceback)."""
    print(f"twinproof: error: {one_line(message)}", file=sys.stderr)


def emit(text: str) -> None:
    """Print the result; a reader that left early (``twinproof analyze ... | head``) is not an
    error, and must not end in a BrokenPipeError traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's exit-time flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _clean(obj: Any) -> Any:
    """JSON has no NaN or infinity: make them null so every reader can parse the output."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def dump_json(data: Any) -> str:
    return json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False)
