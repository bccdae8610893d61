#!/usr/bin/env bash
# Prints the directory of the full Temporal server (the scale path of docker-compose.yml: Temporal on
# PostgreSQL) after making sure it exists: `temporal-server`, its SQL schema tool `temporal-sql-tool`,
# and `schema/` (the PostgreSQL schema files the module ships). Built once from the Go module of the
# version the pinned CLI embeds, into the per-user cache; later calls are instant.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"
version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
dir="$ZHENGWU_CACHE_DIR/temporal-server-$version"
if [[ -x "$dir/temporal-server" && -x "$dir/temporal-sql-tool" && -d "$dir/schema/postgresql" ]]; then echo "$dir"; exit 0; fi

command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal server (go install); install it and run again" >&2; exit 1; }
export GOTOOLCHAIN=local
echo "Building the Temporal server $version and its SQL tool from the Go module, once; cached in $dir." >&2
echo "  On two cores this takes several minutes the first time." >&2
work="$(mktemp -d "$ZHENGWU_CACHE_DIR/server-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
GOBIN="$work/bin" go install "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; exit 1; }
mkdir -p "$dir"
# The schema files ship in the module; copied beside the binaries so a cleaned module cache does not lose them.
rm -rf "$dir/schema" && cp -r "$(go env GOMODCACHE)/go.temporal.io/server@$version/schema" "$dir/schema" && chmod -R u+w "$dir/schema"
mv "$work/bin/sql" "$dir/temporal-sql-tool"
mv "$work/bin/server" "$dir/temporal-server"
echo "$dir"
