#!/usr/bin/env bash
# A private PostgreSQL server for tests (PostgresMetadataStore, issue #20), in DIR.
# Usage: tests/support/postgres_instance.sh start|restart|stop|url DIR [PORT]
#   start:   a fresh cluster in DIR/data (initdb), running as the unprivileged `postgres` user
#            (PostgreSQL refuses to run as root), listening on a Unix socket in DIR, trust
#            authentication for local connections, fsync on; prints its URL. With PORT it also
#            listens on 127.0.0.1:PORT (trust for host connections from 127.0.0.1 only), for
#            tests that put a TCP proxy between kura and the server; without it, no TCP.
#   restart: stops the server in DIR (fast shutdown: every connection is closed) and starts it
#            again on the same data, socket and port (tests of kura's reconnection).
#   stop:    stops it and removes DIR.
#   url:     prints the libpq URL of the server in DIR (over its Unix socket).
# Debian's binaries are in /usr/lib/postgresql/<version>/bin (PG_BIN overrides).
set -euo pipefail
command=${1:-}; dir=${2:-}; port=${3:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|restart|stop|url DIR [PORT]" >&2; exit 2
fi
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$pg_bin/pg_ctl" ]; then
  echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1
fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
url() {
  if [ -s "$dir/port" ]; then
    echo "postgresql:///postgres?host=$dir&port=$(cat "$dir/port")&user=postgres"
  else
    echo "postgresql:///postgres?host=$dir&user=postgres"
  fi
}
stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null || true
  fi
  rm -rf "$dir"
}

# The server, as `postgres`, on the cluster in $dir (its TCP port, if any, in $dir/port).
run() {
  local listen="''"
  [ -s "$dir/port" ] && listen="127.0.0.1 -p $(cat "$dir/port")"
  # Each store opens up to 8 writer and 8 reader connections; ctest may run tests in parallel.
  as_postgres "$pg_bin/pg_ctl" start -D "$dir/data" -w -l "$dir/server.log" \
    -o "-c listen_addresses=$listen -k $dir -c fsync=on -c max_connections=300" >>"$dir/pg_ctl.log"
}

# initdb and the server.
init_and_run() {
  # initdb --no-sync only skips syncing its own template files; the server runs fsync=on.
  as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres --auth-local=trust \
    --auth-host=reject --encoding=UTF8 --no-sync >"$dir/initdb.log"
  if [ -s "$dir/port" ]; then
    echo "host all all 127.0.0.1/32 trust" >"$dir/data/pg_hba.tcp"
    cat "$dir/data/pg_hba.conf" >>"$dir/data/pg_hba.tcp"
    mv "$dir/data/pg_hba.tcp" "$dir/data/pg_hba.conf"
  fi
  run
}

# Runs one of the functions above, in a mount namespace when this container's /dev/null is
# root-only (initdb's and pg_ctl's shell redirects to it fail): rather than change the host, the
# server runs in a namespace of its own whose /dev/null is a usable one.
as_server() {
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- sh -c ': >/dev/null' 2>/dev/null; then
    unshare --mount --propagation private "$0" _in-namespace "$dir" "$1"
  else
    "$1"
  fi
}

case "$command" in
  start)
    stop  # a server left behind by an interrupted run
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    if [ -n "$port" ]; then echo "$port" >"$dir/port"; [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/port"; fi
    as_server init_and_run
    url
    ;;
  restart)
    dir=$(cd "$dir" && pwd)
    as_postgres "$pg_bin/pg_ctl" stop -D "$dir/data" -m fast -w >/dev/null
    as_server run
    ;;
  _in-namespace)
    [ -e "$dir/null" ] || mknod -m 666 "$dir/null" c 1 3
    mount --bind "$dir/null" /dev/null
    "$port"  # here: the function to run
    ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|restart|stop|url DIR [PORT]" >&2; exit 2 ;;
esac
