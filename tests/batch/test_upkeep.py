"""After a batch on PostgreSQL the tables it wrote are VACUUM ANALYZEd (their pages all visible,
their rows counted), so the first audits do not pay for it; a reviewer role, which may not, is
told so and the batch's results stand; SQLite is left alone. On a real server (the schema's
owner and a reviewer role) and a real SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.review.conftest import PASS_RESULT
from tests.review.test_roles import REVIEWER_URL, team_schema
from twinproof import review
from twinproof.batch.progress import summary_lines
from twinproof.batch.runner import Summary
from twinproof.batch.upkeep import TABLES, after_batch


def _fill(store: review.ReviewStore, folder) -> None:
    from tests.review.conftest import write_files

    write_files(folder / "real", *(f"look{i:02d}.jpg" for i in range(20)))
    write_files(folder / "twin", *(f"look{i:02d}.png" for i in range(20)))
    for pair in review.import_shoot(store, folder / "real", folder / "twin").added:
        review.store_analysis(store, pair.id, PASS_RESULT)


def _catalog(url: str) -> dict[str, tuple[float, int, int]]:
    """Each table's (reltuples, relpages, relallvisible) as the catalog holds them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: tuple(conn.execute(text("SELECT reltuples, relpages, relallvisible FROM pg_class "
                                               "WHERE oid = to_regclass(:t)"), {"t": t}).one()) for t in TABLES}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_owner_vacuums_and_analyses_what_a_batch_wrote_and_a_reviewer_is_told(tmp_path):
    if not REVIEWER_URL:
        pytest.skip("TWINPROOF_TEST_PG_REVIEWER_URL not set (scripts/start_postgres.sh)")
    with team_schema() as (owner_url, reviewer_url):
        reviewer = review.open_store(reviewer_url, reviewer="carol")
        try:
            _fill(reviewer, tmp_path)
            assert _catalog(owner_url)["analyses"][0] < 0  # never analysed: the planner knows nothing
            done = after_batch(reviewer)  # a reviewer may not: PostgreSQL would only warn and skip
            assert done.tables == [] and done.skipped == (
                "analyses, audit_events, pairs, talent_references left to autovacuum (only the database's owner "
                "may VACUUM them; the first audits may be slower until it runs)")
            assert _catalog(owner_url)["analyses"][0] < 0
        finally:
            reviewer.close()
        owner = review.open_store(owner_url, reviewer="owner")
        try:
            told: list[str] = []
            done = after_batch(owner, note=told.append)
        finally:
            owner.close()
        assert done.tables == list(TABLES) and done.skipped is None and len(told) == 1
        catalog = _catalog(owner_url)
        assert catalog["analyses"][0] == 20 and catalog["pairs"][0] == 20  # the rows counted
        assert all(visible == pages for _rows, pages, visible in catalog.values())  # every page all-visible
        summary = Summary(20, 0, upkeep=done)
        assert summary_lines(summary)[-1].startswith(
            "  database statistics updated (VACUUM ANALYZE analyses, audit_events, pairs, talent_references) in ")


def test_sqlite_is_left_alone(tmp_path):
    store = review.open_store(tmp_path / "s.twinproof")
    try:
        _fill(store, tmp_path)
        told: list[str] = []
        done = after_batch(store, note=told.append)
    finally:
        store.close()
    assert (done.tables, done.skipped, told, done.line()) == ([], None, [], None)
