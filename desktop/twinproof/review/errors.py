"""Typed errors of the review record.

Every refusal is its own class so a GUI can show the right dialog (a consent block is not a
merge conflict) and the CLI can map it to an exit code; ``str(error)`` is always one line a
reviewer can act on.
"""

from __future__ import annotations


class ReviewError(Exception):
    """Base class: the review record refused or could not do something."""


class NotFoundError(ReviewError):
    """A pair, annotation, talent or shoot named by the caller does not exist."""


class RuleError(ReviewError):
    """A review rule refused the change (CLI exit code 1)."""


class ReasonRequiredError(RuleError):
    """Rejecting or requesting changes without a reason, or an 'other' reason without text."""


class OverrideRequiredError(RuleError):
    """Approving a pair whose analysis verdict is 'fail' without a written justification."""


class ConsentError(RuleError):
    """Approving a twin whose talent or consent is missing, expired or out of scope."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        #: Each missing item as a short sentence, for a GUI list.
        self.missing = missing


class StaleAnalysisError(RuleError):
    """Approving a twin on an analysis that no longer holds (its files, control mark, talent or
    reference portraits changed since it was made): analyse the pair again first."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        #: Why it is stale, in words (``review.staleness``); None when only the database said so.
        self.reason = reason


class ConflictError(ReviewError):
    """Someone else changed the record since the caller read it; nothing was overwritten."""


class AuditImmutableError(ReviewError):
    """An attempt to change or delete an audit-trail row (the trail is append-only)."""


class StorageError(ReviewError):
    """The database could not be read or written (disk full, read-only, locked too long, the
    server gone): the change being made was not saved; everything committed before is intact."""


class SchemaError(ReviewError):
    """The database was written by a newer TwinProof, or is not a TwinProof database."""


class PairingError(ReviewError):
    """Making a pair by hand is impossible (a file is already paired, or missing)."""
