"""Fixtures for the review record: every store test runs on a real SQLite file and, when
TWINPROOF_TEST_PG_URL is set (scripts/start_postgres.sh prints it), on a real PostgreSQL
server too, each test in a fresh schema of its own (dropped afterwards)."""

from __future__ import annotations

import json
import os
import uuid
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_schema
from twinproof import review

PG_URL = os.environ.get("TWINPROOF_TEST_PG_URL")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=[
        pytest.mark.postgres,
        pytest.mark.skipif(not PG_URL, reason="TWINPROOF_TEST_PG_URL not set "
                                              "(run scripts/start_postgres.sh)"),
    ]),
]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL (or file path) to an empty database; the backend is the test's parameter."""
    if request.param == "sqlite":
        yield str(tmp_path / "shoot.twinproof")
        return
    with fresh_pg_schema(PG_URL) as url:
        yield url


@pytest.fixture
def store(db_url):
    s = review.open_store(db_url, reviewer="alice")
    yield s
    s.close()


@pytest.fixture
def other_store(db_url, store):
    """A second reviewer on the same database (opened after ``store`` migrated it)."""
    s = review.open_store(db_url, reviewer="bob")
    yield s
    s.close()


def write_files(folder: Path, *names: str) -> list[Path]:
    """Small files with distinct content (the review layer hashes, it never decodes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_bytes(f"{name} {uuid.uuid4()}".encode())
        paths.append(path)
    return paths


@pytest.fixture
def shoot_dirs(tmp_path):
    real, twin = tmp_path / "ss27" / "real", tmp_path / "ss27" / "twin"
    write_files(real, "look01.jpg", "look02.jpg", "look03.tif")
    write_files(twin, "look01.png", "look02.png", "look04.png")
    return real, twin


@pytest.fixture
def pairs(store, shoot_dirs):
    """look01 and look02 imported into shoot 'ss27' for campaign SS27."""
    result = review.import_shoot(store, *shoot_dirs, campaign="SS27")
    return {p.name: p for p in result.added}


@pytest.fixture
def consented(store, pairs):
    """Talent Ana Silva with a consent for SS27 through 2026, linked to both pairs."""
    review.add_talent(store, "Ana Silva", agency="Elite")
    review.add_consent(store, "Ana Silva", contract_ref="C-2026-01", starts_on=date(2026, 1, 1),
                       expires_on=date(2026, 12, 31), campaigns=["SS27"], no_release_reason="paper original")
    review.link_talent(store, [p.id for p in pairs.values()], "Ana Silva")
    return {name: review.get_pair(store, p.id) for name, p in pairs.items()}


RESULTS = Path(__file__).resolve().parents[1] / "data" / "results"


def stored_result(name: str) -> review.RecordedAnalysis:
    """A real analysis stored in tests/data/results (made by ``twinproof analyze`` on the sample
    shoot, ``resources/sample``), read as the record reads it."""
    return review.RecordedAnalysis.from_json(json.loads((RESULTS / f"{name}.json").read_text()))


#: look03 of the sample shoot (lips 8 % fuller, eyes enlarged 12 %): fail, five face-shape flags.
FAIL_RESULT = stored_result("v2_look03")
#: look01 (the same photograph rotated 0.5° and reframed): pass, no flags.
PASS_RESULT = stored_result("v2_look01")
ON = date(2026, 6, 1)
