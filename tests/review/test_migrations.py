"""Opening a database: migrations from empty, models == migrations, connection settings."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from twinproof import review
from twinproof.review.db import make_engine, resolve_url
from twinproof.review.migrate import current_revision, head_revision, upgrade
from twinproof.review.models import Base

TABLES = {"shoots", "pairs", "analyses", "annotations", "comments", "decisions", "talents",
          "consents", "audit_events", "alembic_version"}


def test_upgrade_from_empty_creates_schema_matching_models(db_url):
    engine = make_engine(resolve_url(db_url))
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert [d for d in diffs if not _postgres_only(d)] == []
        upgrade(engine)  # a second open is a no-op
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _postgres_only(diff) -> bool:
    """``analyses.audit_parts`` (migration 0007) is a generated column PostgreSQL keeps for the
    shoot audit's reader; the models leave it unmapped (SQLite has none)."""
    return diff[0] == "remove_column" and diff[2] == "analyses" and diff[3].name == "audit_parts"


def test_downgrade_to_empty_and_back(db_url):
    from alembic import command

    from twinproof.review.migrate import alembic_config

    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine)
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_database_from_a_newer_twinproof_is_refused(store, db_url):
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(review.SchemaError, match="newer than this TwinProof"):
        review.open_store(db_url)


def test_sqlite_file_uses_wal_foreign_keys_and_full_sync(tmp_path):
    store = review.open_store(tmp_path / "a" / "shoot.db")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    finally:
        store.close()


def test_foreign_keys_are_enforced(store):
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), store.transaction() as session:
        session.execute(text(
            "INSERT INTO annotations (pair_id, kind, geometry, image_width, image_height, colour,"
            " text, author, created_at, updated_at, updated_by, version) VALUES (999, 'pin',"
            " '{}', 1, 1, '#000000', '', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'x', 1)"))


def test_resolve_url():
    assert resolve_url("postgresql+psycopg://u:p@h/db").get_backend_name() == "postgresql"
    url = resolve_url("relative/shoot.db")
    assert url.get_backend_name() == "sqlite" and url.database.endswith("relative/shoot.db")


def test_default_reviewer_is_the_os_user(monkeypatch):
    monkeypatch.setenv("LOGNAME", "jane")
    assert review.default_reviewer() == "jane"


def test_a_file_that_is_not_a_shoot_database_is_refused(tmp_path):
    not_db = tmp_path / "look01.jpg"
    not_db.write_bytes(b"\xff\xd8\xff\xe0 definitely a jpeg, not a database" * 50)
    with pytest.raises(review.SchemaError, match="not a TwinProof shoot database"):
        review.open_store(not_db)
    other = tmp_path / "other.db"
    engine = make_engine(resolve_url(other))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER)"))
    engine.dispose()
    with pytest.raises(review.SchemaError, match="already holds tables invoices"):
        review.open_store(other)


def test_0003_derives_the_state_a_0002_record_cached_even_a_forged_one(db_url):
    """A 0002 record where ``pairs.state`` was set by hand to 'approved' over a rejection (the
    issue's forgery) reads 'rejected' after the upgrade; the downgrade writes the derived state
    back into the column."""
    from alembic import command

    from twinproof.review.migrate import alembic_config

    engine = make_engine(resolve_url(db_url))
    try:
        upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO shoots (name, created_at) VALUES ('ss27', CURRENT_TIMESTAMP)"))
            for name, state in (("look01", "approved"), ("look02", "unreviewed")):
                conn.execute(text(
                    "INSERT INTO pairs (shoot_id, name, real_path, real_sha256, twin_path, twin_sha256, state,"
                    " created_at, version) VALUES (1, :n, :r, :h, :t, :h, :s, CURRENT_TIMESTAMP, 2)"),
                    {"n": name, "r": f"{name}.jpg", "t": f"{name}.png", "h": "0" * 64, "s": state})
            conn.execute(text(
                "INSERT INTO decisions (pair_id, state, reasons, reviewer, created_at) VALUES "
                "(1, 'rejected', '[\"artefact\"]', 'alice', CURRENT_TIMESTAMP)"))
        upgrade(engine)
        store = review.ReviewStore(engine, "alice")
        assert {p.name: p.state for p in review.list_pairs(store)} == {"look01": "rejected",
                                                                       "look02": "unreviewed"}
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
        with engine.connect() as conn:
            assert dict(conn.execute(text("SELECT name, state FROM pairs")).all()) == {
                "look01": "rejected", "look02": "unreviewed"}
    finally:
        engine.dispose()
