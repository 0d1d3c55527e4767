"""The SHA-256 of a file's content: the one way TwinProof names the bytes it measured.

The record stamps every analysis with both files' hashes (a later edit marks it out of date),
the heat-map files and caches are keyed by them, exported copies are checked against them and
the landmark models are verified by them, so every one of those must agree on how a file is
hashed. It sits at the top of the package, beside ``atomic.py``, outside the layers, so the
core, the record, the exports and the batch all import this one function.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

#: Read in 1 MiB blocks: shoot TIFFs can be 200 MB, and a block this size keeps the disk busy.
BLOCK = 1 << 20


def file_sha256(path: str | Path) -> str:
    """The hex SHA-256 of the file's bytes (OSError when it cannot be read)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()
