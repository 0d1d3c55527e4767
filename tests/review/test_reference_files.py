"""A talent's reference portraits handed to the analysis as her own range (issue 23): only
those still on disk with the content they were enrolled with; a removed, moved or edited
portrait is left out rather than measured as hers."""

from __future__ import annotations

from tests.review.conftest import write_files
from twinproof import review


def test_only_unchanged_active_portraits_are_handed_on(store, tmp_path):
    a, b, c, d = write_files(tmp_path / "refs", "a.jpg", "b.jpg", "c.jpg", "d.jpg")
    talent = review.add_talent(store, "Ana Silva")
    refs = [review.add_reference(store, "Ana Silva", p, review.hash_file(p), [0.1 * i] * 128, "m@1")
            for i, p in enumerate((a, b, c, d), start=1)]
    assert review.reference_files(store, talent.id) == [str(a), str(b), str(c), str(d)]
    b.write_bytes(b"edited since enrolment")
    c.unlink()
    review.remove_reference(store, refs[3].id)
    assert review.reference_files(store, talent.id) == [str(a)]
    assert review.reference_files(store, None) == []
