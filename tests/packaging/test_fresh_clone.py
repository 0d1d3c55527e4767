"""``scripts/build.sh`` on a fresh clone builds a bundle that opens a team database.

Before, build.sh set up its environment without the ``postgres`` extra (only the release
workflow added it), so a local build opened SQLite shoots only and a PostgreSQL URL failed.
Here: ``git clone`` of this tree's HEAD, ``scripts/build.sh --no-deb --no-tar`` with nothing
prepared (it makes its own .venv from PyPI, as on a new machine), then the frozen
``twinproof`` migrates a fresh schema as the owner, imports the sample shoot and lists it as a
reviewer role. Downloads and builds for many minutes: only with ``TWINPROOF_TEST_FROZEN=1``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_schema

REPO = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("TWINPROOF_TEST_PG_URL")
REVIEWER_URL = os.environ.get("TWINPROOF_TEST_PG_REVIEWER_URL")
#: Captured at import, before the suite points HOME at a scratch folder: a pip cache speeds
#: the clone's downloads up without changing what is installed.
PIP_CACHE = Path.home() / ".cache" / "pip"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(os.environ.get("TWINPROOF_TEST_FROZEN") != "1",
                       reason="clones, installs and builds (many minutes): set TWINPROOF_TEST_FROZEN=1"),
    pytest.mark.skipif(not (PG_URL and REVIEWER_URL), reason="scripts/start_postgres.sh not run"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="build.sh builds for Linux here"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to clone"),
]


@pytest.mark.timeout(3600)
def test_build_on_a_fresh_clone_opens_a_team_database(tmp_path):
    from tests.review.test_roles import in_schema

    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "PYTHONPATH", "VIRTUAL_ENV")}
    if PIP_CACHE.is_dir():
        env["PIP_CACHE_DIR"] = str(PIP_CACHE)
    build = subprocess.run(["bash", "scripts/build.sh", "--no-deb", "--no-tar"], cwd=clone, env=env,
                           capture_output=True, text=True, timeout=3300)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "psycopg not installed" not in build.stdout + build.stderr
    exe = clone / "dist" / "twinproof" / "twinproof"
    sample = clone / "dist" / "twinproof" / "_internal" / "resources" / "sample"
    run_env = {k: v for k, v in env.items() if k != "PIP_CACHE_DIR"}
    assert PG_URL and REVIEWER_URL

    def frozen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=600,
                              env=run_env, cwd=tmp_path)

    with fresh_pg_schema(PG_URL) as owner_url:
        reviewer_url = in_schema(REVIEWER_URL, owner_url)
        done = frozen("db", "upgrade", "--db", owner_url, "--reviewers")
        assert done.returncode == 0, done.stderr
        done = frozen("shoot", "import", str(sample), "--db", reviewer_url, "--reviewer", "ana")
        assert done.returncode == 0, done.stderr
        listed = frozen("shoot", "list", "--json", "--db", reviewer_url)
        assert listed.returncode == 0, listed.stderr
        pairs = json.loads(listed.stdout)
        assert len(pairs) >= 6 and {p["decision"] for p in pairs} == {"unreviewed"}
