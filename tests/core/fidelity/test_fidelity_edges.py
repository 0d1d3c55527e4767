"""Measurements that cannot be made are null with a reason, raise no flag, and ask for review."""

from __future__ import annotations

import numpy as np

from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.fidelity.procrustes import fit_similarity, polygon_area


def test_no_person_gives_null_person_measurements(tmp_path):
    real = save(PHOTOS["coffee"](), tmp_path / "real.png")
    result = analyze_pair(real, real).to_dict()
    for name in ("face", "body", "skin", "texture", "garment"):
        m = result["metrics"][name]
        assert m["value"] is None and m["reason"], name
    assert result["flags"] == []
    assert result["verdict"] == "review" and "face" in result["missing_required"]


def test_face_too_small_is_null(tmp_path):
    import cv2

    small = cv2.resize(PHOTOS["hopper"](), (64, 75), interpolation=cv2.INTER_AREA)
    canvas = np.full((900, 900, 3), 200, np.uint8)
    canvas[300:375, 400:464] = small
    real = save(canvas, tmp_path / "real.png")
    result = analyze_pair(real, real).to_dict()
    face = result["metrics"]["face"]
    assert face.get("value", 0) is None
    assert "small" in face["reason"] or "no face" in face["reason"]
    assert not [f for f in result["flags"] if f["category"] == "face_shape"]


def test_procrustes_recovers_a_known_similarity():
    rng = np.random.default_rng(3)
    src = rng.normal(size=(50, 2)) * 40
    ang = np.deg2rad(12)
    rot = np.array([[np.cos(ang), -np.sin(ang)], [np.sin(ang), np.cos(ang)]])
    dst = 1.3 * src @ rot.T + [5.0, -7.0]
    sim = fit_similarity(src, dst)
    assert abs(sim.scale - 1.3) < 1e-9
    np.testing.assert_allclose(sim.apply(src), dst, atol=1e-9)


def test_polygon_area_of_a_square():
    assert polygon_area(np.array([[0, 0], [2, 0], [2, 2], [0, 2]], float)) == 4.0


def test_flags_say_where_they_are(tmp_path):
    from tests.core.fidelity.cases import CASES, landmarks, twin_of

    eyes = next(c for c in CASES if c.name.startswith("eyes"))
    real = save(PHOTOS["hopper"](), tmp_path / "real.png")
    twin = save(twin_of(eyes, "hopper"), tmp_path / "twin.png")
    flag = next(f for f in analyze_pair(real, twin).to_dict()["flags"] if f["region"] == "eyes")
    x0, y0, x1, y1 = flag["box"]
    mesh = landmarks("hopper").face.points
    for corner in (33, 133, 362, 263):  # both eyes' corners inside the box
        assert x0 <= mesh[corner, 0] <= x1 and y0 <= mesh[corner, 1] <= y1
    assert (x1 - x0) < 0.6 * 512  # the eyes, not the whole frame


def test_bounding_box_ignores_nan_points():
    from twinproof.core.flags import bounding_box

    assert bounding_box(np.array([[1.0, 2.0], [np.nan, 5.0], [3.0, 4.0]]), pad=1) == (0.0, 1.0, 4.0, 5.0)
    assert bounding_box(np.zeros((0, 2))) is None


def test_grey_garment_has_no_hue_but_says_why(tmp_path):
    """A black, white or grey garment has no hue to compare: the hue shift is null with a
    reason and its colour is still judged by ΔE00."""
    gray = np.repeat(PHOTOS["astronaut"]().mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8)
    real, twin = save(gray, tmp_path / "real.png"), save(gray, tmp_path / "twin.png")
    garment = analyze_pair(real, twin).to_dict()["metrics"]["garment"]
    assert garment["hue_shift_deg"]["value"] is None
    assert "too little colour" in garment["hue_shift_deg"]["reason"]
    assert garment["delta_e00_mean"] < 0.5


def _pose(joints: dict[str, tuple[float, float]], angle_deg: float = 0.0) -> np.ndarray:
    from twinproof.core.landmarks.topology import POSE_INDEX

    p = np.zeros((33, 3))
    t = np.radians(angle_deg)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    for name, (x, y) in joints.items():
        for side, dx in (("left", x), ("right", -x)):
            p[POSE_INDEX[f"{side}_{name}"], :2] = rot @ np.array([dx, y])
    return p


STANDING = {"shoulder": (20, 0), "hip": (14, 55), "knee": (13, 105), "ankle": (12, 155)}
LEGS = ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee", "right_knee",
        "left_ankle", "right_ankle")


def test_joints_out_of_order_are_not_a_body():
    """A waist-up portrait's guessed knees (above the hips) never make a leg measurement,
    whatever the pose's tilt; a real standing or tilted body passes."""
    from twinproof.core.fidelity.body_metrics import _implausible

    for angle in (0, 25, -40, 180):
        assert _implausible(_pose(STANDING, angle), LEGS) is None, angle
        guessed = dict(STANDING, knee=(13, 45))
        assert "knees are not below the hips" in _implausible(_pose(guessed, angle), LEGS)
        crossed = dict(STANDING, ankle=(12, 110))
        assert "ankles" in _implausible(_pose(crossed, angle), LEGS)
        squashed = dict(STANDING, hip=(14, 8))
        assert "hips are not below" in _implausible(_pose(squashed, angle), LEGS)
    assert _implausible(_pose(dict(STANDING, knee=(13, 45))), (*LEGS[:2], "left_ear")) is None
