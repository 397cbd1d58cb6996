#!/usr/bin/env bash
# A private PostgreSQL server for tests (PostgresMetadataStore, issue #20), in DIR.
# Usage: tests/support/postgres_instance.sh start|stop|url DIR
#   start: a fresh cluster in DIR/data (initdb), running as the unprivileged `postgres` user
#          (PostgreSQL refuses to run as root), listening only on a Unix socket in DIR, trust
#          authentication for local connections (no TCP), fsync on; prints its URL.
#   stop:  stops it and removes DIR.
#   url:   prints the libpq URL of the server in DIR.
# Debian's binaries are in /usr/lib/postgresql/<version>/bin (PG_BIN overrides).
set -euo pipefail
command=${1:-}; dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|url DIR" >&2; exit 2
fi
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1
fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() { echo "postgresql:///postgres?host=$dir&user=postgres"; }
stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null || true
  fi
  rm -rf "$dir"
}

# initdb and the server, as `postgres`, in $dir.
init_and_run() {
  # initdb --no-sync only skips syncing its own template files; the server runs fsync=on.
  as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=reject --encoding=UTF8 --no-sync >"$dir/initdb.log"
  # Each store opens up to 8 writer and 8 reader connections; ctest may run tests in parallel.
  as_postgres "$pg_bin/pg_ctl" start -D "$dir/data" -w -l "$dir/server.log" \
    -o "-c listen_addresses='' -k $dir -c fsync=on -c max_connections=300" >"$dir/pg_ctl.log"
}

case "$command" in
  start)
    stop  # a server left behind by an interrupted run
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- sh -c ': >/dev/null' 2>/dev/null; then
      # Some containers make /dev/null root-only, and initdb's shell redirects to it fail.
      # Rather than change the host, the server runs in a mount namespace of its own whose
      # /dev/null is a usable one.
      unshare --mount --propagation private "$0" _start-in-namespace "$dir"
    else
      init_and_run
    fi
    url
    ;;
  _start-in-namespace)
    mknod -m 666 "$dir/null" c 1 3
    mount --bind "$dir/null" /dev/null
    init_and_run
    ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url DIR" >&2; exit 2 ;;
esac
