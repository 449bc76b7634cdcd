#!/usr/bin/env bash
# Throughput of edge-wsgi against a raw Fetch handler that sends the same bytes, on Deno and Bun.
#
#   bash bench/run.sh        (or: npm run bench)
#
# For each runtime (deno, then bun) and each round, it starts the raw server and the WSGI
# server in turn (ABBA order: raw/wsgi, then wsgi/raw, … so drift cancels), each on a free
# port on 127.0.0.1, warms it up, measures it with one wrk thread, and stops it. It prints
# the median requests per second of each, their ratio, and the median latency percentiles
# as a Markdown table.
#
# Environment:
#   DURATION     measured seconds per run (default 10; "10" or "10s")
#   ROUNDS       rounds per runtime (default 3; each round runs both servers once)
#   WARMUP       warm-up seconds before each measurement (default 2)
#   CONNECTIONS  wrk connections (default 50)
#   RUNTIMES     which runtimes, in order (default "deno bun")
#   DENO, BUN    the runtime binaries (default: node_modules/.bin, else PATH)
#   WRK          the wrk binary (default: wrk)
#   PIN          set to 1 to pin wrk to CPU 0 and the server to CPU 1 with taskset
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

seconds() { # "10" or "10s" -> "10"; anything else is an error
  local value="${1%s}"
  [[ "$value" =~ ^[0-9]+$ && "$value" -gt 0 ]] || {
    echo "error: $2 must be a positive number of seconds, not '$1'" >&2
    exit 2
  }
  echo "$value"
}
DURATION="$(seconds "${DURATION:-10}" DURATION)"
WARMUP="$(seconds "${WARMUP:-2}" WARMUP)"
ROUNDS="${ROUNDS:-3}"
[[ "$ROUNDS" =~ ^[0-9]+$ && "$ROUNDS" -gt 0 ]] || {
  echo "error: ROUNDS must be a positive integer, not '$ROUNDS'" >&2
  exit 2
}
CONNECTIONS="${CONNECTIONS:-50}"
RUNTIMES="${RUNTIMES:-deno bun}"
WRK="${WRK:-wrk}"
PIN="${PIN:-0}"

find_binary() { # name -> path, preferring the project's own copy
  if [[ -x "$ROOT/node_modules/.bin/$1" ]]; then
    echo "$ROOT/node_modules/.bin/$1"
  elif command -v "$1" >/dev/null; then
    command -v "$1"
  else
    echo "error: $1 not found (npm install, or set ${1^^}=/path/to/$1)" >&2
    exit 1
  fi
}
DENO="${DENO:-$(find_binary deno)}"
BUN="${BUN:-$(find_binary bun)}"
command -v "$WRK" >/dev/null || {
  echo "error: wrk not found (apt-get install -y wrk)" >&2
  exit 1
}
WRK_PREFIX=()
SERVER_PREFIX=()
if [[ "$PIN" == 1 ]]; then
  WRK_PREFIX=(taskset -c 0)
  SERVER_PREFIX=(taskset -c 1)
fi

WORK="$(mktemp -d)"
SERVER_PID=""
WRK_PID=""
DISTURBED=0

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  if [[ -n "$WRK_PID" ]]; then kill "$WRK_PID" 2>/dev/null || true; fi
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HZ="$(getconf CLK_TCK)"
# CPU time in clock ticks: the whole machine busy, one process, this shell's reaped children.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
process_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# (`times` must run in this shell, not in a $(...) subshell, to see wrk; hence the file.)
children_ticks() {
  times >"$WORK/times"
  awk -v hz="$HZ" 'NR == 2 {
    split($1, u, /[ms]/); split($2, s, /[ms]/)
    printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz
  }' "$WORK/times" >"$WORK/ticks"
  read -r "$1" <"$WORK/ticks"
}

# start_server RUNTIME KIND: starts bench/hello_KIND.ts on a free port; sets SERVER_PID and URL.
start_server() {
  local runtime="$1" kind="$2" log="$WORK/server.log"
  local -a command
  case "$runtime" in
    deno) command=("$DENO" run --allow-net --allow-env --allow-read "bench/hello_$kind.ts") ;;
    bun) command=("$BUN" run "bench/hello_$kind.ts") ;;
    *)
      echo "error: unknown runtime '$runtime'" >&2
      exit 2
      ;;
  esac
  : >"$log"
  PORT=0 "${SERVER_PREFIX[@]}" "${command[@]}" >"$log" 2>&1 &
  SERVER_PID=$!
  URL=""
  for _ in $(seq 200); do
    URL="$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*/' "$log" || true)"
    [[ -n "$URL" ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.05
  done
  if [[ -z "$URL" ]]; then
    echo "error: $runtime $kind server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
}

# run_wrk ARGS...: wrk with one thread, in the background so that a signal stops the run at once
# (bash runs traps only after a foreground child exits, but interrupts `wait`).
run_wrk() {
  "${WRK_PREFIX[@]}" "$WRK" -t1 -c"$CONNECTIONS" "$@" &
  WRK_PID=$!
  wait "$WRK_PID"
  WRK_PID=""
}

# to_ms VALUE: wrk's "812.00us" / "1.23ms" / "2.00s" -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.2f", n
  }'
}

