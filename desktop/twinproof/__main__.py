"""``python -m twinproof`` is the ``twinproof`` command."""

from twinproof.cli import entry

entry()
