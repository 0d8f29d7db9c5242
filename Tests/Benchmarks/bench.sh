#!/usr/bin/env bash
# `make bench`: builds the benchmark package in release mode (its own build folder), starts a
# private PostgreSQL cluster on loopback in a temporary folder (scripts/lib/postgres.sh, fsync on),
# runs mk-bench's sections on it (pgbench's tables beside the registry's benchmark schema) and then
# the `system` section (Tests/Benchmarks/system: the whole system as processes, built with
# `swift build -c release` of the root package, measured with wrk, beside privacyIDEA 3.14 from
# Tests/Benchmarks/peers), and prints one table. Stops the cluster and every process on every path.
#
# Arguments: sections (mk-bench's `codec`, `rpc`, `db`, `bok`, `scale`, and `system`; none = all)
# and options: `--rounds N`, `--slice-ms MS` (mk-bench); `--system-rounds N`, `--system-slice S`,
# `--system-full S`, `--system-write-seconds S`, `--system-citizens N`, `--system-parts reads,writes`,
# `--system-no-privacyidea` (the system section; `--system-parts writes` measures only the write
# paths, without privacyIDEA; `--system-no-privacyidea` the gateway reads without it, no ratios).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/lib/packages.sh"
source "$root/scripts/lib/postgres.sh"

mk_args=() system_args=() mk_sections=0 system=0
while (($#)); do
    case $1 in
        system) system=1 ;;
        --system-rounds | --system-slice | --system-full | --system-write-seconds | --system-citizens \
            | --system-parts)
            system_args+=("--${1#--system-}" "${2:?$1 needs a value}")
            shift ;;
        --system-no-privacyidea) system_args+=("--no-privacyidea") ;;
        --rounds | --slice-ms) mk_args+=("$1" "${2:?$1 needs a value}"); shift ;;
        -*) mk_args+=("$1") ;;
        *) mk_args+=("$1"); mk_sections=1 ;;
    esac
    shift
done
run_mk=1 run_system=1
if ((mk_sections || system)); then run_mk=$mk_sections run_system=$system; fi

mk_install_packages
if ((run_system)) && ! command -v wrk >/dev/null; then
    echo "Installing wrk" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk >&2
fi

if ((run_mk)); then
    build=(swift build -c release --package-path "$here" --scratch-path "$here/.build")
    echo "Building the benchmarks (release)…" >&2
    "${build[@]}" --product mk-bench >&2
    bin=$("${build[@]}" --show-bin-path)
fi
if ((run_system)); then
    echo "Building the system (swift build -c release)…" >&2
    swift build -c release --package-path "$root" >&2
    system_bin=$(swift build -c release --package-path "$root" --show-bin-path)
fi

work=$(mktemp -d /tmp/mk-bench.XXXXXX)
chmod 755 "$work"
child=""
cleanup() { mk_pg_stop "$work/pgdata"; rm -rf "$work"; }
# A signal stops the running step by its pid (it stops what it started), then the cluster goes.
on_signal() {
    if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    exit 130
}
trap cleanup EXIT
trap on_signal INT TERM
run_step() { "$@" & child=$!; local status=0; wait "$child" || status=$?; child=""; return "$status"; }

# fsync on (mk_pg_start's default): the write paths of the system section commit durably.
mk_pg_start "$work/pgdata"
owner=$(mk_pg_owner_name)
status=0
if ((run_mk)); then
    psql -q "$MK_PG_ADMIN_URL" -c "CREATE DATABASE mkbench" >/dev/null
    # Scale 10: 1 million pgbench_accounts rows (128 MiB), like a real table, still in memory.
    pgbench -i -q -s 10 -h 127.0.0.1 -p "$MK_PG_PORT" -U "$owner" mkbench >/dev/null 2>&1
    export MK_BENCH_DATABASE_URL=$MK_PG_ADMIN_URL
    export MK_BENCH_PGBENCH_ARGS="-h 127.0.0.1 -p $MK_PG_PORT -U $owner mkbench"
    run_step "$bin/mk-bench" "${mk_args[@]}" >"$work/mk-bench.out"
fi
if ((run_system)); then
    run_step python3 "$here/system/system_bench.py" --bin "$system_bin" --pgdata "$work/pgdata" \
        --work "$work/system" --with-header "${system_args[@]}" >"$work/system.out" || status=$?
fi

# One table: mk-bench's rows (or the system section's header), the system rows, then the notes.
table() { awk '/^$/ { exit } { print }' "$1"; }
notes() { awk 'seen { print } /^$/ { seen = 1 }' "$1"; }
if ((run_mk)); then table "$work/mk-bench.out"; fi
if ((run_system)); then
    if ((run_mk)); then table "$work/system.out" | tail -n +3; else table "$work/system.out"; fi
fi
echo
if ((run_mk)); then notes "$work/mk-bench.out"; fi
if ((run_system)); then notes "$work/system.out"; fi
exit "$status"
