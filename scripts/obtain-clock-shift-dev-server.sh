#!/usr/bin/env bash
# Prints the path of a Temporal CLI dev server whose wall clock can be shifted, after making sure it
# exists. Only the timer tests use it: they SIGKILL the server and restart it weeks or years "later"
# (WALL_CLOCK_SHIFT_SECONDS) to watch trial-run, review and retention timers fire after the restart —
# real timers are days to years away and a dev server cannot skip time.
#
# It is the same pinned module as obtain-temporal-cli.sh, built with `go build -overlay` that changes
# one line of Go's time package: time.Now() adds the shift (wall-clock-shift/wall_clock_shift.go).
# Nothing else in the server differs; without the variable it behaves exactly like the plain build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"

if [[ -n "${TEMPORAL_CLOCK_SHIFT_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLOCK_SHIFT_CLI_PATH" ]] || { echo "TEMPORAL_CLOCK_SHIFT_CLI_PATH=$TEMPORAL_CLOCK_SHIFT_CLI_PATH is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLOCK_SHIFT_CLI_PATH"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the clock-shift dev server; install Go >= 1.23" >&2; exit 1; }

goroot="$(go env GOROOT)"
time_go="$goroot/src/time/time.go"
overlay_go="$here/wall-clock-shift/wall_clock_shift.go"
# The patched time.go comes from this Go installation, so the cache key names the Go version.
key="$(cat "$time_go" "$overlay_go" | sha256sum | cut -c1-12)"
bin_dir="$ZHENGWU_CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION-clock-shift-$(go env GOVERSION)-$key"
if [[ ! -x "$bin_dir/temporal" ]]; then
  echo "Building the clock-shift dev server ($TEMPORAL_CLI_VERSION, first time only, a few minutes)..." >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # The one changed line: after reading the clock, Now() adds the shift.
  anchor=$'\tsec, nsec, mono := runtimeNow()'
  [[ "$(grep -cxF "$anchor" "$time_go")" == 1 ]] || { echo "time.Now() in $time_go has changed shape; update $0" >&2; exit 1; }
  awk -v anchor="$anchor" '{ print } $0 == anchor { print "\tsec += wallClockShiftSeconds" }' "$time_go" >"$work/time.go"
  cp "$overlay_go" "$work/wall_clock_shift.go"
  printf '{"Replace":{"%s":"%s","%s":"%s"}}\n' \
    "$time_go" "$work/time.go" "$goroot/src/time/wall_clock_shift.go" "$work/wall_clock_shift.go" >"$work/overlay.json"
  mkdir -p "$bin_dir.tmp"
  GOBIN="$bin_dir.tmp" go install -overlay "$work/overlay.json" "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
  rm -rf "$bin_dir" && mv "$bin_dir.tmp" "$bin_dir"
fi
echo "$bin_dir/temporal"
