#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lockfile.
# `npm install`, not `npm ci`: the registry this project is built against does not serve every
# platform's optional binaries (e.g. @swc/core-darwin-*), so the lockfile lacks their entries and
# `npm ci` refuses it as "out of sync"; `npm install` honours the locked versions and skips them.
# better-sqlite3 compiles from source here (no prebuilt download), which takes about a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json || package.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing dependencies..." >&2
  npm install --no-audit --no-fund >&2
fi
