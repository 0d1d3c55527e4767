"""Words about a talent assume no gender (a man's twin read "photographs of her", "her own
range" in the enrolment advice and the shoot audit after the rest of the product was made
neutral)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from twinproof.core import enrolment
from twinproof.core.drift.measures import AUDITED, MEASURES

GENDERED = re.compile(r"\b(she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)


def test_the_enrolment_advice_names_the_talent_not_a_woman():
    for portraits in range(0, enrolment.recommended() + 2):
        text = enrolment.advice(portraits).text
        assert not GENDERED.search(text), (portraits, text)


def test_the_shoot_audit_names_the_talent_not_a_woman():
    words = [a.label for a in AUDITED] + [w for m in MEASURES.values() for w in (m.name, m.follows, m.short)]
    said = [w for w in words if GENDERED.search(w)]
    assert said == [], said


def test_every_audited_label_fits_the_cli_table():
    """The `shoot audit` table gives a label 38 characters; a longer one pushed its row's
    numbers out of their columns."""
    import inspect

    from twinproof.cli import shoot_audit

    width = int(re.search(r"\{'MEASUREMENT':<(\d+)\}", inspect.getsource(shoot_audit)).group(1))  # type: ignore[union-attr]
    assert [a.label for a in AUDITED if len(a.label) > width] == []


def test_every_measurement_is_explained_without_assuming_a_woman():
    """The Evidence panel's tooltips and the sheet's explanations: the identity edits said 'the
    spread of her own portraits' on a man's twin."""
    from twinproof.core.result import DESCRIPTORS

    said = [(d.path, w) for d in DESCRIPTORS for w in (d.label, d.explanation, d.sign) if GENDERED.search(w)]
    assert said == [], said


#: Strings that read what older versions wrote (so a stored result still reads), not new words.
READS_OLD_WORDS = {("twinproof/gui/evidence.py", "(?:her|the talent)")}


def _product_strings(root: Path) -> list[tuple[str, int, str]]:
    """Every string literal in the package that is not a docstring (what a user can be shown),
    and every line of the shipped resources' text files."""
    found = []
    for path in sorted((root / "desktop" / "twinproof").rglob("*.py")):
        tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
        for i, tok in enumerate(tokens):
            if tok.type != tokenize.STRING:
                continue
            alone = (i == 0 or tokens[i - 1].type in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE,
                                                       tokenize.NL)) and tokens[i + 1].type == tokenize.NEWLINE
            if not alone:  # a docstring or a bare string statement is for developers
                found.append((str(path.relative_to(root / "desktop")), tok.start[0], tok.string))
    for path in sorted((root / "resources").rglob("*")):
        if path.suffix in (".json", ".txt", ".md", ".html", ".yaml", ".yml", ".csv") and path.is_file():
            for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                found.append((str(path.relative_to(root)), n, line))
    return found


def test_no_product_text_assumes_the_talents_gender():
    """Every string the app, CLI, sheet or resources can show: 'her'/'she' (or 'his'...) about a
    talent who may be anyone. Code comments and docstrings about a test photo are not scanned."""
    root = Path(__file__).resolve().parents[2]
    said = [(where, n, text[:120]) for where, n, text in _product_strings(root)
            if GENDERED.search(text) and not any(where == w and old in text for w, old in READS_OLD_WORDS)]
    assert said == [], said
