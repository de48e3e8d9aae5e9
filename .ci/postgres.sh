#!/usr/bin/env bash
# Install PostgreSQL from Debian's packages if needed and start a throwaway
# cluster on 127.0.0.1 only. Prints the DATABASE_URL to use on its last line.
# `stop` stops it, keeping its data; `resume` starts a stopped one again.
# pg_stat_statements is loaded, for the benchmarks to read the time each statement took.
# Usage: .ci/postgres.sh start|stop|resume DATA_DIR PORT
set -euo pipefail

action=$1 datadir=$2 port=$3

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [ -z "$(pg_bin)" ]; then
      echo "Installing PostgreSQL from Debian's packages…" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
    fi
    bin=$(pg_bin)
    rm -rf "$datadir"
    mkdir -p "$datadir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$datadir"
    as_postgres "$bin/initdb" -D "$datadir" -U postgres -A trust --no-sync >/dev/null
    as_postgres "$bin/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c shared_preload_libraries=pg_stat_statements" start >&2
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE guides" >&2
    echo "postgres://postgres@127.0.0.1:$port/guides"
    ;;
  resume)
    as_postgres "$(pg_bin)/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c shared_preload_libraries=pg_stat_statements" start >&2
    ;;
  stop)
    bin=$(pg_bin)
    [ -n "$bin" ] && [ -d "$datadir" ] && as_postgres "$bin/pg_ctl" -D "$datadir" -m fast stop >&2 || true
    ;;
esac
