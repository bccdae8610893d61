#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the storage tests: Debian's packages (installed with apt
# if missing), its own data directory, loopback only, a free port. Prints four lines:
#   the connection URL; the command that stops it and removes its data;
#   a command that stops it keeping its data; a command that starts it again (for outage tests).
set -euo pipefail
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "Installing PostgreSQL from Debian's packages..." >&2
  if [[ $(id -u) -eq 0 ]]; then apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2; fi
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/zhengwu-pg.XXXXXX")"
# PostgreSQL refuses to run as root; as root, run it as the 'postgres' user Debian's package creates.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; as_owner=(runuser -u postgres --); fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U zhengwu -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U zhengwu zhengwu

echo "postgres://zhengwu@127.0.0.1:$port/zhengwu"
printf '%q ' "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop; printf '>/dev/null 2>&1; rm -rf %q\n' "$dir"
printf '%q ' "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop; printf '\n'
printf '%q ' "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start; printf '\n'
