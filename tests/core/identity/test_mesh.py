"""Alignment points and yaw from the face mesh, against known rotations of a real mesh."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest

from tests.core.photos import astronaut
from twinproof.core.identity.mesh import MESH_POINTS, five_points, yaw_degrees
from twinproof.core.landmarks import detect_landmarks


@cache
def _mesh() -> np.ndarray:
    face = detect_landmarks(astronaut()).face
    assert face is not None
    return face.points.copy()


def _turn(mesh: np.ndarray, degrees: float) -> np.ndarray:
    """The mesh turned about the vertical axis through its centre (x and z are both pixels)."""
    a = math.radians(degrees)
    out = mesh.copy()
    c = mesh.mean(axis=0)
    x, z = mesh[:, 0] - c[0], mesh[:, 2] - c[2]
    out[:, 0] = c[0] + x * math.cos(a) - z * math.sin(a)
    out[:, 2] = c[2] + x * math.sin(a) + z * math.cos(a)
    return out


def _roll(mesh: np.ndarray, degrees: float) -> np.ndarray:
    a = math.radians(degrees)
    out = mesh.copy()
    c = mesh[:, :2].mean(axis=0)
    d = mesh[:, :2] - c
    out[:, :2] = c + d @ np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    return out


def test_frontal_portrait_has_small_yaw() -> None:
    assert abs(yaw_degrees(_mesh())) < 5


@pytest.mark.parametrize("turn", [-30.0, -15.0, 15.0, 30.0])
def test_yaw_follows_a_known_turn_of_the_mesh(turn: float) -> None:
    base = yaw_degrees(_mesh())
    assert yaw_degrees(_turn(_mesh(), turn)) - base == pytest.approx(turn, abs=1.0)


def test_yaw_ignores_roll() -> None:
    assert yaw_degrees(_roll(_mesh(), 35.0)) == pytest.approx(yaw_degrees(_mesh()), abs=0.01)


def test_five_points_sit_next_to_the_mesh_corners_and_turn_with_the_face() -> None:
    mesh = _mesh()
    pts = five_points(mesh)
    iod = float(np.linalg.norm(mesh[33, :2] - mesh[263, :2]))
    # offsets are at most 2.7 % of the face box (~1.35 x the eye-corner span)
    assert np.linalg.norm(pts - mesh[list(MESH_POINTS), :2], axis=1).max() < 0.05 * iod
    # rolling the face rolls the five points with it (the offsets live in the face's frame)
    centre = mesh[:, :2].mean(axis=0)
    a = math.radians(35.0)
    rot = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    np.testing.assert_allclose(five_points(_roll(mesh, 35.0)), centre + (pts - centre) @ rot, atol=1e-6)
