"""Toned monochrome (sepia) is greyscale for skin colour: known answers on real photographs.

Labelled real photographs (``../shared/faces`` and ``faces-more``, colour), each made into a
black-and-white photograph and toned with the classic sepia matrix, saved as a JPEG as a
scan would be: the toned and the grey ones are monochrome, every colour original is not - nor
the same photographs under a strong warm light (linear gains, the light of a tungsten lamp
on a daylight white balance), nor the real photographs taken in warm light. Through the real
reader: the sepia portrait has no skin colour, its colour original and the warm-light
photographs have one."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from twinproof.core.reading.monochrome import AT_MOST, departing_fraction, is_monochrome

SHARED = Path(os.environ.get("TWINPROOF_SHARED", Path(__file__).resolve().parents[3].parent / "shared"))
needs_faces = pytest.mark.skipif(not (SHARED / "faces").is_dir() or not (SHARED / "faces-more").is_dir(),
                                 reason=f"../shared/faces and faces-more (labelled real photographs) not "
                                        f"found at {SHARED}")
#: The classic sepia toning (as image editors and the W3C filter effects' sepia() apply it).
SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]], np.float32)
#: Real photographs taken in warm light (an indoor lamp; a low sun; a brown backdrop).
WARM_LIGHT = ("faces/img11.jpg", "faces-more/ramiz/s1/10.jpg", "faces-more/ramiz/s1/11.jpg",
              "faces-more/ramiz/s2/4.jpg")


def photographs() -> list[Path]:
    found = [p for folder in ("faces", "faces-more") for p in sorted((SHARED / folder).rglob("*"))
             if p.suffix.lower() in (".jpg", ".jpeg", ".png")]
    return found


def rgb(path: Path, long_side: int = 512) -> np.ndarray:
    with Image.open(path) as im:
        im = im.convert("RGB")
        im.thumbnail((long_side, long_side))
        return np.asarray(im, np.float32) / 255


def grey(work: np.ndarray) -> np.ndarray:
    """Black and white as a converter makes it (Rec. 601 luma of the encoded values)."""
    return np.repeat((work @ np.array([0.299, 0.587, 0.114], np.float32))[..., None], 3, axis=-1)


def sepia(work: np.ndarray) -> np.ndarray:
    return np.clip(grey(work) @ SEPIA.T, 0.0, 1.0)


def jpeg(work: np.ndarray, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray((work * 255 + 0.5).astype(np.uint8)).save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    with Image.open(buffer) as im:
        return np.asarray(im.convert("RGB"), np.float32) / 255


def warm(work: np.ndarray, gains: tuple[float, float, float]) -> np.ndarray:
    linear = np.where(work <= 0.04045, work / 12.92, ((work + 0.055) / 1.055) ** 2.4) * np.float32(gains)
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055).astype(np.float32)


@needs_faces
@pytest.mark.slow
def test_toned_and_grey_photographs_are_monochrome_colour_ones_are_not():
    paths = photographs()
    assert len(paths) >= 100, f"expected the 104 labelled photographs, found {len(paths)}"
    wrong: list[str] = []
    worst_toned, least_colour = 0.0, 1.0
    for path in paths:
        name = str(path.relative_to(SHARED))
        work = rgb(path)
        for how, image in (("colour", work), ("warm", warm(work, (1.25, 1.0, 0.7))),
                           ("warmer", warm(work, (1.4, 1.0, 0.55)))):
            if is_monochrome(image):
                wrong.append(f"{name} ({how}) called monochrome")
            least_colour = min(least_colour, departing_fraction(image) or 1.0)
        for how, image in (("sepia q75", jpeg(sepia(work), 75)), ("sepia q92", jpeg(sepia(work), 92)),
                           ("half sepia q60", jpeg(0.5 * sepia(work) + 0.5 * grey(work), 60)),
                           ("grey q85", jpeg(grey(work), 85))):
            if not is_monochrome(image):
                wrong.append(f"{name} ({how}) not called monochrome")
            worst_toned = max(worst_toned, departing_fraction(image) or 0.0)
    assert wrong == []
    # the margins the line sits between (docstring of core/reading/monochrome.py)
    assert worst_toned < AT_MOST / 2 and least_colour > 1.5 * AT_MOST, (worst_toned, least_colour)


@needs_faces
@pytest.mark.parametrize("name", WARM_LIGHT)
def test_real_photographs_in_warm_light_are_not_monochrome(name):
    assert not is_monochrome(rgb(SHARED / name))


def test_a_small_or_blown_out_frame_is_judged_by_grey_alone():
    white = np.ones((40, 40, 3), np.float32)
    assert is_monochrome(white)  # R = G = B
    tinted = np.ones((40, 40, 3), np.float32) * np.float32([1.0, 0.98, 0.9])
    assert departing_fraction(tinted) is None and not is_monochrome(tinted)


@needs_faces
@pytest.mark.slow
def test_through_the_reader_a_sepia_portrait_has_no_skin_colour(tmp_path):
    """The real reader (landmarks, skin mask, white balance) on real files: a sepia scan of
    a colour portrait has texture but no skin colour; the colour portrait and the warm-light
    photographs have one."""
    from twinproof.core.imageio import load_image
    from twinproof.core.policy import load_default_policy
    from twinproof.core.reading.crop import as_float
    from twinproof.core.reading.parts import SkinSample
    from twinproof.core.reading.read import read_image
    from twinproof.core.registration import resize_long_side

    min_px = load_default_policy().number("identity", "min_face_px")

    def skin_of(path: Path) -> SkinSample:
        image = load_image(path)
        small, factor = resize_long_side(image.pixels, 1024)
        reading = read_image(image, as_float(np.ascontiguousarray(small)), factor, min_px)
        assert isinstance(reading.skin, SkinSample), (path.name, reading.skin)
        return reading.skin

    for name in ("faces/img1.jpg", "faces/img11.jpg"):
        with Image.open(SHARED / name) as im:
            colour_work = np.asarray(im.convert("RGB"), np.float32) / 255
        toned = tmp_path / f"{Path(name).stem}_sepia.jpg"
        Image.fromarray((sepia(colour_work) * 255 + 0.5).astype(np.uint8)).save(toned, quality=90)
        assert skin_of(SHARED / name).no_colour is None, name
        assert skin_of(toned).no_colour == "a greyscale photograph has no skin colour", name
    for name in WARM_LIGHT:
        assert skin_of(SHARED / name).no_colour is None, name
