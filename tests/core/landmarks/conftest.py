"""Landmark results of the two portraits, computed once per session."""

from __future__ import annotations

import pytest
from skimage import data

from tests.core.landmarks.refs import hopper
from twinproof.core.landmarks import LandmarkResult, detect_landmarks


@pytest.fixture(scope="session")
def astronaut_result() -> LandmarkResult:
    return detect_landmarks(data.astronaut())


@pytest.fixture(scope="session")
def hopper_result() -> LandmarkResult:
    return detect_landmarks(hopper())
