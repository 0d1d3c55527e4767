"""Make the bundled sample shoot from real public-domain photographs.

Every "twin" here is NOT AI-generated: it is the real photograph changed by a documented,
controlled manipulation, so the right answer is known and the app can show what each
measurement catches. Run from the repository root: ``python resources/sample/make_sample.py``.
The outputs are committed; the script is kept so they can be checked and regenerated.
Looks 03-06 use the controlled manipulations of the test suite (tests/core/fidelity), so run
it from the repository root with the test extra installed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from skimage import data

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def reframe(im: Image.Image, rotate_deg: float, crop: tuple[float, float, float, float]) -> Image.Image:
    """Rotate slightly and crop by fractions (left, top, right, bottom) of the frame."""
    w, h = im.size
    rotated = im.rotate(rotate_deg, resample=Image.Resampling.BICUBIC, fillcolor=(128, 128, 128))
    box = (round(crop[0] * w), round(crop[1] * h), round(w - crop[2] * w), round(h - crop[3] * h))
    return rotated.crop(box)


def warm_cast(im: Image.Image, gains: tuple[float, float, float]) -> Image.Image:
    """Per-channel gains on linear light: a white-balance shift."""
    a = np.asarray(im, dtype=np.float32) / 255.0
    lin = np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)
    lin = np.clip(lin * np.asarray(gains, dtype=np.float32), 0, 1)
    enc = np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)
    return Image.fromarray((enc * 255 + 0.5).astype(np.uint8))


def main() -> None:
    astronaut = Image.fromarray(data.astronaut())
    hopper = Image.open(ROOT / "tests" / "data" / "grace_hopper.jpg").convert("RGB")
    astronaut.save(HERE / "look01_real.jpg", quality=95)
    # look01: a faithful twin: 0.5° rotation, 3% reframing, re-encoded at quality 88.
    reframe(astronaut, 0.5, (0.03, 0.02, 0.01, 0.03)).save(HERE / "look01_twin.jpg", quality=88)
    hopper.save(HERE / "look02_real.jpg", quality=95)
    # look02: a warm white-balance shift (red +12%, blue -15% in linear light).
    warm_cast(hopper, (1.12, 1.0, 0.85)).save(HERE / "look02_twin.jpg", quality=92)

    import sys

    sys.path.insert(0, str(ROOT))
    from tests.core.fidelity import cases

    a, g = np.asarray(astronaut), np.asarray(hopper)
    # look03: an "idealised" face: lips fuller 8%, then eyes enlarged 12%.
    astronaut.save(HERE / "look03_real.jpg", quality=95)
    Image.fromarray(cases.eyes("astronaut", cases.lips("astronaut", a, 8), 12)).save(
        HERE / "look03_twin.jpg", quality=92)
    # look04: a "beauty retouch": skin lightened by ΔL* +6 and airbrushed (blur σ 2.5 px).
    hopper.save(HERE / "look04_real.jpg", quality=95)
    Image.fromarray(cases.smooth("hopper", cases.lighten("hopper", g, 6), 2.5)).save(
        HERE / "look04_twin.jpg", quality=92)
    # look05: the garment recoloured: hue rotated 35° on the clothing only.
    astronaut.save(HERE / "look05_real.jpg", quality=95)
    Image.fromarray(cases.recolour("astronaut", a, 35)).save(HERE / "look05_twin.jpg", quality=92)
    # look06: a slimmer figure: torso narrowed 8% from the armpits down.
    hopper.save(HERE / "look06_real.jpg", quality=95)
    Image.fromarray(cases.slim("hopper", g, 8)).save(HERE / "look06_twin.jpg", quality=92)


if __name__ == "__main__":
    main()
