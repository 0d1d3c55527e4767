"""The whole analysis on real photographs with known answers.

The calibration table here is the evidence behind resources/policy/default.toml: real
photographs re-encoded at JPEG q85-95 and reframed by a few percent must raise no flag.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest

from tests.core.photos import PHOTOS, jpeg_roundtrip, linear_gains, save, similarity, warp
from twinproof.core.analysis import analyze_pair
from twinproof.core.errors import AnalysisCancelled

REFRAMES = {
    "none": (1.0, 0.0, (0.0, 0.0)),
    "shift": (1.0, 0.0, (7.0, -5.0)),
    "zoom 3%": (1.03, 0.0, (0.0, 0.0)),
    "rotate 0.8°": (1.0, 0.8, (2.0, 3.0)),
    "crop+zoom -4%": (0.96, -0.5, (-6.0, 4.0)),
}


def _reframed(arr, reframe, quality):
    scale, rot, shift = REFRAMES[reframe]
    h, w = arr.shape[:2]
    out = warp(arr, similarity(scale, rot, shift, (w / 2, h / 2)), (w, h)) if reframe != "none" else arr
    return jpeg_roundtrip(out, quality)


def test_identical_pair(tmp_path):
    real = save(PHOTOS["hopper"](), tmp_path / "real.png")
    result = analyze_pair(real, real).to_dict()
    assert result["metrics"]["ssim"]["value"] == pytest.approx(1.0, abs=1e-6)
    assert result["metrics"]["ms_ssim"]["value"] == pytest.approx(1.0, abs=1e-6)
    assert result["metrics"]["colour"]["delta_e00_mean"] == pytest.approx(0.0, abs=1e-4)
    assert result["flags"] == [] and result["verdict"] == "pass"
    assert result["registration"]["scale"] == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("photo", sorted(PHOTOS))
@pytest.mark.parametrize("quality", [85, 90, 95])
@pytest.mark.parametrize("reframe", sorted(REFRAMES))
def test_reencoded_and_reframed_twins_raise_no_flag(tmp_path, photo, quality, reframe):
    arr = PHOTOS[photo]()
    real = save(arr, tmp_path / "real.png")
    twin = save(_reframed(arr, reframe, quality), tmp_path / "twin.png")
    result = analyze_pair(real, twin).to_dict()
    assert result["flags"] == [], result["flags"]
    if photo == "coffee":  # no person: the face, a required measurement, is missing
        assert result["verdict"] == "review" and result["missing_required"] == ["face", "identity"]
        assert result["metrics"]["face"]["value"] is None and "no face" in result["metrics"]["face"]["reason"]
    else:
        assert result["verdict"] == "pass"
        assert result["metrics"]["face"]["nme_percent"]["overall"] < 1.0
    # The transform is recovered: twin->real inverts what was applied.
    scale, rot, _ = REFRAMES[reframe]
    assert result["registration"]["scale"] == pytest.approx(1 / scale, rel=0.005)
    assert result["registration"]["rotation_deg"] == pytest.approx(-rot, abs=0.5)


@pytest.mark.parametrize("photo", ["astronaut", "hopper"])
def test_global_colour_cast_is_flagged_as_colour_only(tmp_path, photo):
    arr = PHOTOS[photo]()
    real = save(arr, tmp_path / "real.png")
    twin = save(jpeg_roundtrip(linear_gains(arr, (1.12, 1.0, 0.85)), 92), tmp_path / "twin.png")
    result = analyze_pair(real, twin).to_dict()
    categories = {f["category"] for f in result["flags"]}
    assert categories == {"colour"}
    cast = result["metrics"]["colour"]["cast"]
    assert cast["delta_b"] > 3  # warmer: yellow
    assert result["verdict"] in ("review", "fail")


def test_a_different_picture_fails_on_structure(tmp_path):
    real = save(PHOTOS["astronaut"](), tmp_path / "real.png")
    twin = save(PHOTOS["coffee"]()[:512, :512], tmp_path / "twin.png")
    result = analyze_pair(real, twin).to_dict()
    assert "structure" in {f["category"] for f in result["flags"]}
    assert result["verdict"] == "fail"


def test_progress_reported_and_cancel_honoured(tmp_path):
    real = save(PHOTOS["hopper"](), tmp_path / "real.png")
    seen = []
    analyze_pair(real, real, progress=lambda f, msg: seen.append((f, msg)))
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "done")
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))
    cancel = threading.Event()

    def stop_after_alignment(fraction, message):
        if message == "aligning":
            cancel.set()

    with pytest.raises(AnalysisCancelled):
        analyze_pair(real, real, progress=stop_after_alignment, cancel=cancel)


def test_maps_cover_the_working_frame_and_blank_outside_the_overlap(tmp_path):
    arr = PHOTOS["hopper"]()
    h, w = arr.shape[:2]
    real = save(arr, tmp_path / "real.png")
    twin = save(arr[40:, 30:], tmp_path / "twin.png")  # cropped twin
    result = analyze_pair(real, twin)
    ssim_map = result.maps["ssim"]
    assert ssim_map.shape == (h, w)
    assert np.isnan(ssim_map[:20, :20]).all()  # not covered by the twin
    assert np.nanmean(ssim_map) > 0.9
    assert result.to_dict()["metrics"]["alignment"]["overlap_fraction"] == pytest.approx(
        (h - 40) * (w - 30) / (h * w), abs=0.02)
