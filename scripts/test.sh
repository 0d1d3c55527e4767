#!/usr/bin/env bash
# Set up and run the whole test suite, as CI does: lint, the Qt-free contract, and pytest on
# SQLite and on a real local PostgreSQL server. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
if [ -z "${TWINPROOF_TEST_PG_URL:-}" ]; then
    pg_env=$(scripts/start_postgres.sh)   # a failure stops here (set -e)
    eval "$pg_env"
fi
# The PostgreSQL half of the review tests must run, never skip quietly.
export TWINPROOF_REQUIRE_PG=1
.venv/bin/ruff check desktop tests benchmarks
.venv/bin/lint-imports
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
