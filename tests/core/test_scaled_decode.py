"""A large JPEG decoded at the scale the analysis needs (DCT scaling) gives the answers of the
full decode: same frame, same coordinates, the same pixels when the full resolution is asked for,
landmarks and registration within a fraction of a pixel of the full decode's."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from twinproof.core.analysis import analyze_images, analyze_pair
from twinproof.core.imageio import load_image

SOURCE = Path(__file__).resolve().parents[1] / "data" / "grace_hopper.jpg"


def _big(path: Path, size: tuple[int, int], orientation: int = 1, shift: tuple[float, float] = (0, 0),
         rotate: float = 0.0, gain: tuple[float, float, float] = (1, 1, 1)) -> Path:
    src = np.asarray(Image.open(SOURCE).convert("RGB"), np.float32)
    big = cv2.resize(src, size, interpolation=cv2.INTER_CUBIC)
    big += np.random.default_rng(0).normal(0, 3, big.shape[:2]).astype(np.float32)[..., None]
    m = cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), rotate, 1.0)
    m[:, 2] += shift
    big = cv2.warpAffine(big, m, size, borderMode=cv2.BORDER_REFLECT) * np.float32(gain)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(np.clip(big, 0, 255).astype(np.uint8)).save(path, quality=92, exif=exif.tobytes())
    return path


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _big(tmp_path_factory.mktemp("scaled") / "real.jpg", (3200, 4800))


def test_a_large_jpeg_is_decoded_at_half_scale_in_the_full_frame(big_jpeg: Path) -> None:
    scaled = load_image(big_jpeg, long_side=2048)
    assert scaled.scale == 0.5
    assert scaled.decoded.shape == (2400, 1600, 3)
    assert (scaled.width, scaled.height) == (3200, 4800)  # coordinates stay the file's
    assert any("1/2 scale (JPEG DCT scaling)" in h for h in scaled.handling)
    assert scaled.at_scale(0.3)[1] == 0.5 and not scaled._decodes  # no second decode for less
    full = load_image(big_jpeg)
    assert full.scale == 1.0 and full.width == 3200
    np.testing.assert_array_equal(scaled.pixels, full.pixels)  # the full decode, from the same bytes
    # DCT scaling is an area average: the ½ decode matches the full one shrunk by 2
    halved = cv2.resize(full.pixels, (1600, 2400), interpolation=cv2.INTER_AREA).astype(np.int16)
    assert np.abs(halved - scaled.decoded.astype(np.int16)).mean() < 2.0


def test_small_images_and_the_default_load_are_untouched(tmp_path: Path, big_jpeg: Path) -> None:
    small = _big(tmp_path / "small.jpg", (1200, 1800))
    assert load_image(small, long_side=2048).scale == 1.0
    assert load_image(big_jpeg, long_side=3000).scale == 1.0  # ½ would be under 3000 px


def test_exif_orientation_turns_the_full_frame_too(tmp_path: Path) -> None:
    turned = _big(tmp_path / "turned.jpg", (4800, 3200), orientation=6)
    scaled = load_image(turned, long_side=2048)
    assert scaled.scale == 0.5
    assert (scaled.width, scaled.height) == (3200, 4800)
    assert scaled.decoded.shape[:2] == (2400, 1600)
    assert scaled.pixels.shape[:2] == (4800, 3200)


@pytest.mark.slow
def test_the_analysis_of_a_scaled_pair_agrees_with_the_full_decode(tmp_path: Path, big_jpeg: Path) -> None:
    twin = _big(tmp_path / "twin.jpg", (3200, 4800), shift=(14, -9), rotate=0.4, gain=(1.03, 1.0, 0.97))
    scaled = analyze_pair(big_jpeg, twin)
    full = analyze_images(load_image(big_jpeg), load_image(twin))
    assert not scaled.pair.real._decodes and not scaled.pair.twin._decodes  # no full decode was needed
    a, b = full.result, scaled.result
    assert a.registration is not None and b.registration is not None
    assert abs(a.registration.rotation_deg - b.registration.rotation_deg) < 0.05
    assert np.allclose(a.registration.shift_px, b.registration.shift_px, atol=2.0)
    ma, mb = a.metrics, b.metrics
    assert abs(ma.ssim.value - mb.ssim.value) < 0.01  # type: ignore[union-attr]
    assert abs(ma.colour.delta_e00_mean - mb.colour.delta_e00_mean) < 0.1  # type: ignore[union-attr]
    assert abs(ma.colour.cast.magnitude - mb.colour.cast.magnitude) < 0.2  # type: ignore[union-attr]
    # landmarks measured on the ½ decode, mapped back to file pixels
    fa, fb = ma.landmarks.real.face_points, mb.landmarks.real.face_points  # type: ignore[union-attr]
    iod = ma.face.iod_px  # type: ignore[union-attr]
    assert np.linalg.norm(np.asarray(fa)[:, :2] - np.asarray(fb)[:, :2], axis=1).mean() < 0.01 * iod
    # the mesh model's own jitter between two inputs of one face is ~1 % of the eye distance
    # (a missed rescale would be 50 %); what is judged, the twin's change against the real, agrees
    assert abs(ma.face.iod_px - mb.face.iod_px) < 0.015 * iod  # type: ignore[union-attr]
    for name, change in ma.face.changes.items():  # type: ignore[union-attr]
        assert abs(change.percent - mb.face.changes[name].percent) < 0.5, name  # type: ignore[union-attr]
    assert abs(ma.identity.distance - mb.identity.distance) < 0.05  # type: ignore[union-attr]
    assert [f.metric for f in a.flags] == [f.metric for f in b.flags] and a.verdict == b.verdict


def test_a_small_face_in_a_large_frame_is_measured_on_the_full_decode(tmp_path: Path) -> None:
    """A full-length frame whose face is too small for the ½ decode: the landmarks are those of
    the full decode, exactly (the reduced decode is used only when no model's crop would grow)."""
    from twinproof.core.landmarks import detect_landmarks
    from twinproof.core.reading.read import landmarks_of

    src = np.asarray(Image.open(SOURCE).convert("RGB"))
    face = cv2.resize(src, (300, 392), interpolation=cv2.INTER_AREA)  # eyes ~60 px apart
    canvas = np.full((4800, 3200, 3), 200, np.uint8)
    canvas[1000:1392, 1400:1700] = face
    path = tmp_path / "small_face.jpg"
    Image.fromarray(canvas).save(path, quality=92)
    scaled = load_image(path, long_side=2048)
    assert scaled.scale == 0.5
    found = landmarks_of(scaled)
    full = detect_landmarks(load_image(path).pixels)
    assert full.face is not None and found.face is not None
    np.testing.assert_array_equal(found.face.points, full.face.points)
    assert found.image_size == (3200, 4800)
