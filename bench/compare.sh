#!/usr/bin/env bash
# Server CPU time per request of edge-wsgi from several checkouts (before and after a change)
# and of the Hono route that reads every request header, all loaded at the same time: every
# server pinned to CPU 1, each loaded by its own wrk pinned to CPU 0, in rounds of DURATION
# seconds. Servers that run at the same moment share whatever else the machine does, so on a
# busy machine their differences hold better than those of servers measured in turn, seconds
# apart (bench/run.sh with INTERLEAVE=1). For an A/B of one change; npm run bench stays the
# benchmark of record.
#
#   bash bench/compare.sh /tmp/before "$PWD"
#   RUNTIME=deno SHAPE=string ACCESS_LOG=1 ROUNDS=10 bash bench/compare.sh /tmp/before "$PWD"
#
# Each checkout serves its own bench/hello_wsgi.ts (so it must have one); the Hono route is
# this checkout's bench/hello_hono.ts with READ_HEADERS=1. It prints each round, then per
# server the median µs per request, the median of the rounds' ratios Hono reading headers' ÷
# it, and the median of the rounds' differences from the first checkout.
#
# Environment: RUNTIME (bun or deno, default bun), SHAPE (default bytes_length), ACCESS_LOG
# (1 for the access log on, lines to /dev/null), ROUNDS (default 10), DURATION (default 3),
# WARMUP (default 3), CONNECTIONS per wrk (default 25), DENO, BUN, WRK.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
(($# > 0)) || {
  echo "usage: bash bench/compare.sh CHECKOUT [CHECKOUT...]" >&2
  exit 2
}
RUNTIME="${RUNTIME:-bun}"
SHAPE="${SHAPE:-bytes_length}"
ACCESS_LOG="${ACCESS_LOG:-0}"
ROUNDS="${ROUNDS:-10}"
DURATION="${DURATION:-3}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-25}"
WRK="${WRK:-wrk}"
# shellcheck source=bench/find_binary.sh
source "$ROOT/bench/find_binary.sh"
# shellcheck source=bench/processes.sh
source "$ROOT/bench/processes.sh"
DENO="${DENO:-$(find_binary deno)}"
BUN="${BUN:-$(find_binary bun)}"
case "$RUNTIME" in
  deno) RUN=("$DENO" run --allow-net --allow-env --allow-read) ;;
  bun) RUN=("$BUN" run) ;;
  *)
    echo "error: RUNTIME must be bun or deno, not '$RUNTIME'" >&2
    exit 2
    ;;
esac
for checkout in "$@"; do
  [[ -f "$checkout/bench/hello_wsgi.ts" ]] || {
    echo "error: $checkout has no bench/hello_wsgi.ts" >&2
    exit 2
  }
done
command -v "$WRK" >/dev/null || {
  echo "error: wrk not found (apt-get install -y wrk)" >&2
  exit 1
}

WORK="$(mktemp -d)"
PIDS=()
NAMES=()
URLS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME DIR FILE [VAR=VALUE...]: starts DIR/FILE on CPU 1 with PORT=0 and the variables,
# and waits for its listening line (on standard error when the access log writes standard
# output, whose lines are written, as a user's are, to /dev/null).
start() {
  local name="$1" dir="$2" file="$3" log="$WORK/${#PIDS[@]}.log" out
  shift 3
  out="$log"
  [[ "$name" != hono_headers && "$ACCESS_LOG" == 1 ]] && out=/dev/null
  (cd "$dir" && exec env PORT=0 "$@" taskset -c 1 "${RUN[@]}" "$file" >>"$out" 2>>"$log") &
  PIDS+=($!)
  NAMES+=("$name")
  local url=""
  for _ in $(seq 400); do
    url="$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*/' "$log" 2>/dev/null || true)"
    [[ -n "$url" ]] && break
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.05
  done
  [[ -n "$url" ]] || {
    echo "error: $name did not start:" >&2
    cat "$log" >&2
    exit 1
  }
  URLS+=("$url")
}

start hono_headers "$ROOT" bench/hello_hono.ts READ_HEADERS=1
index=0
for checkout in "$@"; do
  start "$index:$(basename "$checkout")" "$checkout" bench/hello_wsgi.ts SHAPE="$SHAPE" \
    ACCESS_LOG="$ACCESS_LOG"
  index=$((index + 1))
done

HZ="$(getconf CLK_TCK)"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The subshells exec the runtime (env and taskset exec it too): their PIDs are the servers'.
SERVER_PIDS=("${PIDS[@]}")

# load SECONDS: every server loaded at once; per server µs/request into $WORK/now.K
load() {
  local seconds="$1" k before=() wrks=()
  for k in "${!URLS[@]}"; do before[k]="$(ticks "${SERVER_PIDS[k]}")"; done
  for k in "${!URLS[@]}"; do
    taskset -c 0 "$WRK" -t1 -c"$CONNECTIONS" -d"${seconds}s" "${URLS[k]}" >"$WORK/wrk.$k" &
    wrks+=($!)
  done
  wait "${wrks[@]}"
  for k in "${!URLS[@]}"; do
    kill -0 "${SERVER_PIDS[k]}" 2>/dev/null || {
      echo "error: ${NAMES[k]} died" >&2
      exit 1
    }
    awk -v t="$(($(ticks "${SERVER_PIDS[k]}") - before[k]))" -v hz="$HZ" \
      '/requests in/ { printf "%.2f\n", t * 1e6 / hz / $1 }' "$WORK/wrk.$k" >"$WORK/now.$k"
  done
}

echo "$RUNTIME, SHAPE=$SHAPE, ACCESS_LOG=$ACCESS_LOG: $ROUNDS rounds of ${DURATION}s, all servers at once" >&2
load "$WARMUP"
for round in $(seq "$ROUNDS"); do
  load "$DURATION"
  line="round $round:"
  for k in "${!URLS[@]}"; do
    cat "$WORK/now.$k" >>"$WORK/all.$k"
    line+=" ${NAMES[k]}=$(cat "$WORK/now.$k")"
  done
  echo "$line" >&2
done

echo
echo "| server | µs/req | Hono reading headers' ÷ it | − the first checkout |"
echo "| ------ | -----: | -------------------------: | -------------------: |"
for k in "${!URLS[@]}"; do
  ratio="$(paste -d' ' "$WORK/all.0" "$WORK/all.$k" | awk '{ print $1 / $2 }' | median_of_lines)"
  difference="-"
  if ((k > 0)); then
    difference="$(paste -d' ' "$WORK/all.1" "$WORK/all.$k" | awk '{ print $2 - $1 }' | median_of_lines |
      awk '{ printf "%+.2f", $1 }')"
  fi
  printf '| %s | %.2f | %.3f | %s |\n' "${NAMES[k]}" "$(median_of_lines <"$WORK/all.$k")" "$ratio" \
    "$difference"
done
