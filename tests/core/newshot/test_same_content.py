"""Identical or near-identical content is a same frame, whatever its size or texture.

Before, an image under 64 px (too small for ORB) or with little texture (features on a small
part of the frame) compared with itself was called a "new shot", and every pixel comparison was
skipped. Every readable image of the repository (tests/data, resources/sample) is compared with
itself here at its own size and shrunk to 4-300 px, sharp and blurred (by hand over 9 sizes:
339 of 339 one frame); and synthetic frames (plain, noise, a gradient; 16-bit, greyscale, 1 px,
thin strips) written as TIFF. The decision is the product's (``align`` then ``mode.decide``);
a few go through the whole analysis.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import tifffile
from PIL import Image

from twinproof.core.analysis import align, analyze_pair
from twinproof.core.errors import ImageLoadError
from twinproof.core.imageio import load_image
from twinproof.core.mode import coincidence, decide
from twinproof.core.policy import load_default_policy
from twinproof.core.registration import _phase_registration
from twinproof.core.result import Mode
from twinproof.paths import resource_path

REPO = Path(__file__).resolve().parents[3]
IMAGES = sorted(p for folder in (REPO / "tests" / "data", resource_path("sample")) for p in Path(folder).rglob("*")
                if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".hif", ".webp"})
SIDES = (4, 16, 40, 63, 100, 300)
POLICY = load_default_policy()


def _mode(path: Path) -> tuple[Mode, str]:
    image = load_image(path)
    pair = align(image, image, 2048)
    return decide(pair, POLICY)


def _readable() -> list[Path]:
    out = []
    for p in IMAGES:
        try:
            load_image(p)
        except ImageLoadError:
            continue
        out.append(p)
    return out


def _save(pixels: np.ndarray, path: Path) -> Path:
    if pixels.dtype == np.uint16:
        tifffile.imwrite(path, pixels)
    else:
        Image.fromarray(pixels).save(path)
    return path


def test_the_repository_has_readable_images() -> None:
    assert len(_readable()) >= 18


@pytest.mark.slow
@pytest.mark.parametrize("path", _readable(), ids=lambda p: p.name)
def test_every_readable_image_against_itself_is_one_frame_at_any_size(path: Path, tmp_path: Path) -> None:
    mode, reason = _mode(path)
    assert mode is Mode.SAME_FRAME, reason
    pixels = load_image(path).pixels
    h, w = pixels.shape[:2]
    for side in SIDES:
        f = side / max(h, w)
        small = cv2.resize(pixels, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
        for blurred in (False, True):  # a blur leaves little texture for the features
            x = cv2.GaussianBlur(small, (0, 0), max(1.0, side / 20)) if blurred else small
            mode, reason = _mode(_save(x, tmp_path / f"{side}-{blurred}.{'tif' if x.dtype == np.uint16 else 'png'}"))
            assert mode is Mode.SAME_FRAME, f"{side} px, blurred {blurred}: {reason}"


@pytest.mark.slow
def test_every_readable_file_of_the_hostile_corpus_against_itself_is_one_frame(tmp_path: Path) -> None:
    """The reliability suite's corpus of odd and bad files and 12 mutants of each format: every
    file the loader reads, against itself (55 of 164; with main's code 51 of the 55 were new
    shots: "no features of the two pictures agree … another shot")."""
    import stat

    from tests.reliability.conftest import load_corpus_module, load_mutants_module

    folder = tmp_path / "corpus"
    load_corpus_module().build(folder)
    load_mutants_module().build_fuzzed(folder, 12)
    read = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not stat.S_ISREG(path.stat().st_mode):
            continue
        try:
            load_image(path)
        except ImageLoadError:
            continue
        read += 1
        mode, reason = _mode(path)
        assert mode is Mode.SAME_FRAME, f"{path.name}: {reason}"
    assert read >= 50


def _synthetic(shape: tuple[int, ...], dtype: type, kind: str) -> np.ndarray:
    top = 65535 if dtype is np.uint16 else 255
    if kind == "plain":
        return np.full(shape, top // 3, dtype)
    if kind == "noise":
        return np.random.default_rng(0).integers(0, top, shape).astype(dtype)
    ramp = np.linspace(0, top, shape[1])
    return np.broadcast_to(ramp[None, :, None] if len(shape) == 3 else ramp[None, :], shape).astype(dtype)


@pytest.mark.parametrize(("shape", "dtype"), [((40, 100, 3), np.uint16), ((40, 100), np.uint16), ((1, 1, 3), np.uint8),
                                              ((5, 300, 3), np.uint8), ((300, 2, 3), np.uint8), ((63, 63), np.uint8)])
@pytest.mark.parametrize("kind", ["plain", "noise", "gradient"])
def test_a_synthetic_frame_against_itself_is_one_frame(tmp_path: Path, shape: tuple[int, ...], dtype: type,
                                                       kind: str) -> None:
    path = tmp_path / "x.tif"
    tifffile.imwrite(path, _synthetic(shape, dtype, kind))
    mode, reason = _mode(path)
    assert mode is Mode.SAME_FRAME, reason


def test_a_small_16_bit_tiff_against_itself_is_measured_pixel_for_pixel(tmp_path: Path) -> None:
    """The issue's case: a 100×40 16-bit TIFF against itself was 'no features of the two
    pictures agree … another shot', and every pixel comparison was skipped."""
    grad = np.linspace(0, 65535, 100)[None, :, None] * np.linspace(0.3, 1, 40)[:, None, None]
    pixels = (grad * np.array([1.0, 0.8, 0.6])).astype(np.uint16)
    path = tmp_path / "strip.tif"
    tifffile.imwrite(path, pixels)
    result = analyze_pair(path, path).result
    assert result.mode is Mode.SAME_FRAME, result.analysis.mode_reason
    assert "coincide pixel for pixel" in result.analysis.mode_reason
    assert result.value("ssim.value") == pytest.approx(1.0, abs=1e-6)
    assert result.verdict != "fail" and not [f for f in result.flags if f.category == "alignment"], result.flags


