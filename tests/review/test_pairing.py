"""File-name pairing conventions (pure functions, real files in tmp_path)."""

from __future__ import annotations

from tests.review.conftest import write_files
from twinproof.review.pairing import pair_folders, pair_single_folder, split_marker


def names(result):
    return [(p.name, p.real.name, p.twin.name) for p in result.pairs]


def test_two_folders_by_stem_with_any_extension_case_and_natural_order(tmp_path):
    write_files(tmp_path / "real", "Look10.JPG", "look2.jpeg", "look1.tiff", "notes.txt",
                ".hidden.jpg")
    write_files(tmp_path / "twin", "look10.webp", "look2.png", "look1.tif")
    result = pair_folders(tmp_path / "real", tmp_path / "twin")
    assert names(result) == [("look1", "look1.tiff", "look1.tif"),
                             ("look2", "look2.jpeg", "look2.png"),
                             ("Look10", "Look10.JPG", "look10.webp")]
    assert result.unmatched == []


def test_two_folders_ignore_markers_and_report_unmatched_and_ambiguous(tmp_path):
    write_files(tmp_path / "r", "look01_real.jpg", "look02.jpg", "look02.png", "solo.jpg")
    write_files(tmp_path / "t", "look01_twin.png", "look02-twin.png", "extra.png")
    result = pair_folders(tmp_path / "r", tmp_path / "t")
    assert names(result) == [("look01", "look01_real.jpg", "look01_twin.png")]
    unmatched = {(u.path.name, u.side) for u in result.unmatched}
    assert unmatched == {("look02.jpg", "real"), ("look02.png", "real"),
                         ("look02-twin.png", "twin"), ("solo.jpg", "real"),
                         ("extra.png", "twin")}
    reasons = {u.path.name: u.reason for u in result.unmatched}
    assert "share the name" in reasons["look02.jpg"]
    assert "other side" in reasons["solo.jpg"]


def test_one_folder_conventions(tmp_path):
    write_files(tmp_path, "look01_real.jpg", "look01_twin.png", "look02.jpg", "look02.ai.png",
                "look03-real.tif", "look03-twin.webp", "LOOK04 Real.jpg", "look04 twin.png",
                "look05.jpg", "look06_twin.png", "look07.jpg", "look07_real.jpg",
                "look07_twin.png")
    result = pair_single_folder(tmp_path)
    assert names(result) == [
        ("look01", "look01_real.jpg", "look01_twin.png"),
        ("look02", "look02.jpg", "look02.ai.png"),
        ("look03", "look03-real.tif", "look03-twin.webp"),
        ("LOOK04", "LOOK04 Real.jpg", "look04 twin.png"),
    ]
    unmatched = {u.path.name: u for u in result.unmatched}
    assert set(unmatched) == {"look05.jpg", "look06_twin.png", "look07.jpg", "look07_real.jpg",
                              "look07_twin.png"}
    assert "no twin" in unmatched["look05.jpg"].reason
    assert "no real" in unmatched["look06_twin.png"].reason
    assert "several" in unmatched["look07.jpg"].reason
    assert unmatched["look07.jpg"].side == "unknown"


def test_same_folder_twice_uses_single_folder_rules(tmp_path):
    write_files(tmp_path, "a_real.jpg", "a_twin.png")
    assert names(pair_folders(tmp_path, tmp_path)) == [("a", "a_real.jpg", "a_twin.png")]


def test_split_marker():
    assert split_marker("look01_twin") == ("look01", "twin")
    assert split_marker("look01.AI") == ("look01", "twin")
    assert split_marker("look01-orig") == ("look01", "real")
    assert split_marker("portrait") == ("portrait", None)
    assert split_marker("aid") == ("aid", None)


def test_one_real_frame_with_several_twins_in_one_folder(tmp_path):
    """A studio reviews every variant the generator made of one real frame: each twin is a
    pair of its own with the same real photograph, named apart."""
    write_files(tmp_path, "look01.jpg", "look01_twin.jpg", "look01_twin2.jpg", "look01_twin-b.jpg",
                "look01 twin 03.png", "look02_real.jpg", "look02.ai.png", "look02.ai-2.png")
    result = pair_single_folder(tmp_path)
    assert names(result) == [  # in shoot order: the look's own twin first, then its variants
        ("look01", "look01.jpg", "look01_twin.jpg"),
        ("look01 twin 03", "look01.jpg", "look01 twin 03.png"),
        ("look01_twin2", "look01.jpg", "look01_twin2.jpg"),
        ("look01_twin-b", "look01.jpg", "look01_twin-b.jpg"),
        ("look02", "look02_real.jpg", "look02.ai.png"),
        ("look02.ai-2", "look02_real.jpg", "look02.ai-2.png"),
    ]
    assert result.unmatched == []


def test_several_twins_in_a_twin_folder(tmp_path):
    write_files(tmp_path / "real", "look01.jpg", "look02.jpg")
    write_files(tmp_path / "twin", "look01.png", "look01_twin2.png", "look01-twin-c.webp",
                "look02_twin2.png")
    result = pair_folders(tmp_path / "real", tmp_path / "twin")
    assert sorted(names(result)) == [("look01", "look01.jpg", "look01.png"),
                                     ("look01-twin-c", "look01.jpg", "look01-twin-c.webp"),
                                     ("look01_twin2", "look01.jpg", "look01_twin2.png"),
                                     ("look02_twin2", "look02.jpg", "look02_twin2.png")]
    assert result.unmatched == []


def test_twins_that_cannot_be_told_apart_stay_unmatched(tmp_path):
    """Two unnumbered twins of one look (which one is 'the' twin?), two variants that differ
    only by extension, a letter glued to a marker (``first_aid`` is no twin of ``first``)
    and a real 'variant' are not guessed."""
    write_files(tmp_path, "look01.jpg", "look01_twin.png", "look01.ai.png",
                "look02.jpg", "look02_twin2.png", "look02_twin2.webp",
                "first.jpg", "first_aid.jpg", "look03_real2.jpg", "look03_twin.png")
    result = pair_single_folder(tmp_path)
    assert names(result) == []
    reasons = {u.path.name: u.reason for u in result.unmatched}
    assert "no number" in reasons["look01.jpg"] and "look01_twin2" in reasons["look01_twin.png"]
    assert "extension" in reasons["look02_twin2.png"] and "extension" in reasons["look02.jpg"]
    assert "no twin" in reasons["first.jpg"] and "no twin" in reasons["first_aid.jpg"]
    assert "no real" in reasons["look03_twin.png"]


def test_a_variant_name_taken_by_a_look_leaves_both_unmatched(tmp_path):
    write_files(tmp_path, "look01.jpg", "look01_twin.png", "look01_twin2.png",
                "look01_twin2_real.jpg", "look01_twin2_twin.png")
    result = pair_single_folder(tmp_path)
    assert names(result) == [("look01", "look01.jpg", "look01_twin.png")]
    reasons = {u.path.name: u.reason for u in result.unmatched}
    assert set(reasons) == {"look01_twin2.png", "look01_twin2_real.jpg", "look01_twin2_twin.png"}
    assert all("two pairs would be named" in r for r in reasons.values())


def test_split_variant():
    from twinproof.review.pairing import split_variant

    assert split_variant("look01_twin2") == ("look01", "twin", True)
    assert split_variant("look01_TWIN-b") == ("look01", "twin", True)
    assert split_variant("look01.ai") == ("look01", "twin", False)
    assert split_variant("look01_real2") == ("look01_real2", None, False)
    assert split_variant("first_aid") == ("first_aid", None, False)
    assert split_marker("look01_twin_12") == ("look01", "twin")
