"""The index sets the fidelity metrics will rely on are well-formed."""

from __future__ import annotations

from twinproof.core.landmarks import topology as t


def test_face_regions_are_valid_mesh_indices() -> None:
    for name, idx in t.FACE_REGIONS.items():
        assert idx and all(0 <= i < 468 for i in idx), name
        assert len(set(idx)) == len(idx), name
    assert t.LIPS_OUTER[0] == t.MESH_POINTS["mouth_right"] == 61
    assert t.RIGHT_EYE[0] == 33 and t.LEFT_EYE[0] == 263


def test_eye_contour_maps_and_pose_names() -> None:
    assert len(t.EYE_CONTOUR_TO_MESH_RIGHT) == len(t.EYE_CONTOUR_TO_MESH_LEFT) == 71
    assert set(t.EYE_CONTOUR_TO_MESH_RIGHT[:16]) == set(t.RIGHT_EYE)
    assert set(t.EYE_CONTOUR_TO_MESH_LEFT[:16]) == set(t.LEFT_EYE)
    assert len(t.POSE_LANDMARK_NAMES) == 33 and t.POSE_INDEX["left_elbow"] == 13
    assert all(a < 33 and b < 33 for a, b in t.POSE_CONNECTIONS)
    assert len(t.closed_edges(t.FACE_OVAL)) == len(t.FACE_OVAL)