def test_another_shot_is_still_another_shot_and_says_why(tmp_path: Path) -> None:
    """Two different photographs of the sample shoot at 48 px: too small for features, and the
    direct comparison finds them different; the reason says so, with its numbers."""
    a = load_image(resource_path("sample") / "look01_real.jpg").pixels
    b = load_image(resource_path("sample") / "look02_real.jpg").pixels
    ra = _save(cv2.resize(a, (48, 48), interpolation=cv2.INTER_AREA), tmp_path / "a.png")
    rb = _save(cv2.resize(b, (48, 56), interpolation=cv2.INTER_AREA), tmp_path / "b.png")
    pair = align(load_image(ra), load_image(rb), 2048)
    mode, reason = decide(pair, POLICY)
    assert mode is Mode.NEW_SHOT
    assert "no features in common" in reason and "differ (correlation" in reason and "another shot" in reason
    found = coincidence(pair)
    assert found is not None and found.correlation is not None and found.correlation < 0.9


def _patch_on_plain(tmp_path: Path) -> tuple[Path, Path]:
    """A 200-px crop of Grace Hopper's portrait on a plain 800×600 frame (features only there:
    8 % of the frame), and the same with a ramp in place of the plain right half."""
    hopper = load_image(REPO / "tests" / "data" / "grace_hopper.jpg").pixels
    real = np.full((600, 800, 3), 128, np.uint8)
    real[40:240, 40:240] = hopper[150:350, 150:350]
    twin = real.copy()
    twin[:, 300:] = np.linspace(30, 230, 500)[None, :, None].astype(np.uint8)
    return _save(real, tmp_path / "r.png"), _save(twin, tmp_path / "t.png")


def test_little_texture_against_itself_is_one_frame_and_otherwise_says_what_differs(tmp_path: Path) -> None:
    """All matched features agree but span 8 % of the frame: against itself the direct
    comparison finds the same picture; with the background changed it is another shot, and the
    reason names the span and the difference, never "3917 of 3917 agree … another shot"."""
    real, twin = _patch_on_plain(tmp_path)
    mode, reason = _mode(real)
    assert mode is Mode.SAME_FRAME and "coincide pixel for pixel" in reason, reason
    mode, reason = decide(align(load_image(real), load_image(twin), 2048), POLICY)
    assert mode is Mode.NEW_SHOT
    assert "span only 8% of the frame" in reason and "the two pictures differ (correlation" in reason, reason
    assert "features agree, and only over" not in reason


@pytest.mark.parametrize(("h", "w"), [(27, 40), (26, 40), (13, 9), (101, 77)])
def test_phase_correlation_finds_no_shift_between_an_image_and_itself(h: int, w: int) -> None:
    """OpenCV reads its peak half a pixel off when its DFT size is odd (26 or 27 rows): padded."""
    grey = cv2.resize(cv2.cvtColor(load_image(REPO / "tests" / "data" / "grace_hopper.jpg").pixels,
                                   cv2.COLOR_RGB2GRAY), (w, h), interpolation=cv2.INTER_AREA)
    m, *_ = _phase_registration(grey, grey)
    assert np.abs(m[:, 2]).max() < 1e-6, m