# measure RUNTIME KIND: one fresh server, warmed up, measured; appends "rps p50 p99" to a file.
measure() {
  local runtime="$1" kind="$2" out="$WORK/wrk.txt"
  start_server "$runtime" "$kind"
  run_wrk -d"${WARMUP}s" "$URL" >/dev/null
  local busy0 server0 wrk0 busy1 server1 wrk1
  busy0="$(busy_ticks)" server0="$(process_ticks "$SERVER_PID")"
  children_ticks wrk0
  run_wrk -d"${DURATION}s" --latency "$URL" >"$out"
  children_ticks wrk1
  busy1="$(busy_ticks)" server1="$(process_ticks "$SERVER_PID")"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "error: $runtime $kind server died during the run:" >&2
    cat "$WORK/server.log" >&2
    exit 1
  fi
  stop_server
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    echo "error: $runtime $kind server answered with errors:" >&2
    cat "$out" >&2
    exit 1
  fi
  local rps p50 p99
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  p50="$(awk '$1 == "50%" { print $2 }' "$out")"
  p99="$(awk '$1 == "99%" { print $2 }' "$out")"
  if [[ -z "$rps" || -z "$p50" || -z "$p99" ]]; then
    echo "error: could not read wrk's output:" >&2
    cat "$out" >&2
    exit 1
  fi
  p50="$(to_ms "$p50")"
  p99="$(to_ms "$p99")"
  local errors requests server_us other
  errors="$(grep -m1 'Socket errors' "$out" | sed 's/^ *//' || true)"
  requests="$(awk '/requests in/ { print $1 }' "$out")"
  # The server's CPU time per request, and how busy the rest of the machine was meanwhile
  # (everything but the server and wrk, in % of one CPU): above a few %, the run was disturbed.
  server_us="$(awk -v t="$((server1 - server0))" -v n="$requests" -v hz="$HZ" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
  other="$(awk -v b="$((busy1 - busy0 - (server1 - server0) - (wrk1 - wrk0)))" -v d="$DURATION" \
    -v hz="$HZ" 'BEGIN { v = b * 100 / hz / d; printf "%.0f", (v < 0 ? 0 : v) }')"
  printf '  %-4s %-4s round %d: %8.0f req/s  p50 %5s ms  p99 %5s ms  server %5s us/req  others %3s%% CPU  %s\n' \
    "$runtime" "$kind" "$round" "$rps" "$p50" "$p99" "$server_us" "$other" "$errors" >&2
  echo "$rps $p50 $p99" >>"$WORK/$runtime.$kind"
  ((other <= 10)) || DISTURBED=$((DISTURBED + 1))
}

# median COLUMN FILE
median() {
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "edge-wsgi bench: wrk -t1 -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP}s), $ROUNDS rounds, median" >&2
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
for runtime in $RUNTIMES; do
  case "$runtime" in
    deno) echo "deno $("$DENO" --version | head -1 | cut -d' ' -f2)" >&2 ;;
    bun) echo "bun $("$BUN" --version)" >&2 ;;
  esac
  for round in $(seq "$ROUNDS"); do
    if ((round % 2)); then order="raw reads wsgi"; else order="wsgi reads raw"; fi
    for kind in $order; do measure "$runtime" "$kind"; done
  done
done

echo
echo "| runtime | raw req/s | reads req/s | edge-wsgi req/s | edge-wsgi ÷ raw | edge-wsgi ÷ reads | raw p50 / p99 (ms) | edge-wsgi p50 / p99 (ms) |"
echo "| ------- | --------: | ----------: | --------------: | --------------: | ----------------: | -----------------: | -----------------------: |"
for runtime in $RUNTIMES; do
  raw="$(median 1 "$WORK/$runtime.raw")"
  reads="$(median 1 "$WORK/$runtime.reads")"
  wsgi="$(median 1 "$WORK/$runtime.wsgi")"
  awk -v rt="$runtime" -v raw="$raw" -v reads="$reads" -v wsgi="$wsgi" \
    -v rp50="$(median 2 "$WORK/$runtime.raw")" -v rp99="$(median 3 "$WORK/$runtime.raw")" \
    -v wp50="$(median 2 "$WORK/$runtime.wsgi")" -v wp99="$(median 3 "$WORK/$runtime.wsgi")" \
    'BEGIN { printf "| %s | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f / %.2f | %.2f / %.2f |\n",
      rt, raw, reads, wsgi, wsgi / raw, wsgi / reads, rp50, rp99, wp50, wp99 }'
done
echo
for runtime in $RUNTIMES; do
  awk -v rt="$runtime" -v raw="$(median 1 "$WORK/$runtime.raw")" \
    -v wsgi="$(median 1 "$WORK/$runtime.wsgi")" 'BEGIN {
      ratio = wsgi / raw
      printf "%s: edge-wsgi keeps %.1f%% of raw req/s; target >= 90%%: %s\n",
        rt, ratio * 100, (ratio >= 0.9 ? "met" : "NOT met")
    }'
done
if ((DISTURBED > 0)); then
  echo "warning: in $DISTURBED run(s) other processes used over 10% of a CPU; rerun on a quiet machine"
fi
