# A private PostgreSQL cluster on loopback, owned by a non-root user (initdb refuses root).
# Sourced by scripts/test.sh and scripts/run.sh. After mk_pg_start, MK_PG_ADMIN_URL names a
# superuser connection to the cluster.

mk_pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; return 1; }
    echo "$dir"
}

# Runs a command as the cluster's owner: the current user, or `mkpg` when we are root.
mk_pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        id mkpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin mkpg
        runuser -u mkpg -- "$@"
    else
        "$@"
    fi
}

mk_pg_owner_name() {
    if [ "$(id -u)" -eq 0 ]; then echo mkpg; else id -un; fi
}

mk_pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# mk_pg_start DATA_DIR [PORT]: initialises DATA_DIR on first use, starts the server, exports
# MK_PG_DATA, MK_PG_PORT and MK_PG_ADMIN_URL.
mk_pg_start() {
    local data_dir=$1 port=${2:-$(mk_pg_free_port)} bindir
    bindir=$(mk_pg_bindir) || return 1
    mkdir -p "$data_dir"
    if [ "$(id -u)" -eq 0 ]; then mk_pg_as_owner true; chown -R mkpg "$data_dir"; fi
    if [ ! -f "$data_dir/PG_VERSION" ]; then
        mk_pg_as_owner "$bindir/initdb" --pgdata="$data_dir" --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 --username="$(mk_pg_owner_name)" >"$data_dir/../initdb.log" 2>&1 \
            || { cat "$data_dir/../initdb.log" >&2; return 1; }
    fi
    mk_pg_as_owner "$bindir/pg_ctl" --pgdata="$data_dir" --log="$data_dir/server.log" --wait \
        --options="-c listen_addresses=127.0.0.1 -p $port -k $data_dir -c max_connections=300 -c fsync=${MK_PG_FSYNC:-on}" \
        start >/dev/null || { tail -n 20 "$data_dir/server.log" >&2; return 1; }
    export MK_PG_DATA=$data_dir MK_PG_PORT=$port
    export MK_PG_ADMIN_URL="postgresql://$(mk_pg_owner_name)@127.0.0.1:$port/postgres"
}

mk_pg_stop() {
    local data_dir=${1:-${MK_PG_DATA:-}} bindir
    [ -n "$data_dir" ] && [ -f "$data_dir/postmaster.pid" ] || return 0
    bindir=$(mk_pg_bindir) || return 1
    mk_pg_as_owner "$bindir/pg_ctl" --pgdata="$data_dir" --mode=fast --wait stop >/dev/null 2>&1 || true
}
