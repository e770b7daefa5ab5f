#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (CI and developers alike).
#
#   eval "$(.ci/postgres.sh start)"   # prints the exports below; the cluster keeps running
#   .venv/bin/python -m pytest tests/store
#   .ci/postgres.sh stop              # stops it and deletes its folder
#
# `start` initialises a cluster in a new temporary folder (or $RECOUPE_PG_DIR), starts it
# listening only on a unix socket inside that folder (no TCP port, so clusters of several
# checkouts never clash), creates the database `recoupe_test` and prints
#   export RECOUPE_PG_DIR=<folder>
#   export RECOUPE_TEST_POSTGRES=postgresql:///recoupe_test?host=<folder>&user=recoupe
# Durability is switched off (fsync, synchronous_commit): the data is thrown away anyway.
# PostgreSQL refuses to run as root, so as root the cluster runs as the unprivileged
# system user `recoupe-pg` (created when missing). The binaries are Debian's
# (/usr/lib/postgresql/<version>/bin) or the first `initdb` on PATH.
set -euo pipefail

PG_USER=recoupe-pg
DB_NAME=recoupe_test

bindir() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$newest" ] || [ ! -x "$newest/initdb" ]; then
    echo "postgres.sh: no PostgreSQL binaries (install Debian's postgresql package)" >&2
    exit 1
  fi
  echo "$newest"
}

# Run a command as the cluster's owner: ourselves, or recoupe-pg when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER" -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin dir
  bin=$(bindir)
  if [ "$(id -u)" = 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
  fi
  dir=${RECOUPE_PG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/recoupe-pg.XXXXXX")}
  mkdir -p "$dir"
  chmod 0755 "$dir"  # the tests (maybe another user) reach the socket inside
  [ "$(id -u)" = 0 ] && chown "$PG_USER" "$dir"
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=recoupe --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  "$bin/createdb" --host="$dir" --username=recoupe "$DB_NAME"
  echo "export RECOUPE_PG_DIR=$dir"
  echo "export RECOUPE_TEST_POSTGRES='postgresql:///$DB_NAME?host=$dir&user=recoupe'"
}

stop() {
  local dir=${1:-${RECOUPE_PG_DIR:-}}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "postgres.sh: no cluster to stop (give its folder or set RECOUPE_PG_DIR)" >&2
    return 0
  fi
  as_owner "$(bindir)/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [FOLDER]" >&2; exit 2 ;;
esac
