#!/usr/bin/env bash
# Starts the scale-path topology on this machine, without Docker: the full Temporal server (not the dev
# server) with PostgreSQL persistence and visibility and several history shards, on Debian's PostgreSQL
# (a throw-away cluster of scripts/start-test-postgres.sh), loopback
# only, free ports, the "default" namespace registered. Prints three lines:
#   the frontend address (host:port); the URL of its persistence database; the command that stops the
#   server and PostgreSQL and removes their data.
# Shards: TEMPORAL_HISTORY_SHARDS (default 4). The server's log is in the printed stop command's directory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server_dir="$(bash "$here/obtain-temporal-server.sh")"
cli="$(bash "$here/obtain-temporal-cli.sh")"
shards="${TEMPORAL_HISTORY_SHARDS:-4}"

pg_lines="$(bash "$here/start-test-postgres.sh")"
pg_url="$(sed -n 1p <<<"$pg_lines")"; pg_stop="$(sed -n 2p <<<"$pg_lines")"
# postgres://user@host:port/db
pg_user="$(sed -E 's#^postgres://([^@:]+).*#\1#' <<<"$pg_url")"
pg_host="$(sed -E 's#^postgres://[^@]+@([^:/]+).*#\1#' <<<"$pg_url")"
pg_port="$(sed -E 's#^postgres://[^@]+@[^:]+:([0-9]+).*#\1#' <<<"$pg_url")"

root="$(mktemp -d "${TMPDIR:-/tmp}/zhengwu-temporal-pg.XXXXXX")"
pid=""
# A start that fails leaves nothing running: the server, PostgreSQL and their data go.
started=false
cleanup() { $started && return; [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; eval "$pg_stop"; rm -rf "$root"; }
trap cleanup EXIT
mkdir -p "$root/config/dynamicconfig"
# A free port below 32768: the server keeps membership ports in a PostgreSQL smallint.
free_port() { python3 -c '
import random, socket
while True:
    s = socket.socket(); port = random.randint(20000, 32000)
    try: s.bind(("127.0.0.1", port)); print(port); break
    except OSError: pass
    finally: s.close()'; }
declare -A port
for name in frontend frontendHttp frontendMembership history historyMembership matching matchingMembership worker workerMembership metrics pprof; do port[$name]="$(free_port)"; done

# The schema, as the server's own tool installs it: the databases, the base schema, then every versioned step.
sql() { "$server_dir/temporal-sql-tool" --plugin postgres12 --ep "$pg_host" -p "$pg_port" -u "$pg_user" "$@" >>"$root/schema.log" 2>&1 \
  || { cat "$root/schema.log" >&2; exit 1; }; }
for db in temporal temporal_visibility; do
  kind=$([[ $db == temporal ]] && echo temporal || echo visibility)
  sql --db "$db" create-database
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$server_dir/schema/postgresql/v12/$kind/versioned"
done

datastore() { cat <<YAML
      sql:
        pluginName: "postgres12"
        databaseName: "$1"
        connectAddr: "$pg_host:$pg_port"
        connectProtocol: "tcp"
        user: "$pg_user"
        password: ""
        maxConns: $2
        maxIdleConns: $2
        maxConnLifetime: "1h"
YAML
}
cat >"$root/config/postgres.yaml" <<YAML
log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: $shards
  datastores:
    default:
$(datastore temporal 20)
    visibility:
$(datastore temporal_visibility 10)
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
  pprof:
    port: ${port[pprof]}
  metrics:
    prometheus:
      framework: "tally"
      timerType: "histogram"
      listenAddress: "127.0.0.1:${port[metrics]}"
services:
  frontend:
    rpc: { grpcPort: ${port[frontend]}, membershipPort: ${port[frontendMembership]}, bindOnLocalHost: true, httpPort: ${port[frontendHttp]} }
  history:
    rpc: { grpcPort: ${port[history]}, membershipPort: ${port[historyMembership]}, bindOnLocalHost: true }
  matching:
    rpc: { grpcPort: ${port[matching]}, membershipPort: ${port[matchingMembership]}, bindOnLocalHost: true }
  worker:
    rpc: { grpcPort: ${port[worker]}, membershipPort: ${port[workerMembership]}, bindOnLocalHost: true }
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${port[frontend]}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "$root/config/dynamicconfig/postgres.yaml"
  pollInterval: "10s"
YAML
# What the app needs of a server beyond the defaults, shared with docker-compose.yml.
cp "$here/../config/temporal-dynamic.yaml" "$root/config/dynamicconfig/postgres.yaml"

"$server_dir/temporal-server" --root "$root" --config config --env postgres --allow-no-auth start >"$root/server.log" 2>&1 &
pid=$!
address="127.0.0.1:${port[frontend]}"
for _ in $(seq 1 120); do
  if "$cli" operator cluster health --address "$address" >/dev/null 2>&1; then break; fi
  kill -0 "$pid" 2>/dev/null || { grep -m5 '"level":"fatal"\|error' "$root/server.log" >&2; exit 1; }
  sleep 1
done
"$cli" operator cluster health --address "$address" >/dev/null 2>&1 || { tail -n 40 "$root/server.log" >&2; exit 1; }
# The namespace the app uses; a freshly created one takes a moment to reach every service.
"$cli" operator namespace create --address "$address" --namespace default --retention 72h >/dev/null 2>&1 || true
for _ in $(seq 1 60); do
  "$cli" workflow list --address "$address" --namespace default --limit 1 >/dev/null 2>&1 && break
  sleep 1
done

started=true
echo "$address"
echo "postgres://$pg_user@$pg_host:$pg_port/temporal"
printf 'kill %q; while kill -0 %q 2>/dev/null; do sleep 0.2; done; %s; rm -rf %q\n' "$pid" "$pid" "$pg_stop" "$root"
