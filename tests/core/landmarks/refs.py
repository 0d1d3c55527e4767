"""The real photographs and their hand labels (tests/data/landmarks/*.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

DATA = Path(__file__).resolve().parents[2] / "data"


def labels(name: str) -> dict[str, Any]:
    return json.loads((DATA / "landmarks" / f"{name}.json").read_text(encoding="utf-8"))


def hopper() -> np.ndarray:
    """U.S. Navy portrait of Grace Hopper, 512x600 RGB (public domain; see tests/data/SOURCES.md)."""
    return np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB"))
