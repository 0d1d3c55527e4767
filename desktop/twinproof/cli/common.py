"""Helpers shared by the sub-commands: one-line errors, JSON output, and the log.

Why the log is set up here (and in ``cli.main``): a command's stderr carries exactly one line
when something is wrong. What libraries say on the way (Python warnings from scikit-image or
numpy, every library's log records - Pillow's, tifffile's, fontTools' -, what native decoders
print - see ``core/native_output.py``) goes to TwinProof's log instead: nowhere by default, or
appended to the file ``$TWINPROOF_LOG`` names (``twinproof/logs.py``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from typing import Any

from twinproof.logs import LOG_ENV as LOG_ENV
from twinproof.logs import route_all_logging
from twinproof.terminal import terminal_text


def route_library_output_to_the_log() -> None:
    """Every library's log records and Python warnings to TwinProof's log
    (:func:`twinproof.logs.route_all_logging`): ``$TWINPROOF_LOG`` when set, else nowhere."""
    route_all_logging()


route_library_output_to_the_log()


#: Errors use the same escaping: an error is always exactly one line, whatever the input held.
one_line = terminal_text


def show(*lines: object) -> None:
    """Print a result for a person, each argument one line through :func:`terminal_text` (a
    line break inside one - a file named ``a\\nb.jpg`` - is shown escaped, never obeyed). A
    reader that left early (``twinproof shoot list | head``) is not an error."""
    try:
        for line in lines:
            print(terminal_text(line))
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
    """Print machine output as it is (JSON escapes control characters itself); a reader that
    left early (``twinproof analyze ... | head``) is not an error, and must not end in a
    BrokenPipeError traceback."""
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


_JSON_UNSAFE = re.compile("[\u0080-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def dump_json(data: Any) -> str:
    """Indented JSON; a file name that is not UTF-8 keeps its bytes as ``\\udce9`` escapes
    (``os.fsencode`` of the parsed string gives the name back) instead of raw bytes that would
    make the whole output invalid UTF-8."""
    text = json.dumps(_clean(data), indent=2, ensure_ascii=False, allow_nan=False)
    # JSON escapes C0 controls itself but leaves C1 controls (0x9b starts an escape sequence
    # on some terminals), line separators and bidi overrides raw: \uXXXX, the same data.
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
