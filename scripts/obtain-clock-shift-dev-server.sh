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

if [[ -n "${TEMPORAL_CLOCK_SHIFT_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLOCK_SHIFT_CLI_PATH" ]] || { echo "TEMPORAL_CLOCK_SHIFT_CLI_PATH=$TEMPORAL_CLOCK_SHIFT_CLI_PATH is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLOCK_SHIFT_CLI_PATH"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the clock-shift dev server; install Go >= 1.25" >&2; exit 1; }
# The overlay names files of this Go installation: a toolchain switch (GOTOOLCHAIN=auto fetching the
# go1.25 that the CLI's go.mod asks for) would build with another GOROOT and silently skip it.
export GOTOOLCHAIN=local

goroot="$(go env GOROOT)"
time_go="$goroot/src/time/time.go"
overlay_go="$here/wall-clock-shift/wall_clock_shift.go"
# The patched time.go comes from this Go installation and this script, so both are in the cache key.
key="$(cat "$time_go" "$overlay_go" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)"
bin_dir="$ZHENGWU_CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION-clock-shift-$(go env GOVERSION)-$key"
if [[ ! -x "$bin_dir/temporal" ]]; then
  echo "Building the clock-shift dev server ($TEMPORAL_CLI_VERSION, first time only, a few minutes)..." >&2
  work="$(mktemp -d "$ZHENGWU_CACHE_DIR/clock-shift-build.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # The one changed line: after reading the clock, Now() adds the shift.
  anchor=$'\tsec, nsec, mono := runtimeNow()'
  [[ "$(grep -cxF "$anchor" "$time_go")" == 1 ]] || { echo "time.Now() in $time_go has changed shape; update $0" >&2; exit 1; }
  awk -v anchor="$anchor" '{ print } $0 == anchor { print "\tsec += wallClockShiftSeconds" }' "$time_go" >"$work/time.go"
  cp "$overlay_go" "$work/wall_clock_shift.go"
  printf '{"Replace":{"%s":"%s","%s":"%s"}}\n' \
    "$time_go" "$work/time.go" "$goroot/src/time/wall_clock_shift.go" "$work/wall_clock_shift.go" >"$work/overlay.json"

  # Prove the overlay takes effect before spending minutes on the server: a one-day shift must show.
  mkdir -p "$work/probe"
  printf 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() { fmt.Println(time.Now().Unix()) }\n' >"$work/probe/main.go"
  (cd "$work/probe" && go build -overlay "$work/overlay.json" -o probe main.go)
  shifted="$(WALL_CLOCK_SHIFT_SECONDS=86400 "$work/probe/probe")"
  (( shifted - $(date +%s) > 86000 )) || { echo "the wall-clock overlay had no effect (probe read $shifted)" >&2; exit 1; }

  GOBIN="$work/bin" go install -overlay "$work/overlay.json" "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2
  rm -rf "$bin_dir" && mv "$work/bin" "$bin_dir"
fi
echo "$bin_dir/temporal"
