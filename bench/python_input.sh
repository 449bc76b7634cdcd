#!/usr/bin/env bash
# wsgi.input of a Python app (issue 18), on Deno and on Bun, one server process each:
#
# 1. Small reads: the time to POST a SIZE_MB body (default 50) that the app reads with read(37)
#    until the end, against the same body read whole with read(); the ratio is the goal
#    ("no more than 3x"). Each is the median of ROUNDS uploads (curl's time_total).
# 2. Memory: the worker's peak RSS while a BIG_MB body (default 200) is read whole and echoed
#    back, above its RSS when idle (a fresh worker, after loading Python and one request), as a
#    multiple of the body's size (the goal: about 2x at most); and the same for the TypeScript
#    echo (bench/input_echo.ts) for comparison.
#
#   bash bench/python_input.sh
#
# Environment: SIZE_MB, BIG_MB, ROUNDS (default 3), PIECE (default 37), WARMUP (uploads of 64 KiB
# read in pieces before measuring, default 300), RUNTIMES (default "deno bun"), DENO, BUN.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZE_MB="${SIZE_MB:-50}"
BIG_MB="${BIG_MB:-200}"
ROUNDS="${ROUNDS:-3}"
PIECE="${PIECE:-37}"
WARMUP="${WARMUP:-300}"
RUNTIMES="${RUNTIMES:-deno bun}"
# shellcheck source=bench/find_binary.sh
source "$ROOT/bench/find_binary.sh"
# shellcheck source=bench/processes.sh
source "$ROOT/bench/processes.sh"
DENO="${DENO:-$(find_binary deno)}"
BUN="${BUN:-$(find_binary bun)}"

WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom >"$WORK/body"
head -c "$((BIG_MB * 1024 * 1024))" /dev/urandom >"$WORK/big"
head -c "$((64 * 1024))" /dev/urandom >"$WORK/small"

status_kb() { awk -v key="$2:" '$1 == key { print $2 }' /proc/"$1"/status; }

# start RUNTIME FILE: one server process with FILE mounted at /in; sets SERVER_PID and URL.
start() {
  local port
  port="$(free_port)"
  local command=("$BUN" run mod.ts)
  [[ "$1" == deno ]] && command=("$DENO" run -A mod.ts)
  command+=(--port "$port" --access-log off --max-body-size "$(((BIG_MB > SIZE_MB ? BIG_MB : SIZE_MB) * 1024 * 1024 + 1048576))"
    --mount "/in=$2" --python-snapshot "$WORK/snapshots")
  [[ "$2" == *.py ]] && command+=(--preload)
  "${command[@]}" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  URL="http://127.0.0.1:$port/in"
  for _ in $(seq 1200); do
    curl -s -o /dev/null "$URL/" -d x && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "error: $1 did not start:" >&2
  tail -n 20 "$WORK/server.log" >&2
  exit 1
}

# upload PATH FILE EXPECTED: POSTs FILE, checks the answer, prints curl's time_total in seconds.
upload() {
  local answer time
  answer="$(curl -s -w '%{time_total}' --data-binary @"$2" -H 'Content-Type: application/octet-stream' "$URL$1")"
  time="${answer##*$'\n'}"
  [[ "${answer%$'\n'*}" == "$3" ]] || {
    echo "error: $URL$1 answered '${answer%$'\n'*}', not '$3'" >&2
    exit 1
  }
  echo "$time"
}

# worker_pid: the server's worker process (the command line runs an arbiter and one worker).
worker_pid() {
  local child
  for child in $(cat /proc/"$SERVER_PID"/task/*/children 2>/dev/null); do echo "$child"; return; done
  echo "$SERVER_PID"
}

# echo_peak: POSTs the big body to /echo, checks it comes back whole, prints the worker's RSS
# when idle and its peak above that, in MiB (the peak is reset first: /proc/PID/clear_refs,
# Linux 4.0+).
echo_peak() {
  local idle peak worker
  worker="$(worker_pid)"
  idle="$(status_kb "$worker" VmRSS)"
  echo 5 >/proc/"$worker"/clear_refs
  curl -s -o "$WORK/echoed" --data-binary @"$WORK/big" -H 'Content-Type: application/octet-stream' "$URL/echo"
  cmp -s "$WORK/echoed" "$WORK/big" || {
    echo "error: the echo of $BIG_MB MB did not come back whole" >&2
    exit 1
  }
  rm -f "$WORK/echoed"
  peak="$(status_kb "$worker" VmHWM)"
  echo "$((idle / 1024)) $(((peak - idle) / 1024))"
}

echo "wsgi.input bench: $SIZE_MB MiB in read($PIECE) against read(), median of $ROUNDS;" \
  "peak RSS echoing $BIG_MB MiB ($(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg))" >&2
declare -A RESULT
for runtime in $RUNTIMES; do
  start "$runtime" bench/python/input.py
  # The engine compiles Python's interpreter again, optimised, once it has run a while; a call
  # already running keeps the code it started with (V8 has no on-stack replacement for
  # WebAssembly), so the measured uploads come after some small ones.
  for _ in $(seq "$WARMUP"); do upload "/pieces?$PIECE" "$WORK/small" "$((64 * 1024))" >/dev/null; done
  whole=$(for _ in $(seq "$ROUNDS"); do upload / "$WORK/body" "$((SIZE_MB * 1024 * 1024))"; done | median_of_lines)
  pieces=$(for _ in $(seq "$ROUNDS"); do upload "/pieces?$PIECE" "$WORK/body" "$((SIZE_MB * 1024 * 1024))"; done | median_of_lines)
  stop_server
  # A fresh worker for the echo: its memory has held no large body yet.
  start "$runtime" bench/python/input.py
  read -r idle above < <(echo_peak)
  stop_server
  start "$runtime" bench/input_echo.ts
  read -r ts_idle ts_above < <(echo_peak)
  stop_server
  RESULT[$runtime]="$whole $pieces $idle $above $ts_idle $ts_above"
  echo "  $runtime: read() ${whole}s, read($PIECE) ${pieces}s; echo: idle ${idle} MiB, peak +${above} MiB (TypeScript: idle ${ts_idle}, +${ts_above})" >&2
done

echo
echo "| runtime | ${SIZE_MB} MiB, read() (s) | in read($PIECE) (s) | ratio (goal ≤ 3) | echo ${BIG_MB} MiB: idle RSS (MiB) | peak above idle (MiB) | × body (goal ≤ ~2) | TypeScript echo: peak above idle (MiB) |"
echo "| ------- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for runtime in $RUNTIMES; do
  read -r whole pieces idle above ts_idle ts_above <<<"${RESULT[$runtime]}"
  awk -v r="$runtime" -v w="$whole" -v p="$pieces" -v i="$idle" -v a="$above" -v t="$ts_above" -v big="$BIG_MB" 'BEGIN {
    printf "| %s | %.2f | %.2f | %.2f | %d | %d | %.2f | %d |\n", r, w, p, p / w, i, a, a / big, t
  }'
done
