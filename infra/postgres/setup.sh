#!/usr/bin/env bash
# Creates, idempotently, one login role and one database per service on the local PostgreSQL,
# each role allowed to connect to its own database only. Starts the local cluster if it is down.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../env.sh"

if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "postgres: starting the local cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  fi
  for _ in $(seq 1 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
fi
pg_isready -h "$PGHOST" -p "$PGPORT" -q || { echo "postgres: not reachable at $PGHOST:$PGPORT" >&2; exit 1; }

psql_admin() { psql "$PGADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }

for var in DIRECTORY_DATABASE_URL REFERRAL_DATABASE_URL PLACEMENT_DATABASE_URL SAFEGUARDING_AUDIT_DATABASE_URL OUTCOMES_DATABASE_URL; do
  url="${!var}"
  # postgres://user:password@host:port/database
  creds="${url#*://}"; creds="${creds%%@*}"
  role="${creds%%:*}"; password="${creds#*:}"
  db="${url##*/}"; db="${db%%\?*}"
  psql_admin -v role="$role" -v password="$password" -v db="$db" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
-- CREATEDB lets the test harness make a throwaway database per test file, owned by this role.
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec
SQL
  echo "postgres: role $role, database $db ready"
done
