#!/usr/bin/env bash
# Start a local PostgreSQL server for the review tests (tests/review) and print the lines
#   export TWINPROOF_TEST_PG_URL=postgresql+psycopg://twinproof:twinproof@127.0.0.1:5432/twinproof_test
#   export TWINPROOF_TEST_PG_REVIEWER_URL=postgresql+psycopg://twinproof_reviewer:...@127.0.0.1:5432/twinproof_test
# on stdout (everything else goes to stderr), so CI can do: eval "$(scripts/start_postgres.sh)".
#
# Roles, as a team server should have them (docs/review.md, "Roles"): the first URL is the
# *owner* (owns the database, creates schemas, runs migrations); the second is a *reviewer*, a
# login in the NOLOGIN group role twinproof_reviewers, which `twinproof db grant` gives SELECT
# and INSERT, and UPDATE on a few columns only (tests/review/test_roles.py).
#
# Idempotent: installs Debian's postgresql package only if missing, creates the cluster only if
# missing, starts it only if down, and creates or re-passwords the roles and database. Runs as root
# (as CI does on a fresh Debian 12) or as a user with sudo. Settings: TWINPROOF_PG_USER,
# TWINPROOF_PG_PASSWORD, TWINPROOF_PG_DB, TWINPROOF_PG_REVIEWERS (the group),
# TWINPROOF_PG_REVIEWER, TWINPROOF_PG_REVIEWER_PASSWORD, TWINPROOF_PG_PORT (used only when
# creating the cluster). Names and passwords reach SQL as psql variables (:'x' literals, :"x"
# identifiers), never pasted into the SQL text, so quotes in them cannot break or inject.
set -euo pipefail

PG_USER=${TWINPROOF_PG_USER:-twinproof}
PG_PASSWORD=${TWINPROOF_PG_PASSWORD:-twinproof}
PG_DB=${TWINPROOF_PG_DB:-twinproof_test}
PG_PORT=${TWINPROOF_PG_PORT:-5432}
PG_REVIEWERS=${TWINPROOF_PG_REVIEWERS:-twinproof_reviewers}
PG_REVIEWER=${TWINPROOF_PG_REVIEWER:-twinproof_reviewer}
PG_REVIEWER_PASSWORD=${TWINPROOF_PG_REVIEWER_PASSWORD:-twinproof_reviewer}

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

psql_admin() {
    "${AS_PG[@]}" psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres \
        -v owner="$PG_USER" -v owner_pw="$PG_PASSWORD" -v db="$PG_DB" -v grp="$PG_REVIEWERS" \
        -v reviewer="$PG_REVIEWER" -v reviewer_pw="$PG_REVIEWER_PASSWORD" "$@"
}
# \gexec runs each generated statement: format(%I, %L) quotes names and passwords.
psql_admin >&2 <<'SQL'
SELECT format(CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')
                   THEN 'ALTER ROLE %I LOGIN CREATEDB PASSWORD %L'
                   ELSE 'CREATE ROLE %I LOGIN CREATEDB PASSWORD %L' END, :'owner', :'owner_pw') \gexec
SELECT format('CREATE ROLE %I NOLOGIN', :'grp')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'grp') \gexec
SELECT format(CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = :'reviewer')
                   THEN 'ALTER ROLE %I LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L'
                   ELSE 'CREATE ROLE %I LOGIN PASSWORD %L' END, :'reviewer', :'reviewer_pw') \gexec
SELECT format('GRANT %I TO %I', :'grp', :'reviewer') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL

# URLs need user and password percent-encoded (a password may hold @ : / or %).
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
base="127.0.0.1:${PORT}/$(enc "$PG_DB")"
echo "export TWINPROOF_TEST_PG_URL=postgresql+psycopg://$(enc "$PG_USER"):$(enc "$PG_PASSWORD")@${base}"
echo "export TWINPROOF_TEST_PG_REVIEWER_URL=postgresql+psycopg://$(enc "$PG_REVIEWER"):$(enc "$PG_REVIEWER_PASSWORD")@${base}"
