#!/usr/bin/env bash
# `npm test` (and .ci/run): obtains the servers the suites need (Temporal dev server, Java test
# server, the full Temporal server, PostgreSQL), type-checks, lints, runs every suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
# The pinned CLI build (its wall clock can be shifted for the timer tests), never another `temporal`.
TEMPORAL_CLI_PATH="$(TEMPORAL_CLI_PATH='' bash scripts/obtain-temporal-cli.sh)"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/obtain-test-server.sh)"
# The full Temporal server (PostgreSQL persistence) of the scale-path test, built once before the clock of any suite starts.
bash scripts/obtain-temporal-server.sh >/dev/null
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH
# Debian's Chromium for the console's end-to-end tests (playwright-core, headless).
CHROMIUM_PATH="$(bash scripts/obtain-chromium.sh)"
export CHROMIUM_PATH

# A real PostgreSQL server for the storage suites (each suite creates its own database in it).
pg="$(bash scripts/start-test-postgres.sh)"
TEST_DATABASE_URL="$(head -n 1 <<<"$pg")"
stop_pg="$(sed -n 2p <<<"$pg")"
trap 'eval "$stop_pg"' EXIT
export TEST_DATABASE_URL

# Emitted, not only checked: the console's API-client freshness test runs dist/scripts/console-api-types.js.
npx tsc -p tsconfig.json
npx tsc -p web/tsconfig.json
# No floating promises anywhere, no Node built-ins in workflow code (eslint.config.mjs).
npx eslint . --max-warnings 0
# The fault tests run the worker as its own process (dist/worker/main.js), as production does.
npx tsc -p tsconfig.build.json
# The console's end-to-end tests drive the built console, served by the API as npm start serves it.
npm run --silent build:console
npx jest "$@"
