"""A flag in one line, the same wherever it is written: the terminal (``twinproof analyze``),
the sheet, its evidence captions, the CSV, the XMP and the app's menus.

``FAIL face_shape/eyes: eyes enlarged 12% [face.changes.eyes.percent]``: the severity, what
and where, the finding in words, and the measurement it judged (which joins it to its row and
to the annotations that answer it). Readers of a stored record pass the flag's JSON object; the
core passes its :class:`Flag`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from twinproof.core.result.types import Flag


def _field(flag: Flag | dict[str, Any], name: str) -> str:
    value = flag.get(name) if isinstance(flag, dict) else getattr(flag, name, None)
    if isinstance(value, Enum):
        value = value.value
    return "" if value is None else str(value)


def flag_line(flag: Flag | dict[str, Any], *, severity: bool = True, metric: bool = True) -> str:
    """The flag in one line; ``severity=False`` where the severity is said otherwise (a colour,
    a column), ``metric=False`` where the measurement is beside it already."""
    where = f"{_field(flag, 'category')}/{_field(flag, 'region') or 'image'}"
    text = f"{where}: {_field(flag, 'message')}"
    if severity:
        text = f"{_field(flag, 'severity').upper()} {text}"
    if metric and _field(flag, "metric"):
        text = f"{text} [{_field(flag, 'metric')}]"
    return text
