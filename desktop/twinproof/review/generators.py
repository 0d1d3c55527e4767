"""Who made a pair's twin, as a reviewer names it (``pairs.generator``, migration 0007).

The shoot audit groups twins by generator to answer "does this vendor slim our models?". The
twin's Content Credentials name it when they survive and validate; often they do not (a vendor's
pipeline strips them, a file is re-exported), and the art director knows who made the shoot.
What the reviewer sets wins over what the file says; clearing it falls back to the file.
"""

from __future__ import annotations

from twinproof.review import pg_rules
from twinproof.review.audit import AuditEventKind
from twinproof.review.db import ReviewStore
from twinproof.review.errors import ReviewError
from twinproof.review.migrations.generator_0007 import MAX_GENERATOR
from twinproof.review.shoots import set_pair_attribute


def clean_generator(name: str | None) -> str | None:
    """The name as stored: trimmed, None for blank; refused when too long or not one line."""
    if name is None:
        return None
    text = " ".join(name.split())
    if len(text) > MAX_GENERATOR:
        raise ReviewError(f"a generator name is at most {MAX_GENERATOR} characters ({len(text)} given)")
    if any(not c.isprintable() for c in text):
        raise ReviewError("a generator name cannot hold control characters")
    return text or None


def set_generator(store: ReviewStore, pair_id: int, generator: str | None,
                  expected_version: int | None = None) -> int:
    """Name the generator of the pair's twin (None or blank: clear it); audited; the pair's new
    version. A reviewer who saw an older version of the pair gets a conflict, nothing is lost."""
    name = clean_generator(generator)
    with store.transaction() as session:
        if pg_rules.on_postgres(session):  # the reviewer role holds no UPDATE on pairs.generator
            return pg_rules.set_generator(session, pair_id, name, expected_version, store.reviewer)
        return set_pair_attribute(session, store.reviewer, pair_id, expected_version, "generator", name,
                                  AuditEventKind.GENERATOR,
                                  f"generator set to {name}" if name else "generator cleared")
