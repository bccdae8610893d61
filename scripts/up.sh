#!/usr/bin/env bash
# `npm start`: brings the whole system up on embedded defaults — the Temporal dev server (persisting to
# data/temporal.db), the worker and the API — waits until each is healthy, and prints where things are.
# With TEMPORAL_ADDRESS set, an existing cluster is used and no dev server is started.
# Ctrl-C stops every child.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Everything written under the data folder (databases, temporal.db, documents, logs, keys) is readable
# by the owner only.
umask 077

bash scripts/install-deps.sh
echo "Compiling TypeScript..."
npx tsc -p tsconfig.build.json
echo "Building the web console..."
npm run --silent build:console

address_given="${TEMPORAL_ADDRESS:-}"
# Validate the configuration once, up front, and read the resolved values (defaults applied).
eval "$(node -e '
  const { loadConfig } = require("./dist/config");
  try {
    const c = loadConfig();
    for (const k of ["TEMPORAL_ADDRESS", "TEMPORAL_DEV_SERVER", "TEMPORAL_NAMESPACE", "TEMPORAL_UI_URL", "API_HOST", "API_PORT", "DATA_DIR"])
      console.log(`cfg_${k}=${JSON.stringify(String(c[k]))}`);
  } catch (e) { console.error(e.message); process.exit(1); }
')"
mkdir -p "$cfg_DATA_DIR/logs"
# A data folder from an earlier version may have been created world-readable: close it.
chmod -R go-rwx "$cfg_DATA_DIR"

# Embedded default credentials: one API key per role (and unit keys for a Ji'an, a Bijie and a Suqian unit), generated into
# data/api-keys.json (never committed), unless the operator points AUTH_API_KEYS_FILE elsewhere or uses
# SSO JWTs. A file from an earlier version gains the keys of roles added since; existing keys stay.
if [[ -z "${AUTH_API_KEYS_FILE:-}" ]]; then
  export AUTH_API_KEYS_FILE="$cfg_DATA_DIR/api-keys.json"
  node -e '
    const fs = require("node:fs");
    const { randomBytes } = require("node:crypto");
    const { roleSchema } = require("./dist/domain/records");
    const file = process.argv[1];
    const keys = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : [];
    const wanted = [
      ...roleSchema.options.map((role) => ({ id: `${role}:local`, role, ...(role === "unit" ? { unit: "益阳市城市管理局" } : role === "county" ? { unit: "吉水县" } : {}) })),
      { id: "unit:jian", role: "unit", unit: "吉安市行政审批局" },
      { id: "unit:bijie", role: "unit", unit: "毕节市人力资源和社会保障局" },
      { id: "unit:suqian", role: "unit", unit: "宿迁市民政局" },
    ];
    const added = wanted.filter((entry) => !keys.some((k) => k.id === entry.id));
    // A county key from before counties were scoped names no county: it gets the local one.
    const repaired = keys.filter((k) => k.role === "county" && !k.unit);
    for (const k of repaired) k.unit = "吉水县";
    if (added.length === 0 && repaired.length === 0) process.exit(0);
    for (const entry of added) keys.push({ key: `zw_${entry.role}_${randomBytes(18).toString("hex")}`, ...entry });
    fs.writeFileSync(file, JSON.stringify(keys, null, 2) + "\n", { mode: 0o600 });
    console.log(`API keys for ${[...added, ...repaired].map((e) => e.id).join(", ")} written to ${file}`);
  ' "$AUTH_API_KEYS_FILE"
fi
# The registry of construction units starts with the local unit keys' units (and a Nanfeng one); an
# administrator adds others with PUT /units/{name}. A registry from an earlier version gains the Ji'an units
# (a city unit, and a unit of 吉水县, for which the county key acts), a Bijie unit and a Suqian unit.
if [[ -z "${UNITS_FILE:-}" ]]; then
  export UNITS_FILE="$cfg_DATA_DIR/units.json"
  node -e '
    const fs = require("node:fs");
    const file = process.argv[1];
    const units = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : [];
    const wanted = [
      { name: "益阳市城市管理局", jurisdiction: "yiyang" }, { name: "南丰镇集成指挥中心业务科", jurisdiction: "nanfeng" },
      { name: "吉安市行政审批局", jurisdiction: "jian" }, { name: "吉水县行政审批局", jurisdiction: "jian", county: "吉水县" },
      { name: "毕节市人力资源和社会保障局", jurisdiction: "bijie" },
      { name: "宿迁市民政局", jurisdiction: "suqian" },
    ];
    const added = wanted.filter((unit) => !units.some((u) => u.name === unit.name));
    if (added.length > 0) fs.writeFileSync(file, JSON.stringify([...units, ...added], null, 2) + "\n");
  ' "$UNITS_FILE"
