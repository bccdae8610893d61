#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lockfile, exactly as
# package-lock.json pins them: `npm ci` never rewrites the lockfile and fails if package.json and the
# lockfile disagree, so a fresh clone stays clean and CI catches a lockfile that was not committed.
# better-sqlite3 compiles from source here (no prebuilt download), which takes about a minute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json || package.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
fi
