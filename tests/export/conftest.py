"""Fixtures: one real review record (SQLite, real images, real analyses) shared by the suite."""

from __future__ import annotations

import pytest

from tests.export.shoot import Shoot, build_shoot
from twinproof import review
from twinproof.export.records import collect, select_pairs


@pytest.fixture(scope="session")
def shoot(tmp_path_factory) -> Shoot:
    return build_shoot(tmp_path_factory.mktemp("shoot"))


@pytest.fixture
def store(shoot):
    s = review.open_store(shoot.db, reviewer="exporter")
    yield s
    s.close()


@pytest.fixture
def items(store):
    return {item.pair.name: item for item in collect(store, select_pairs(store))}
