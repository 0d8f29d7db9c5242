#!/usr/bin/env bash
# Runs the whole system on this machine: installs what is missing, keeps a private PostgreSQL
# cluster in .data/ of the checkout (kept between runs), gives each service its own database role
# and schema, builds, migrates and starts every service as a separate process on loopback.
# Ctrl-C stops everything. Logs of every process are in .data/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
source scripts/lib/packages.sh
source scripts/lib/postgres.sh

mk_install_packages
swift build --product device-registry
bin=$(swift build --show-bin-path)

data="$root/.data"
mkdir -p "$data/logs"
chmod 755 "$data"
pg_port=${MK_PG_PORT:-55499}
mk_pg_start "$data/pgdata" "$pg_port"

pids=()
stop_all() {
    echo "Stopping…"
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    mk_pg_stop "$data/pgdata"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# service_database ROLE SCHEMA: creates the role (with a password kept in .data/secrets) and its
# schema on first use; prints the service's DATABASE_URL.
service_database() {
    local role=$1 schema=$2 secret_file="$data/secrets/$1.password" password
    mkdir -p "$data/secrets" && chmod 700 "$data/secrets"
    [ -f "$secret_file" ] || { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$secret_file"; }
    password=$(cat "$secret_file")
    psql -q -v ON_ERROR_STOP=1 "$MK_PG_ADMIN_URL" -v role="$role" -v schema="$schema" -v password="$password" <<'SQL' >/dev/null
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', :'schema', :'role') \gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL
    echo "postgresql://$role:$password@127.0.0.1:$pg_port/postgres"
}

start() {
    local name=$1; shift
    "$@" >>"$data/logs/$name.log" 2>&1 &
    pids+=($!)
    echo "  $name (pid $!) — log: .data/logs/$name.log"
}

echo "Starting services:"
registry_db=$(service_database mk_registry registry)
DATABASE_URL=$registry_db "$bin/device-registry" migrate >>"$data/logs/device-registry.log" 2>&1
DATABASE_URL=$registry_db LISTEN_ADDR=127.0.0.1:7101 ADMIN_ADDR=127.0.0.1:9101 \
    start device-registry "$bin/device-registry" serve

cat <<TXT

Running on loopback:
  Device Registry  RPC 127.0.0.1:7101   admin http://127.0.0.1:9101/healthz /readyz /metrics
  PostgreSQL       $MK_PG_ADMIN_URL (data in .data/pgdata)

The portal (gateway), Preferences and BOK are not built yet; they join this command as they land.
Press Ctrl-C to stop everything.
TXT
wait -n "${pids[@]}" || true
echo "A service exited; see .data/logs/."
