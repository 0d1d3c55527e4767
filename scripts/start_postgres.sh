#!/usr/bin/env bash
# Start a local PostgreSQL server for the review tests (tests/review) and print the line
#   export TWINPROOF_TEST_PG_URL=postgresql+psycopg://twinproof:twinproof@127.0.0.1:5432/twinproof_test
# on stdout (everything else goes to stderr), so CI can do: eval "$(scripts/start_postgres.sh)".
#
# Idempotent: installs Debian's postgresql package only if missing, creates the cluster only if
# missing, starts it only if down, and creates or re-passwords the role and database. Runs as root
# (as CI does on a fresh Debian 12) or as a user with sudo. Settings: TWINPROOF_PG_USER,
# TWINPROOF_PG_PASSWORD, TWINPROOF_PG_DB, TWINPROOF_PG_PORT (used only when creating the cluster).
set -euo pipefail

PG_USER=${TWINPROOF_PG_USER:-twinproof}
PG_PASSWORD=${TWINPROOF_PG_PASSWORD:-twinproof}
PG_DB=${TWINPROOF_PG_DB:-twinproof_test}
PG_PORT=${TWINPROOF_PG_PORT:-5432}

log() { echo "start_postgres: $*" >&2; }
if [ "$(id -u)" -eq 0 ]; then SUDO=(); AS_PG=(runuser -u postgres --); else SUDO=(sudo); AS_PG=(sudo -u postgres); fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null; then
    log "installing postgresql (apt-get)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
cluster_field() { pg_lsclusters -h | awk -v v="$VERSION" -v f="$1" '$1 == v && $2 == "main" {print $f}'; }

if [ -z "$(cluster_field 1)" ]; then
    log "creating cluster $VERSION/main on port $PG_PORT"
    "${SUDO[@]}" pg_createcluster "$VERSION" main --port "$PG_PORT" >&2
fi
PORT=$(cluster_field 3)
if [ "$(cluster_field 4)" != "online" ]; then
    log "starting cluster $VERSION/main"
    "${SUDO[@]}" pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PORT"; then break; fi
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "server on 127.0.0.1:$PORT did not become ready"; exit 1; }

psql_admin() { "${AS_PG[@]}" psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"; }
psql_admin >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG_USER}') THEN
        CREATE ROLE "${PG_USER}" LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
    ELSE
        ALTER ROLE "${PG_USER}" LOGIN CREATEDB PASSWORD '${PG_PASSWORD}';
    END IF;
END
\$\$;
SQL
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'")" != "1" ]; then
    log "creating database $PG_DB"
    psql_admin -c "CREATE DATABASE \"${PG_DB}\" OWNER \"${PG_USER}\""
fi

echo "export TWINPROOF_TEST_PG_URL=postgresql+psycopg://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${PORT}/${PG_DB}"
