"""Property tests: geometry edits are exact inverses; naming conventions always pair."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.review.conftest import write_files
from twinproof.review.geometry import bounds, fit, translate, validate_geometry
from twinproof.review.pairing import pair_folders, pair_single_folder

coord = st.floats(-1e4, 1e4, allow_nan=False).map(lambda v: round(v, 2))
size = st.floats(1, 1e4, allow_nan=False).map(lambda v: round(v, 2))
shapes = st.one_of(
    st.tuples(st.sampled_from(["rectangle", "ellipse"]),
              st.fixed_dictionaries({"x": coord, "y": coord, "w": size, "h": size})),
    st.tuples(st.just("arrow"),
              st.fixed_dictionaries({"x1": coord, "y1": coord, "x2": coord, "y2": coord})),
    st.tuples(st.just("pin"), st.fixed_dictionaries({"x": coord, "y": coord})),
)


def close(a, b):
    return all(abs(a[k] - b[k]) < 1e-6 * (1 + abs(a[k])) for k in a)


@given(shapes, coord, coord)
def test_move_then_move_back_is_identity(shape, dx, dy):
    kind, geometry = shape
    g = validate_geometry(kind, geometry)
    assert close(translate(kind, translate(kind, g, dx, dy), -dx, -dy), g)


@given(shapes)
def test_fit_to_own_bounds_is_identity(shape):
    kind, geometry = shape
    g = validate_geometry(kind, geometry)
    assert close(fit(kind, g, bounds(kind, g)), g)


names = st.lists(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True), min_size=1,
                 max_size=6, unique=True).filter(
    lambda ns: not any(re.search(r"(real|orig|photo|shoot|twin|ai|gen)$", n) for n in ns))
conventions = st.sampled_from([("_real", "_twin"), ("-real", "-twin"), ("", ".ai"),
                               ("_orig", "_gen"), (" real", " twin")])


@settings(max_examples=40, deadline=None)
@given(names, conventions, st.sampled_from([".jpg", ".tif", ".webp"]))
def test_any_convention_pairs_every_look(looks, convention, ext):
    real_suffix, twin_suffix = convention
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for look in looks:
            write_files(folder, f"{look}{real_suffix}{ext}", f"{look}{twin_suffix}.png")
        result = pair_single_folder(folder)
        assert sorted(p.name for p in result.pairs) == sorted(looks)
        assert result.unmatched == []
        write_files(folder / "r", *(f"{n}.jpg" for n in looks))
        write_files(folder / "t", *(f"{n}{twin_suffix}.png" for n in looks))
        assert sorted(p.name for p in pair_folders(folder / "r", folder / "t").pairs) == sorted(
            looks)


def test_review_and_its_cli_never_load_qt():
    code = ("import sys, twinproof.review, twinproof.cli.shoot, twinproof.cli.decide, "
            "twinproof.cli.talent; sys.exit('PySide6' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
