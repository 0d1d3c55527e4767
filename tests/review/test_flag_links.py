"""Annotations link to a flag by its measurement (``flag.metric``): migration 0004 fills the link
of annotations made the old way (category, region) from the pair's stored analysis where exactly
one measurement matches, and leaves the rest unlinked with their old words."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.review.conftest import FAIL_RESULT, RESULTS
from twinproof import review
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.flag_links import annotations_on, linked_metric
from twinproof.review.migrate import upgrade
from twinproof.review.models import JsonType, UTCDateTime

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_an_old_link_names_a_measurement_only_when_one_matches():
    flags = FAIL_RESULT.to_json()["flags"]  # look03: eyes, lips, nose, brows, irises (all face_shape)
    assert linked_metric(flags, "face_shape", "lips") == "face.changes.lips.percent"
    assert linked_metric(flags, "face_shape", None) is None  # every face-shape flag: which one?
    assert linked_metric(flags, "skin_tone", "face") is None  # no such flag
    assert linked_metric([], "face_shape", "lips") is None


def _old_record(engine: sa.Engine) -> dict[str, int]:
    """A 0003 record: three pairs, two stored analyses (schema 1 and 2), five old links."""
    import json

    pairs = sa.table("pairs", *(sa.column(c) for c in (
        "id", "shoot_id", "name", "real_path", "real_sha256", "twin_path", "twin_sha256", "version")),
        sa.column("created_at", UTCDateTime))
    analyses = sa.table("analyses", sa.column("pair_id"), sa.column("result", JsonType), sa.column("verdict"),
                        sa.column("model_versions", JsonType), sa.column("real_sha256"),
                        sa.column("twin_sha256"), sa.column("created_at", UTCDateTime))
    notes = sa.table("annotations", *(sa.column(c) for c in (
        "pair_id", "kind", "image_width", "image_height", "colour", "text", "flag_category", "flag_region",
        "author", "updated_by", "version")), sa.column("geometry", JsonType),
        sa.column("created_at", UTCDateTime), sa.column("updated_at", UTCDateTime))
    ids = {"look01": 1, "look02": 2, "look03": 3}
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO shoots (id, name, created_at) VALUES (1, 'ss27', CURRENT_TIMESTAMP)"))
        for name, pid in ids.items():
            conn.execute(pairs.insert().values(id=pid, shoot_id=1, name=name, real_path=f"{name}_r.jpg",
                                               real_sha256="0" * 64, twin_path=f"{name}_t.jpg",
                                               twin_sha256="1" * 64, version=1, created_at=NOW))
        for name, stored in (("look02", "v1_look02"), ("look03", "v2_look03")):
            result = json.loads((RESULTS / f"{stored}.json").read_text())
            conn.execute(analyses.insert().values(pair_id=ids[name], result=result, verdict="fail",
                                                  model_versions={}, real_sha256="0" * 64,
                                                  twin_sha256="1" * 64, created_at=NOW))
        for name, category, region, text in (
                ("look03", "face_shape", "eyes", "eyes"), ("look03", "face_shape", None, "the face"),
                ("look02", "colour", "white balance", "warm"), ("look02", "skin_tone", "face", "skin"),
                ("look01", "face_shape", "lips", "never analysed")):
            conn.execute(notes.insert().values(
                pair_id=ids[name], kind="pin", geometry={"x": 5, "y": 5}, image_width=100, image_height=100,
                colour="#ff3b30", text=text, flag_category=category, flag_region=region, author="alice",
                updated_by="alice", version=1, created_at=NOW, updated_at=NOW))
    return ids


def test_0004_links_old_annotations_to_the_one_measurement_they_meant(db_url):
    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine, "0003")
        ids = _old_record(engine)
        upgrade(engine)
        store = review.ReviewStore(engine, "alice")
        links = {a.text: (a.flag_metric, a.old_flag_link)
                 for pid in ids.values() for a in review.list_annotations(store, pid)}
        assert links == {
            "eyes": ("face.changes.eyes.percent", None),
            "the face": (None, "face_shape/-"),  # five face-shape flags: not guessed
            "warm": ("colour.cast.magnitude", None),  # a schema-1 result, upgraded to read its metric
            "skin": (None, "skin_tone/face"),  # the analysis has no such flag
            "never analysed": (None, "face_shape/lips"),
        }
        # relinking by measurement replaces the old words
        (face,) = [a for a in review.list_annotations(store, ids["look03"]) if a.text == "the face"]
        review.update_annotation(store, face.id, expected_version=face.version, flag="face.changes.lips.percent")
        notes = review.list_annotations(store, ids["look03"])
        assert [a.text for a in annotations_on("face.changes.lips.percent", notes)] == ["the face"]
        assert [a.old_flag_link for a in notes] == [None, None]
    finally:
        engine.dispose()
