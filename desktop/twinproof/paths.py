"""Find the files that ship with TwinProof: ``resources/`` and ``models/``.

One function knows every way the program can be laid out, so nothing else guesses:
- the source tree (``desktop/twinproof`` next to top-level ``resources/`` and ``models/``),
- the frozen PyInstaller bundle (``sys._MEIPASS``, where build.spec copies both folders),
- an installed wheel with the data beside the package (``twinproof/_data``).
``TWINPROOF_DATA_DIR`` overrides all of them (tests, packagers).
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


class DataNotFoundError(RuntimeError):
    """The program's own data files are missing: the installation is broken."""


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get("TWINPROOF_DATA_DIR")
    if override:
        found.append(Path(override))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        found.append(Path(frozen))
    here = Path(__file__).resolve().parent
    found.append(here / "_data")
    found.append(here.parent.parent)  # source tree: desktop/twinproof -> repository root
    return found


@cache
def data_root() -> Path:
    """The folder holding ``resources/`` and ``models/``."""
    for root in _candidates():
        if (root / "resources").is_dir() and (root / "models").is_dir():
            return root
    tried = ", ".join(str(p) for p in _candidates())
    raise DataNotFoundError(f"TwinProof's data folders (resources/, models/) were not found in: {tried}")


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``."""
    return data_root().joinpath("resources", *parts)


def model_path(*parts: str) -> Path:
    """A file under ``models/``."""
    return data_root().joinpath("models", *parts)
