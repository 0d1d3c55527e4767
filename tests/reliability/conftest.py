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
