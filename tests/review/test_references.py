"""Talent reference portraits (descriptors, never pixels), signed releases on consents, and
resolved marks: stored, audited, refused when they make no sense."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from twinproof import review


def test_references_are_kept_listed_and_removed_on_record(store, pairs, tmp_path):
    review.add_talent(store, "Eileen Collins")
    portrait = tmp_path / "eileen.jpg"
    portrait.write_bytes(b"portrait bytes")
    digest = hashlib.sha256(b"portrait bytes").hexdigest()
    ref = review.add_reference(store, "Eileen Collins", portrait, digest, [0.1] * 128, "resnet-v1 abc",
                               {"face_px": 210})
    assert (ref.sha256, ref.model, len(ref.descriptor), ref.quality) == (digest, "resnet-v1 abc", 128,
                                                                         {"face_px": 210})
    with pytest.raises(review.ReviewError, match="already a reference"):
        review.add_reference(store, "Eileen Collins", portrait, digest, [0.1] * 128, "resnet-v1 abc")
    assert [r.id for r in review.list_references(store, "Eileen Collins")] == [ref.id]
    assert review.list_references(store, "Eileen Collins", model="other") == []
    review.remove_reference(store, ref.id)
    assert review.list_references(store, "Eileen Collins") == []
    assert review.list_references(store, "Eileen Collins", include_removed=True)[0].removed
    events = [r for r in review.audit_rows(store) if r.event == "reference"]
    assert [e.summary for e in events] == ["reference portrait eileen.jpg added for Eileen Collins",
                                           "reference portrait eileen.jpg removed from Eileen Collins"]


@pytest.mark.parametrize("descriptor", [[], [float("nan")] * 128, [float("inf")]])
def test_a_reference_needs_a_finite_descriptor(store, descriptor):
    review.add_talent(store, "A")
    with pytest.raises(review.ReviewError, match="finite"):
        review.add_reference(store, "A", "a.jpg", "0" * 64, descriptor, "m")


def test_consent_keeps_the_release_path_and_hash(store, tmp_path):
    review.add_talent(store, "Grace Hopper")
    release = tmp_path / "release.pdf"
    release.write_bytes(b"%PDF signed")
    before = release.stat().st_mtime_ns
    c = review.add_consent(store, "Grace Hopper", contract_ref="C-1", starts_on=date(2026, 1, 1),
                           expires_on=date(2027, 1, 1), release=release)
    assert c.release_sha256 == hashlib.sha256(b"%PDF signed").hexdigest()
    assert c.release_path == str(release.resolve())
    assert release.read_bytes() == b"%PDF signed" and release.stat().st_mtime_ns == before
    event = [r for r in review.audit_rows(store) if r.event == "consent"][-1]
    assert event.detail["release_sha256"] == c.release_sha256
    with pytest.raises(review.ReviewError, match="not found"):
        review.add_consent(store, "Grace Hopper", contract_ref="C-2", starts_on=date(2026, 1, 1),
                           expires_on=date(2027, 1, 1), release=tmp_path / "missing.pdf")


def test_marks_resolve_and_reopen_audited(store, pairs):
    mark = review.add_annotation(store, pairs["look01"].id, "pin", {"x": 5, "y": 6}, image_size=(100, 100))
    done = review.set_resolved(store, mark.id, True)
    assert done.resolved and done.resolved_by == "alice"
    with pytest.raises(review.ConflictError, match="already resolved"):
        review.set_resolved(store, mark.id, True)
    assert not review.set_resolved(store, mark.id, False).resolved
    actions = [r.detail.get("action") for r in review.audit_rows(store) if r.event == "annotation"]
    assert actions[-2:] == ["resolved", "reopened"]
