#!/usr/bin/env bash
# Measures how long Temporal's Java test server (through the wrapper scripts/obtain-test-server.sh
# makes) takes to accept connections, idle and with both cores busy. The SDK allows about 5 s.
# Usage: bash bench/test-server-startup.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-10}"
wrapper="$(bash scripts/obtain-test-server.sh)"

# The same server without the wrapper's tuning (no AppCDS archive, full JIT tiering), for comparison.
plain() { exec java -cp "$(cat "$(dirname "$wrapper")/classpath.txt")" io.temporal.testserver.TestServer "$@"; }

measure() { # command; prints milliseconds until the port accepts a TCP connection
  local port=$(( 20000 + RANDOM % 20000 )) start pid
  start=$(date +%s%N)
  "$1" "$port" >/dev/null 2>&1 & pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.01; done
  echo $(( ($(date +%s%N) - start) / 1000000 ))
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
}

report() { # label, samples...
  local label=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v label="$label" '{ a[NR] = $1; s += $1 } END {
    printf "%-40s n=%d  min=%d ms  median=%d ms  mean=%d ms  max=%d ms\n", label, NR, a[1], a[int((NR + 1) / 2)], s / NR, a[NR] }'
}

run_all() { # label
  local tuned=() untuned=()
  for _ in $(seq "$runs"); do tuned+=("$(measure "$wrapper")"); untuned+=("$(measure plain)"); done
  report "$1, wrapper (AppCDS, C1)" "${tuned[@]}"
  report "$1, plain java" "${untuned[@]}"
}

run_all idle

# Load: one busy loop per core, as when Jest, the dev server and webpack run at once.
burners=(); for _ in $(seq "$(nproc)"); do (while :; do :; done) & burners+=($!); done
run_all "all cores busy"
kill "${burners[@]}"