fi
# Payload encryption on by default: a local AES-256 key, generated once (keep it: without it the
# history of every project written with it cannot be read).
if [[ -z "${PAYLOAD_KEYS_FILE:-}" ]]; then
  export PAYLOAD_KEYS_FILE="$cfg_DATA_DIR/payload-keys.json"
  if [[ ! -f "$PAYLOAD_KEYS_FILE" ]]; then
    node -e '
      const id = `local-${new Date().toISOString().slice(0, 10)}`;
      const file = { activeKeyId: id, keys: { [id]: require("node:crypto").randomBytes(32).toString("base64") } };
      require("node:fs").writeFileSync(process.argv[1], JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
    ' "$PAYLOAD_KEYS_FILE"
    echo "Generated a payload encryption key in $PAYLOAD_KEYS_FILE"
  fi
fi

children=()
stop_all() {
  trap - EXIT INT TERM
  if ((${#children[@]})); then
    echo; echo "Stopping..."
    kill -TERM "${children[@]}" 2>/dev/null || true
    wait "${children[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

wait_for() { # description, attempts (0.5 s each), command...
  local what=$1 attempts=$2; shift 2
  for ((i = 0; i < attempts; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    for pid in "${children[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "A process exited while waiting for $what; see the log above." >&2; exit 1; }
    done
    sleep 0.5
  done
  echo "Timed out waiting for $what" >&2; exit 1
}

# The embedded dev server: by default when no TEMPORAL_ADDRESS is given; TEMPORAL_DEV_SERVER=always runs
# it at TEMPORAL_ADDRESS (e.g. 127.0.0.1:7244 beside another instance), =never uses an existing cluster.
if [[ "$cfg_TEMPORAL_DEV_SERVER" == always || ( "$cfg_TEMPORAL_DEV_SERVER" == auto && -z "$address_given" ) ]]; then
  cli="$(bash scripts/obtain-temporal-cli.sh)"
  # The dynamic config values are config/temporal-dynamic.yaml's (eager activities: a decision answers sooner).
  # The CLI build can run its clock ahead for the timer tests; a product server never does.
  unset WALL_CLOCK_SHIFT_SECONDS
  host="${cfg_TEMPORAL_ADDRESS%:*}" port="${cfg_TEMPORAL_ADDRESS##*:}"
  ui_port="$(node -e 'console.log(new URL(process.argv[1]).port || 8233)' "$cfg_TEMPORAL_UI_URL")"
  echo "Starting Temporal dev server on $cfg_TEMPORAL_ADDRESS (state in $cfg_DATA_DIR/temporal.db, log in $cfg_DATA_DIR/logs/temporal.log)..."
  "$cli" server start-dev --db-filename "$cfg_DATA_DIR/temporal.db" --ip "$host" --port "$port" --ui-port "$ui_port" \
    --namespace "$cfg_TEMPORAL_NAMESPACE" --log-level warn \
    --dynamic-config-value system.enableActivityEagerExecution=true \
    --dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=true >"$cfg_DATA_DIR/logs/temporal.log" 2>&1 &
  children+=($!)
  wait_for "the Temporal dev server" 120 "$cli" operator cluster health --address "$cfg_TEMPORAL_ADDRESS"
  export TEMPORAL_ADDRESS="$cfg_TEMPORAL_ADDRESS"
fi

node dist/worker/main.js > >(sed -u 's/^/[worker] /') 2>&1 &
children+=($!)
node dist/api/main.js > >(sed -u 's/^/[api]    /') 2>&1 &
children+=($!)
api="http://$cfg_API_HOST:$cfg_API_PORT"
wait_for "the worker and the API (GET $api/ready)" 240 curl -fsS "$api/ready"

cat <<INFO

Zhengwu Flow is up.
  Web console   $api/console/   (sign in with a key from the file below; 中文 / English)
  API           $api
  API docs      $api/docs   (OpenAPI: $api/openapi.json)
  Rules         $api/rules   (every rule enforced, by jurisdiction, with its article; docs/RULES-CATALOGUE.md)
  Temporal UI   $cfg_TEMPORAL_UI_URL   (namespace $cfg_TEMPORAL_NAMESPACE)
  Temporal gRPC $cfg_TEMPORAL_ADDRESS
  API keys      ${AUTH_API_KEYS_FILE:-(SSO JWTs only)}   (send as "Authorization: Bearer <key>")
Press Ctrl-C to stop everything.

INFO
# Stay up while every child runs; if one dies, stop the rest.
wait -n "${children[@]}"
echo "A process exited; stopping the others." >&2
exit 1
