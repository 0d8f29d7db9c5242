#!/usr/bin/env bash
# `make bench`: builds the benchmark package in release mode (its own build folder), starts a
# private PostgreSQL cluster on loopback in a temporary folder (scripts/lib/postgres.sh), sets up
# pgbench's tables beside the registry's benchmark schema, runs mk-bench, which prints one table,
# and stops the cluster on every path. Extra arguments go to mk-bench (`codec`, `rpc`, `db`,
# `--rounds N`, `--slice-ms MS`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib/packages.sh"
source "$root/scripts/lib/postgres.sh"
mk_install_packages

build=(swift build -c release --package-path "$here" --scratch-path "$here/.build")
echo "Building the benchmarks (release)…" >&2
"${build[@]}" --product mk-bench >&2
bin=$("${build[@]}" --show-bin-path)

work=$(mktemp -d /tmp/mk-bench.XXXXXX)
chmod 755 "$work"
cleanup() { mk_pg_stop "$work/pgdata"; rm -rf "$work"; }
trap cleanup EXIT

# Reads only: fsync does not change them, but keep the default anyway.
mk_pg_start "$work/pgdata"
owner=$(mk_pg_owner_name)
psql -q "$MK_PG_ADMIN_URL" -c "CREATE DATABASE mkbench" >/dev/null
# Scale 10: 1 million pgbench_accounts rows (128 MiB), like a real table, still in memory.
pgbench -i -q -s 10 -h 127.0.0.1 -p "$MK_PG_PORT" -U "$owner" mkbench >/dev/null 2>&1
export MK_BENCH_DATABASE_URL=$MK_PG_ADMIN_URL
export MK_BENCH_PGBENCH_ARGS="-h 127.0.0.1 -p $MK_PG_PORT -U $owner mkbench"
"$bin/mk-bench" "$@"
