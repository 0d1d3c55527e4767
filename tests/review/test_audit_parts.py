"""PostgreSQL keeps the shoot audit's parts of each stored result beside it (``analyses.
audit_parts``, a generated column, migration 0007): computed for the results stored before the
migration (its backfill) and for every result stored after, by any writer; the audit reads the
same facts from it as from the results themselves."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import insert, select, text

from tests.conftest import DATA, fresh_pg_schema
from tests.review.conftest import PG_URL
from twinproof import review
from twinproof.review import models as m
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.drift_source import PARTS, read_shoot
from twinproof.review.migrate import upgrade

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not PG_URL, reason="TWINPROOF_TEST_PG_URL not set (run scripts/start_postgres.sh)")]
NAMES = ("v1_look02", "v1_look03", "v1_look05", "v2_look01", "v2_look03", "v2_look04")


def _result(name: str) -> dict:
    return json.loads((DATA / "results" / f"{name}.json").read_text())


def test_results_stored_before_and_after_the_migration_have_their_audit_parts(tmp_path):
    with fresh_pg_schema(PG_URL) as url:
        engine = make_engine(resolve_url(url))
        try:
            upgrade(engine, "0006")  # a team database before 0007, with three stored results
            with engine.begin() as conn:
                shoot = conn.execute(insert(m.Shoot.__table__).values(name="SS27").returning(m.Shoot.id)).scalar_one()
                for i, name in enumerate(NAMES[:3]):
                    pair = conn.execute(insert(m.Pair.__table__).values(
                        shoot_id=shoot, name=f"look{i:02d}", real_path=f"/r/{i}.jpg", real_sha256="0" * 64,
                        twin_path=f"/t/{i}.jpg", twin_sha256="1" * 64, control=False, version=1)
                        .returning(m.Pair.id)).scalar_one()
                    conn.execute(insert(m.Analysis.__table__).values(
                        pair_id=pair, result=_result(name), real_sha256="0" * 64, twin_sha256="1" * 64,
                        model_versions={}))
            upgrade(engine)
        finally:
            engine.dispose()
        store = review.open_store(url, reviewer="alice")
        try:
            for i, name in enumerate(NAMES[3:], 3):  # stored after the migration, through the app
                real, twin = tmp_path / f"r{i}.jpg", tmp_path / f"t{i}.jpg"
                real.write_bytes(b"real %d" % i)
                twin.write_bytes(b"twin %d" % i)
                pair = review.make_pair(store, shoot, str(real), str(twin), f"look{i:02d}")
                review.store_analysis(store, pair.id, review.RecordedAnalysis.from_json(_result(name)))
            with store.transaction() as session:
                rows = session.execute(select(m.Analysis.result, text("analyses.audit_parts"))
                                       .order_by(m.Analysis.id)).all()
            assert len(rows) == 6
            for result, parts in rows:
                assert len(parts) == len(PARTS)
                for path, part in zip(PARTS, parts, strict=True):
                    node = result
                    for key in path:
                        node = node.get(key) if isinstance(node, dict) else None
                    assert part == node, path
            compact, full = read_shoot(store, "SS27"), read_shoot(store, "SS27", compact=False)
            assert len(compact.facts) == 6 and compact.facts == full.facts
        finally:
            store.close()
