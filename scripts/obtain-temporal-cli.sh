#!/usr/bin/env bash
# Prints the path of the Temporal CLI (the dev server) after making sure it exists: $TEMPORAL_CLI_PATH
# if set (npm start only; the tests always use the pinned build), else the pinned version
# (cache-dir.sh) built once from its Go module into the per-user cache.
#
# One build serves everything. It is compiled with `go install -overlay` that adds one line to Go's
# time.Now(): the wall clock runs WALL_CLOCK_SHIFT_SECONDS ahead (wall-clock-shift/wall_clock_shift.go).
# Without that variable the server behaves exactly like the plain CLI; the timer tests set it to
# restart a dev server weeks or years "later" and watch review, trial-run and retention timers fire.
#
# The first build downloads the CLI's modules and compiles about a thousand packages: several minutes
# on two cores. Progress goes to stderr every few seconds; the path is the only line on stdout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLI_PATH" ]] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go >= 1.25 is needed to build the Temporal CLI (go install); install it and run again" >&2; exit 1; }
# The overlay names files of this Go installation: a toolchain switch (GOTOOLCHAIN=auto fetching the
# go1.25 that the CLI's go.mod asks for) would build with another GOROOT and silently skip it.
export GOTOOLCHAIN=local

goroot="$(go env GOROOT)"
time_go="$goroot/src/time/time.go"
overlay_go="$here/wall-clock-shift/wall_clock_shift.go"
# The one changed line of time.Now(): after reading the clock, it adds the shift.
anchor=$'\tsec, nsec, mono := runtimeNow()'
inserted=$'\tsec += wallClockShiftSeconds'
# What the binary is made of is the cache key: this Go's time.go, the overlay and the changed line.
key="$( (cat "$time_go" "$overlay_go"; printf '%s\n%s\n' "$anchor" "$inserted") | sha256sum | cut -c1-12)"
bin_dir="$ZHENGWU_CACHE_DIR/temporal-cli-$TEMPORAL_CLI_VERSION-$(go env GOVERSION)-$key"
if [[ -x "$bin_dir/temporal" ]]; then echo "$bin_dir/temporal"; exit 0; fi

echo "Building the Temporal CLI $TEMPORAL_CLI_VERSION (dev server) from its Go module, once; it is cached in $ZHENGWU_CACHE_DIR." >&2
echo "  On two cores this takes about 6–10 minutes the first time (module downloads, then ~1,000 packages)." >&2
work="$(mktemp -d "$ZHENGWU_CACHE_DIR/cli-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

[[ "$(grep -cxF "$anchor" "$time_go")" == 1 ]] || { echo "time.Now() in $time_go has changed shape; update $0" >&2; exit 1; }
awk -v anchor="$anchor" -v inserted="$inserted" '{ print } $0 == anchor { print inserted }' "$time_go" >"$work/time.go"
cp "$overlay_go" "$work/wall_clock_shift.go"
printf '{"Replace":{"%s":"%s","%s":"%s"}}\n' \
  "$time_go" "$work/time.go" "$goroot/src/time/wall_clock_shift.go" "$work/wall_clock_shift.go" >"$work/overlay.json"

# Prove the overlay takes effect before spending minutes on the server: a one-day shift must show,
# and no shift must leave the clock alone.
mkdir -p "$work/probe"
printf 'package main\n\nimport (\n\t"fmt"\n\t"time"\n)\n\nfunc main() { fmt.Println(time.Now().Unix()) }\n' >"$work/probe/main.go"
(cd "$work/probe" && go build -overlay "$work/overlay.json" -o probe main.go)
shifted="$(WALL_CLOCK_SHIFT_SECONDS=86400 "$work/probe/probe")"
(( shifted - $(date +%s) > 86000 )) || { echo "the wall-clock overlay had no effect (probe read $shifted)" >&2; exit 1; }
plain="$("$work/probe/probe")"
(( plain - $(date +%s) < 60 )) || { echo "the wall-clock overlay shifts the clock without WALL_CLOCK_SHIFT_SECONDS (probe read $plain)" >&2; exit 1; }

# go install -v names each package as it is compiled; a summary line every 15 s shows the build moving.
log="$work/build.log"
GOBIN="$work/bin" go install -v -overlay "$work/overlay.json" "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >"$log" 2>&1 &
build=$!
started=$SECONDS
while kill -0 "$build" 2>/dev/null; do
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do kill -0 "$build" 2>/dev/null && sleep 1; done
  kill -0 "$build" 2>/dev/null || break
  elapsed=$((SECONDS - started))
  downloads="$(grep -c '^go: downloading' "$log" || true)"
  compiled="$(grep -vc '^go: ' "$log" || true)"
  last="$(grep -v '^go: ' "$log" | tail -n 1 || true)"
  printf '  [%dm%02ds] %s modules downloaded, %s packages compiled%s\n' $((elapsed / 60)) $((elapsed % 60)) "$downloads" "$compiled" "${last:+ (now $last)}" >&2
done
if ! wait "$build"; then
  tail -n 40 "$log" >&2
  echo "Building the Temporal CLI failed (the last lines of go install are above)" >&2
  exit 1
fi
elapsed=$((SECONDS - started))
echo "  Temporal CLI built in $((elapsed / 60))m$(printf '%02d' $((elapsed % 60)))s: $(grep -vc '^go: ' "$log" || true) packages." >&2
rm -rf "$bin_dir" && mkdir -p "$(dirname "$bin_dir")" && mv "$work/bin" "$bin_dir"
echo "$bin_dir/temporal"
