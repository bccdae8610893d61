#!/usr/bin/env bash
# Prints the path of a Temporal CLI (the dev server) after making sure it exists.
# Order: $TEMPORAL_CLI_PATH, a `temporal` on PATH, then the pinned version (cache-dir.sh) built from
# its Go module into the per-user cache.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLI_PATH" ]] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  command -v temporal; exit 0
fi

bin_dir="$ZHENGWU_CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION"
if [[ ! -x "$bin_dir/temporal" ]]; then
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal CLI (go install); install Go >= 1.25" >&2; exit 1; }
  echo "Building Temporal CLI $TEMPORAL_CLI_VERSION with go install (first time only, a few minutes)..." >&2
  mkdir -p "$bin_dir.tmp"
  GOBIN="$bin_dir.tmp" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
  rm -rf "$bin_dir" && mv "$bin_dir.tmp" "$bin_dir"
fi
echo "$bin_dir/temporal"
