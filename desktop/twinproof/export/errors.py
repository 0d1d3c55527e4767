"""Typed export errors: one line a person understands (the CLI prints it and exits 2)."""

from __future__ import annotations

from twinproof.core.errors import TwinProofError


class ExportError(TwinProofError):
    """An export cannot be made (no pairs, a missing image, an unwritable destination)."""


class ExportCancelled(ExportError):
    """The user cancelled a running export; nothing half-written was left behind."""

    def __init__(self) -> None:
        super().__init__("export cancelled")
