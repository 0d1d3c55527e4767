"""Shared fixtures: the real photographs, their hand labels, and results computed once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from skimage import data

from twinproof.core.landmarks import LandmarkResult, detect_landmarks

DATA = Path(__file__).resolve().parents[2] / "data"


def labels(name: str) -> dict[str, Any]:
    return json.loads((DATA / "landmarks" / f"{name}.json").read_text(encoding="utf-8"))


def hopper() -> np.ndarray:
    return np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB"))


@pytest.fixture(scope="session")
def astronaut_result() -> LandmarkResult:
    return detect_landmarks(data.astronaut())


@pytest.fixture(scope="session")
def hopper_result() -> LandmarkResult:
    return detect_landmarks(hopper())
