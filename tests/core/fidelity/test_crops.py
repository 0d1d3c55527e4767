"""Crops of the real and the twin, cut from the part of each decode the crop shows.

Known answers: on a ramp (a pixel's value is its own x or y, which area averaging and bilinear
interpolation keep exactly), every crop pixel holds the file coordinate it was meant to; a twin
that is the real photograph itself, through the identity registration, gives the real's crop to
the bit; a twin framed a known amount off gives the real's crop where it overlaps, and its
coverage ends where the twin's frame ends."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from twinproof.core.analysis import align
from twinproof.core.fidelity.crops import pair_crop
from twinproof.core.imageio import load_image
from twinproof.core.registration import Registration

SOURCE = Path(__file__).resolve().parents[2] / "data" / "grace_hopper.jpg"
SIZE = (2400, 3600)  # a large photograph: the face crop shrinks it, as a 24 MP file's does


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = np.asarray(Image.open(SOURCE).convert("RGB"), np.float32)
    big = cv2.resize(src, SIZE, interpolation=cv2.INTER_CUBIC)
    big += np.random.default_rng(1).normal(0, 3, big.shape[:2]).astype(np.float32)[..., None]
    path = tmp_path_factory.mktemp("crops") / "real.png"
    Image.fromarray(np.clip(big, 0, 255).astype(np.uint8)).save(path)
    return path


def _crop(real: Path, twin: Path, shift: tuple[float, float], box: tuple[float, float, float, float],
          scale: float):
    reg = Registration.from_parameters(1.0, 0.0, shift)
    pair = align(load_image(real), load_image(twin), 2048, reg)
    return pair_crop(pair, box, scale)


@pytest.mark.parametrize("scale", [0.13, 0.3, 0.6, 0.85, 1.0, 1.7])
def test_every_crop_pixel_holds_the_file_point_it_stands_for(tmp_path: Path, scale: float) -> None:
    """A 16-bit ramp: red is 16·x, green 16·y (file px, pixel centres). A crop pixel (u, v) of the
    box from (x0, y0) must read x0 + u / scale and y0 + v / scale, within the 16-bit rounding.
    Before the resize's own grid was undone, a ×0.3 crop stood 1.2 file px off."""
    w, h = 2400, 3000
    ramp = np.zeros((h, w, 3), np.uint16)
    ramp[..., 0] = 16 * np.arange(w, dtype=np.uint16)[None, :]
    ramp[..., 1] = 16 * np.arange(h, dtype=np.uint16)[:, None]
    path = tmp_path / "ramp.png"
    assert cv2.imwrite(str(path), ramp[..., ::-1])
    box = (611.3, 402.7, 1811.3, 2202.7)
    for shift in ((0.0, 0.0), (-37.25, 18.5)):  # the twin: the same ramp, registered off by a shift
        crop = _crop(path, path, shift, box, scale)
        v, u = np.indices(crop.real.shape[:2])
        x, y = box[0] + u / scale, box[1] + v / scale
        # real = twin + shift: the twin pixel shown at real (x, y) is (x - dx, y - dy)
        for img, (ex, ey) in ((crop.real, (x, y)), (crop.twin, (x - shift[0], y - shift[1]))):
            for channel, expected in ((0, ex), (1, ey)):
                off = (img[..., channel] * 65535 / 16 - expected)[3:-3, 3:-3]  # clear of the border
                # OpenCV's area weights carry a few hundredths of a pixel (and, at a few
                # columns, a few tenths) on 16-bit values: judged on the bulk, and bounded
                assert abs(float(np.median(off))) < 0.02, (scale, shift, channel, np.median(off))
                assert float(np.percentile(np.abs(off), 99)) < 0.12, (scale, shift, channel)
                assert float(np.abs(off).max()) < 2.0


@pytest.mark.parametrize("scale", [0.3, 0.6, 1.0, 1.7])
def test_the_real_itself_as_its_twin_gives_the_real_crop(big: Path, scale: float) -> None:
    crop = _crop(big, big, (0.0, 0.0), (700.0, 500.0, 1700.0, 1800.0), scale)
    assert crop.valid.all()
    np.testing.assert_array_equal(crop.twin, crop.real)


def test_a_shifted_twin_is_cropped_where_it_lies_and_covered_where_it_exists(big: Path, tmp_path: Path) -> None:
    full = np.asarray(Image.open(big))
    # the twin frames the real from (40, 24) on: its pixel (x, y) is the real's (x + 40, y + 24)
    path = tmp_path / "twin.png"
    Image.fromarray(np.ascontiguousarray(full[24:, 40:])).save(path)
    # a box at the real's top-left corner, at half scale: the twin's frame starts 20 crop px
    # right of it and 12 crop px below
    crop = _crop(big, path, (40.0, 24.0), (0.0, 0.0, 1000.0, 800.0), 0.5)
    assert not crop.valid[:, :19].any() and not crop.valid[:11, :].any()
    inside = np.zeros_like(crop.valid)
    inside[14:, 22:] = True
    assert crop.valid[inside].all()
    diff = np.abs(crop.twin - crop.real)[inside]
    assert diff.mean() < 0.5 / 255 and np.percentile(diff, 99) < 3 / 255, diff.mean() * 255
