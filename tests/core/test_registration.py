"""Registration recovers known similarity transforms of real photographs."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.photos import astronaut, hopper, jpeg_roundtrip, similarity, warp
from twinproof.core.registration import Registration, register, warp_to_real

CASES = [
    # (photo, scale, rotation°, shift px, output size factor)
    (astronaut, 1.0, 0.0, (0.0, 0.0), 1.0),
    (astronaut, 1.0, 0.8, (6.0, -4.0), 1.0),
    (hopper, 0.97, -1.2, (-10.0, 7.5), 1.0),
    (hopper, 1.04, 0.4, (3.0, 12.0), 0.9),
    (astronaut, 0.5, 0.3, (2.0, 1.0), 0.5),   # the twin delivered at half resolution
    (hopper, 1.6, -0.6, (-40.0, -30.0), 1.4),  # a bigger, reframed twin
]


@pytest.mark.parametrize(("photo", "scale", "rot", "shift", "size_f"), CASES)
def test_recovers_known_transform(photo, scale, rot, shift, size_f):
    real = photo()
    h, w = real.shape[:2]
    out_w, out_h = round(w * size_f), round(h * size_f)
    m_real_to_twin = similarity(scale, rot, shift, (w / 2, h / 2))
    m_real_to_twin[:, 2] += ((out_w - w) / 2, (out_h - h) / 2)  # keep the subject centred
    twin = jpeg_roundtrip(warp(real, m_real_to_twin, (out_w, out_h)), 90)
    reg = register(real, twin)
    truth = Registration(np.vstack([m_real_to_twin, [0, 0, 1]]), 1.0, "truth")
    inv = np.linalg.inv(truth.matrix)[:2]
    expected = Registration(inv, 1.0, "truth")
    assert reg.scale == pytest.approx(expected.scale, rel=0.005)
    assert abs(reg.rotation_deg - expected.rotation_deg) < 0.5
    # Where the twin's pixels land in the real frame: within 1 px everywhere in the overlap.
    th, tw = twin.shape[:2]
    corners = np.array([[0, 0, 1], [tw, 0, 1], [0, th, 1], [tw, th, 1], [tw / 2, th / 2, 1]]).T
    err = np.abs(reg.matrix @ corners - expected.matrix @ corners).max()
    assert err < 1.0
    assert reg.confidence > 0.5


def test_warp_to_real_reproduces_the_real_frame():
    real = hopper()
    h, w = real.shape[:2]
    m = similarity(1.1, 1.0, (5.0, -8.0), (w / 2, h / 2))
    twin = warp(real, m, (w, h))
    reg = register(real, twin)
    aligned, mask = warp_to_real(twin, reg, (w, h), 1.0)
    assert aligned.shape == real.shape
    diff = np.abs(aligned.astype(int) - real.astype(int))[mask].mean()
    assert diff < 4
    assert 0.8 < mask.mean() <= 1.0


def test_featureless_pair_falls_back_with_low_confidence():
    rng = np.random.default_rng(1)
    flat = np.full((300, 400, 3), 128, np.uint8)
    flat += rng.integers(0, 2, flat.shape, dtype=np.uint8)
    reg = register(flat, flat)
    assert reg.confidence <= 0.3
    assert "phase correlation" in reg.method


@pytest.mark.parametrize("photo", [astronaut, hopper])
@pytest.mark.parametrize(("dx", "dy"), [(7, -4), (-12, 9), (3, 15)])
def test_phase_fallback_recovers_a_known_reframing(photo, dx, dy):
    """The translation-only fallback, given two crops of a real photograph ``(dx, dy)`` px
    apart, maps the twin's pixels onto the real's to within 0.1 px."""
    from twinproof.core.registration import _phase_registration, to_gray_u8

    gray = to_gray_u8(photo())
    h, w = gray.shape
    real = gray[20:h - 20, 20:w - 20]
    twin = gray[20 + dy:h - 20 + dy, 20 + dx:w - 20 + dx]  # twin pixel (x, y) = real (x + dx, y + dy)
    m, confidence, method, *_ = _phase_registration(real, twin)
    assert m[0, 0] == m[1, 1] == 1.0
    assert m[0, 2] == pytest.approx(dx, abs=0.1)
    assert m[1, 2] == pytest.approx(dy, abs=0.1)
    assert 0.25 < confidence <= 0.3
    assert "phase correlation" in method


def test_the_feature_budget_is_the_registration_size_s_density_with_a_floor():
    """A pair registered at 1,600 px keeps 5,000 features (every large photograph's answers are
    unchanged); a smaller one as many per square pixel of its long side, never under 2,500 (with
    1,000 a torso liquified in one frame fell under the mode's agreement line)."""
    import numpy as np

    from twinproof.core.registration import feature_budget

    assert feature_budget(np.zeros((1067, 1600), np.uint8)) == 5000
    assert feature_budget(np.zeros((900, 1600), np.uint8)) == 5000
    assert feature_budget(np.zeros((1600, 1600), np.uint8)) == 5000
    assert feature_budget(np.zeros((960, 1440), np.uint8)) == 4050
    assert feature_budget(np.zeros((512, 512), np.uint8)) == 2500
