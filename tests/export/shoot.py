"""A real review record for export tests: real photographs, real analyses, real decisions.

Images: NASA's portrait of Eileen Collins (``skimage.data.astronaut()``) and the U.S. Navy
portrait of Grace Hopper (tests/data/grace_hopper.jpg), both public domain. The twins are
the same photographs turned, shifted, rescaled and colour-shifted as a generator delivers
them, so the registration, maps and flags on the sheets are genuine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from skimage import data

from twinproof import review
from twinproof.core.analysis import analyze_pair

DATA = Path(__file__).resolve().parent.parent / "data"
HOSTILE = "<b>not bold</b> & {{ template }} %s <script>alert(1)</script> \\n ${x}"
HUGE = "Sleeve-hem-" * 900 + " end of a very long comment."


def hopper() -> np.ndarray:
    return np.asarray(Image.open(DATA / "grace_hopper.jpg").convert("RGB"))


def twin_of(img: np.ndarray, angle: float, shift: tuple[float, float], scale: float,
            gains: tuple[float, float, float], out_size: tuple[int, int]) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[:, 2] += shift
    m[0] *= out_size[0] / w
    m[1] *= out_size[1] / h
    out = cv2.warpAffine(img, m, out_size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT)
    return np.clip(out.astype(np.float32) * np.float32(gains), 0, 255).astype(np.uint8)


_ANALYSES: dict[tuple[str, str], dict] = {}


def _analysis(pair: review.PairRecord) -> review.RecordedAnalysis:
    """The real core analysis, computed once per distinct file content in a test session
    (every shoot the tests build holds the same deterministic images)."""
    key = (pair.real_sha256, pair.twin_sha256)
    if key not in _ANALYSES:
        _ANALYSES[key] = review.RecordedAnalysis(analyze_pair(pair.real_path, pair.twin_path).result)
    return _ANALYSES[key]


@dataclass
class Shoot:
    db: Path
    folder: Path
    ids: dict[str, int]


def write_images(folder: Path) -> tuple[Path, Path]:
    real, twin = folder / "real", folder / "twin"
    real.mkdir(parents=True)
    twin.mkdir(parents=True)
    astro, grace = data.astronaut(), hopper()
    Image.fromarray(astro).save(real / "look01.jpg", quality=92)
    Image.fromarray(twin_of(astro, 1.5, (8, -5), 1.04, (1.0, 1.0, 1.0), (640, 640))).save(
        twin / "look01.jpg", quality=90)
    Image.fromarray(grace).save(real / "look02.jpg", quality=92)
    Image.fromarray(twin_of(grace, -1.0, (-6, 4), 1.0, (1.18, 1.0, 0.8), (512, 600))).save(
        twin / "look02.jpg", quality=90)
    wild = cv2.GaussianBlur(astro, (0, 0), 4)
    Image.fromarray(twin_of(wild, 3.0, (20, 10), 1.1, (0.8, 0.95, 1.2), (512, 512))).save(
        twin / "look03.jpg", quality=85)
    Image.fromarray(astro[:, ::-1].copy()).save(real / "look03.jpg", quality=92)
    return real, twin


def build_shoot(folder: Path, before_import: Callable[[Path, Path], None] | None = None) -> Shoot:
    """Three pairs: look01 approved, look02 rejected with marks and comments, look03 open.
    ``before_import(real_dir, twin_dir)`` may change the files first (e.g. sign a twin)."""
    real, twin = write_images(folder)
    if before_import is not None:
        before_import(real, twin)
    db = folder / "ss27.twinproof"
    store = review.open_store(db, reviewer="alice")
    try:
        result = review.import_shoot(store, real, twin, name="SS27 studio", campaign="SS27")
        ids = {p.name: p.id for p in result.added}
        review.add_talent(store, "Ana Silva", agency="Elite")
        today = date.today()
        review.add_consent(store, "Ana Silva", contract_ref="C-2026-01",
                           starts_on=today - timedelta(days=30), expires_on=today + timedelta(days=300),
                           campaigns=["SS27"], no_release_reason="paper original")
        review.link_talent(store, [ids["look01"], ids["look02"]], "Ana Silva")
        for pid in ids.values():  # analysed once she is linked (else the analysis is stale for her)
            pair = review.get_pair(store, pid)
            review.store_analysis(store, pid, _analysis(pair))
        a1 = review.add_annotation(store, ids["look02"], "rectangle",
                                   {"x": 180, "y": 120, "w": 160, "h": 140}, image_size=(512, 600),
                                   text="Lips reshaped " + HOSTILE, flag="face.changes.lips.percent")
        review.add_annotation(store, ids["look02"], "ellipse", {"x": 60, "y": 380, "w": 150, "h": 120},
                              image_size=(512, 600), colour="#0a84ff", text="Jacket colour")
        review.add_annotation(store, ids["look02"], "arrow", {"x1": 420, "y1": 60, "x2": 330, "y2": 150},
                              image_size=(512, 600), colour="#ffcc00", text=HUGE)
        review.add_annotation(store, ids["look02"], "freehand",
                              {"points": [[300, 420], [340, 440], [380, 430], [420, 470]]},
                              image_size=(512, 600), colour="#34c759", text="")
        review.add_annotation(store, ids["look01"], "pin", {"x": 260, "y": 180}, image_size=(512, 512),
                              text="Earring kept")
        review.add_comment(store, ids["look02"], "Colour cast is warm " + HOSTILE, a1.id)
        review.add_comment(store, ids["look02"], HUGE)
        review.decide(store, ids["look01"], "approved", comment="faithful twin")
        review.decide(store, ids["look02"], "rejected", reasons=["skin_tone_shifted", "other"],
                      reason_text="garment hem redrawn")
    finally:
        store.close()
    return Shoot(db, folder, ids)
