"""Words about a talent assume no gender (a man's twin read "photographs of her", "her own
range" in the enrolment advice and the shoot audit after the rest of the product was made
neutral)."""

from __future__ import annotations

import re

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
