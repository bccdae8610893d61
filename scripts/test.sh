#!/usr/bin/env bash
# `npm test` (and .ci/run): obtains the Temporal servers the suites need, type-checks, runs every suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
TEMPORAL_CLI_PATH="$(bash scripts/obtain-temporal-cli.sh)"
TEMPORAL_TEST_SERVER_PATH="$(bash scripts/obtain-test-server.sh)"
export TEMPORAL_CLI_PATH TEMPORAL_TEST_SERVER_PATH

npx tsc -p tsconfig.json --noEmit
npx jest "$@"
