"""Text a user controls, made safe to print on a terminal (see :func:`terminal_text`).

A module of its own, beside ``logs`` and ``atomic``, because every layer that prints needs
it: the command line (``cli.common.show``) and the batch's progress lines (``batch/progress.py``,
drawn by Rich, which strips CR and BEL but lets ESC sequences through).
"""

from __future__ import annotations

#: Invisible characters that reorder or hide what follows (bidirectional overrides, the
#: "Trojan Source" kind): a name holding one can display as another name.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Joiners inside emoji and Indic scripts: not printable to Python, harmless to a terminal.
_JOINERS = frozenset("\u200c\u200d")


def _escaped(c: str) -> str:
    code = ord(c)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(c)[1:-1] if code < 0x10000 else f"\\U{code:08x}"


def terminal_text(text: object) -> str:
    """``text`` as it may safely reach a terminal: control characters (ESC, CR, LF, BEL, the
    C1 range), line separators and bidirectional overrides shown escaped (``\\x1b``,
    ``\\r``), bytes of a name that is not UTF-8 as ``\\xe9``; everything printable - accents,
    CJK, emoji - unchanged.

    Why one function for all of it: file names, pair names, comments and talent names are
    user-controlled, and a twin named ``x\\033[2J\\033[31mred\\rcr.jpg`` cleared and recoloured
    the reviewer's screen through ``shoot list``, ``decide``, ``rate``, ``landmarks`` and the
    ``analyze`` summary. Idempotent (escaping an escaped text changes nothing), so a line may
    pass through it twice."""
    return "".join(c if (c.isprintable() and c not in _BIDI) or c == " " or c in _JOINERS
                   else _escaped(c) for c in str(text))
