"""Fixtures for the reliability suite: the bad-file corpus, a small real pair, subprocess runs."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_corpus_module():
    """``scripts/make_bad_corpus.py`` (not a package: loaded from its path)."""
    spec = importlib.util.spec_from_file_location("make_bad_corpus", ROOT / "scripts" / "make_bad_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_bad_corpus", module)
    spec.loader.exec_module(module)
    return module


def load_mutants_module():
    """``scripts/corpus_mutants.py``: format mutants and the studio master."""
    load_corpus_module()  # it imports the corpus script's helpers by name
    spec = importlib.util.spec_from_file_location("corpus_mutants", ROOT / "scripts" / "corpus_mutants.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus_mutants", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def mutants_module():
    return load_mutants_module()


@pytest.fixture(scope="session")
def corpus_module():
    return load_corpus_module()


@pytest.fixture(scope="session")
def bad_dir(tmp_path_factory, corpus_module):
    """The corpus, generated once per run (see tests/data/bad/README.md for why not committed)."""
    out = tmp_path_factory.mktemp("bad")
    corpus_module.build(out)
    return out


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
            **kwargs) -> subprocess.CompletedProcess[str]:
    """``python -m twinproof ARGS`` as a real process (what a user's shell sees)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "twinproof", *args], capture_output=True,
                          text=True, timeout=timeout, env=full_env, **kwargs)


def one_line(stderr: str) -> str:
    """The single stderr line a refusal must print; fails on a traceback or several lines."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    return lines[0]


def small_image(path: Path, seed: int, size: int = 64) -> Path:
    """A small picture with structure (gradients, a random channel) for fast real analyses."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    base = np.add.outer(np.arange(size), np.arange(size)).astype(np.uint8)
    arr = np.stack([base, base[::-1], (rng.random((size, size)) * 255).astype(np.uint8)], axis=2)
    Image.fromarray(arr).save(path)
    return path


def make_shoot(root: Path, n: int = 3, *, analyse: bool = True, decide: bool = True):
    """real/ and twin/ folders with ``n`` pairs, imported (and analysed, first pair rejected)
    into ``root/shoot.twinproof``. Returns (db path, {name: id})."""
    from twinproof import review
    from twinproof.core.analysis import analyze_pair

    real, twin = root / "shoot" / "real", root / "shoot" / "twin"
    real.mkdir(parents=True)
    twin.mkdir()
    for i in range(1, n + 1):
        small_image(real / f"look{i:02d}.png", i)
        small_image(twin / f"look{i:02d}.png", i + 1000)
    db = root / "shoot.twinproof"
    store = review.open_store(db, reviewer="alice")
    try:
        result = review.import_shoot(store, real, twin, name="SS27")
        ids = {p.name: p.id for p in result.added}
        if analyse:
            for p in result.added:
                review.store_analysis(store, p.id, review.RecordedAnalysis(
                    analyze_pair(p.real_path, p.twin_path).result))
        if decide:
            review.decide(store, ids["look01"], "rejected", reasons=["artefact"], comment="kept")
    finally:
        store.close()
    return db, ids


def integrity(db: Path) -> str:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()
