#!/usr/bin/env bash
# Static files: edge-wsgi (Bun and Deno) against nginx serving the same folder, in one run.
#
#   bash bench/static.sh        (or: npm run bench:static)
#
# nginx is Debian's package, one worker, sendfile and open_file_cache on, access log off.
# bun-raw and deno-raw (bench/static_raw.ts) are each runtime's ceiling: a bare Fetch handler
# answering the same file from memory with the same headers, with none of edge-wsgi's work. For
# each server, in turn and for ROUNDS rounds (ABBA order, so drift cancels), it measures with wrk:
#   - a 1 KB file: requests per second;
#   - 304 revalidations of it (If-None-Match with the server's own ETag): requests per second;
# and with curl, one at a time:
#   - a 1 GiB file: download throughput, and the server's peak resident memory (VmHWM).
# It exits non-zero if a server fails to start, answers a 4xx/5xx under wrk, or answers anything
# but the expected bytes: the 1 KB file is checked byte for byte (with its Content-Length) before
# and after it is measured, the 304 is checked, and the 1 GiB download must be 1 GiB long.
# It prints the medians as Markdown tables: the ratios to nginx, edge-wsgi's to the raw handler
# of its own runtime, and each server's CPU time per request (user + system, all its processes
# and threads, during the measured wrk run), which shows how much work a request takes
# however the two CPUs were shared between the server and wrk.
#
# Environment: DURATION (s, default 10), ROUNDS (default 3), CONNECTIONS (default 50),
# SERVERS (default "nginx bun deno bun-raw deno-raw"), NGINX (default nginx), DENO, BUN, WRK;
# PIN=1 pins wrk (and curl) to CPU 0 and the server to CPU 1 with taskset, as bench/run.sh does,
# so that neither takes the other's CPU (default 0: the scheduler shares both). INTERLEAVE=1
# starts every server once, warms each up once, and measures them in turn round after round
# (say ROUNDS=9 DURATION=3), so that a machine whose speed drifts over minutes slows all alike.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-10}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
SERVERS="${SERVERS:-nginx bun deno bun-raw deno-raw}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
DENO="${DENO:-$ROOT/node_modules/.bin/deno}"
BUN="${BUN:-$ROOT/node_modules/.bin/bun}"
WRK="${WRK:-wrk}"
PIN="${PIN:-0}"
INTERLEAVE="${INTERLEAVE:-0}"
CLIENT=()
SERVER_PREFIX=()
if [[ "$PIN" == 1 ]]; then
  CLIENT=(taskset -c 0)
  SERVER_PREFIX=(taskset -c 1)
fi
for tool in "$NGINX" "$WRK" curl; do
  command -v "$tool" >/dev/null || {
    echo "error: $tool not found (apt-get install -y nginx wrk curl)" >&2
    exit 1
  }
done

WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
# INTERLEAVE=1: the running servers, by name.
declare -A PIDS=() URLS=() MEMORY_PIDS=()
stop_all() {
  local name
  stop_server
  for name in "${!PIDS[@]}"; do
    SERVER_PID="${PIDS[$name]}"
    stop_server
  done
  PIDS=()
}
trap 'stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/site"
head -c 768 /dev/urandom | base64 -w 0 | head -c 1024 >"$WORK/site/1k.txt"
# A real 1 GiB file (not sparse), written once for the whole run.
dd if=/dev/urandom of="$WORK/site/big.bin" bs=1M count=1024 status=none
# nginx's worker runs as another user (www-data) when started as root: let it read the site.
chmod -R a+rX "$WORK"

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# start SERVER: sets SERVER_PID, URL and MEMORY_PID (the process whose memory is reported).
start() {
  local port
  port="$(free_port)"
  URL="http://127.0.0.1:$port/"
  case "$1" in
    nginx)
      cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  access_log off;
  server {
    listen 127.0.0.1:$port;
    root $WORK/site;
  }
}
CONF
      "${SERVER_PREFIX[@]}" "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" >"$WORK/server.$1.log" 2>&1 &
      ;;
    bun) STATIC_ROOT="$WORK/site" PORT="$port" "${SERVER_PREFIX[@]}" "$BUN" run bench/static_server.ts >"$WORK/server.$1.log" 2>&1 & ;;
    deno) STATIC_ROOT="$WORK/site" PORT="$port" "${SERVER_PREFIX[@]}" "$DENO" run -A bench/static_server.ts >"$WORK/server.$1.log" 2>&1 & ;;
    bun-raw) STATIC_ROOT="$WORK/site" PORT="$port" "${SERVER_PREFIX[@]}" "$BUN" run bench/static_raw.ts >"$WORK/server.$1.log" 2>&1 & ;;
    deno-raw) STATIC_ROOT="$WORK/site" PORT="$port" "${SERVER_PREFIX[@]}" "$DENO" run -A bench/static_raw.ts >"$WORK/server.$1.log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  for _ in $(seq 200); do
    curl -fs -o /dev/null "${URL}1k.txt" && break
    sleep 0.05
  done
  curl -fs -o /dev/null "${URL}1k.txt" || {
    echo "error: $1 did not start" >&2
    cat "$WORK/server.$1.log" >&2
    exit 1
  }
  MEMORY_PID="$SERVER_PID"
  # nginx serves from its worker process.
  if [[ "$1" == nginx ]]; then MEMORY_PID="$(pgrep -P "$SERVER_PID" | head -1)"; fi
}

server_ticks() { # user + system clock ticks of the server and its children (nginx's worker)
  local pid total=0
  for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID" || true); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

rps() { # URL [header]: wrk's requests per second, after a warm-up; an error on any 4xx/5xx
  local -a header=()
  [[ -n "${2:-}" ]] && header=(-H "$2")
  # Interleaved, each server was warmed up once, when it started.
  [[ "$INTERLEAVE" == 1 ]] || "${CLIENT[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d2s "${header[@]}" "$1" >/dev/null
  local before
  before="$(server_ticks)"
  "${CLIENT[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${header[@]}" "$1" >"$WORK/wrk.txt"
  # The server's CPU time per request, in µs, for the caller to read.
  awk -v ticks=$(($(server_ticks) - before)) -v hz="$(getconf CLK_TCK)" \
    '/ requests in / { printf "%.1f", ticks * 1000000 / hz / $1 }' "$WORK/wrk.txt" >"$WORK/cpu.txt"
  if grep -q 'Non-2xx or 3xx responses' "$WORK/wrk.txt"; then
    echo "error: $server answered with errors:" >&2
    cat "$WORK/wrk.txt" >&2
    exit 1
  fi
  awk '/Requests\/sec/ { print int($2) }' "$WORK/wrk.txt"
}

check_small() { # SERVER: the 1 KB file must come back whole: 200, Content-Length 1024, the bytes
  local got="$WORK/got" head="$WORK/got.head" status length
  status="$(curl -s -D "$head" -o "$got" -w '%{http_code}' "${URL}1k.txt")"
  length="$(tr -d '\r' <"$head" | awk -F': ' 'tolower($1) == "content-length" { print $2 }')"
  if [[ "$status" != 200 || "$length" != 1024 ]] || ! cmp -s "$got" "$WORK/site/1k.txt"; then
    echo "error: $1 answered the 1 KB file wrongly (status $status, Content-Length '$length')" >&2
    exit 1
  fi
}

measure() { # SERVER: appends "small revalidate throughput peak" to $WORK/SERVER
  if [[ "$INTERLEAVE" == 1 ]]; then
    SERVER_PID="${PIDS[$1]}" URL="${URLS[$1]}" MEMORY_PID="${MEMORY_PIDS[$1]}"
  else
    start "$1"
  fi
  local etag status small revalidate mbps peak
  etag="$(curl -fsI "${URL}1k.txt" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r')"
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${URL}1k.txt")"
  [[ "$status" == 304 ]] || {
    echo "error: $1 answered $status, not 304, to If-None-Match: $etag" >&2
    exit 1
  }
  check_small "$1"
  local small_cpu revalidate_cpu
  small="$(rps "${URL}1k.txt")"
  small_cpu="$(cat "$WORK/cpu.txt")"
  revalidate="$(rps "${URL}1k.txt" "If-None-Match: $etag")"
  revalidate_cpu="$(cat "$WORK/cpu.txt")"
  check_small "$1"
  local size speed
  read -r size speed < <("${CLIENT[@]}" curl -fs -o /dev/null -w '%{size_download} %{speed_download}\n' "${URL}big.bin" || echo "0 0")
  [[ "$size" == $((1024 * 1024 * 1024)) ]] || {
    echo "error: $1 sent $size bytes of the 1 GiB file" >&2
    exit 1
  }
  mbps="$(awk -v s="$speed" 'BEGIN { printf "%d", s / 1048576 }')"
  peak="$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$MEMORY_PID/status")"
  echo "$small $revalidate $mbps $peak $small_cpu $revalidate_cpu" >>"$WORK/$1"
  printf '  %-8s round %d: 1 KB %7d req/s %5s µs   304 %7d req/s %5s µs   1 GiB %5d MiB/s   peak %4d MiB\n' \
    "$1" "$round" "$small" "$small_cpu" "$revalidate" "$revalidate_cpu" "$mbps" "$peak"
  if [[ "$INTERLEAVE" == 1 ]]; then SERVER_PID=""; else stop_server; fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "edge-wsgi static bench: wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, median$([[ "$PIN" == 1 ]] && echo ", wrk on CPU 0 and the server on CPU 1")$([[ "$INTERLEAVE" == 1 ]] && echo ", interleaved")"
echo "$(nproc) CPUs; $("$NGINX" -v 2>&1); deno $("$DENO" --version | head -1 | cut -d' ' -f2); bun $("$BUN" --version)"
read -r -a order <<<"$SERVERS"
if [[ "$INTERLEAVE" == 1 ]]; then
  for server in "${order[@]}"; do
    start "$server"
    PIDS[$server]="$SERVER_PID" URLS[$server]="$URL" MEMORY_PIDS[$server]="$MEMORY_PID"
    SERVER_PID=""
  done
  for server in "${order[@]}"; do
    url="${URLS[$server]}"
    etag="$(curl -fsI "${url}1k.txt" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r')"
    "${CLIENT[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d2s "${url}1k.txt" >/dev/null
    "${CLIENT[@]}" "$WRK" -t1 -c"$CONNECTIONS" -d2s -H "If-None-Match: $etag" "${url}1k.txt" >/dev/null
  done
fi
for round in $(seq "$ROUNDS"); do
  if ((round % 2 == 0)); then
    reversed=()
    for ((i = ${#order[@]} - 1; i >= 0; i--)); do reversed+=("${order[i]}"); done
    servers=("${reversed[@]}")
  else
    servers=("${order[@]}")
  fi
  for server in "${servers[@]}"; do measure "$server"; done
done

echo
echo "| server | 1 KB req/s | × nginx | 304 req/s | × nginx | 1 GiB MiB/s | × nginx | peak memory MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for column in 1 2 3 4 5 6; do
  for server in "${order[@]}"; do
    awk -v c="$column" '{ print $c }' "$WORK/$server" | median >"$WORK/$server.$column"
  done
done
for server in "${order[@]}"; do
  row="| $server"
  for column in 1 2 3; do
    value="$(cat "$WORK/$server.$column")"
    base="$(cat "$WORK/nginx.$column" 2>/dev/null || echo 0)"
    ratio="$(awk -v a="$value" -v b="$base" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
    row+=" | $value | $ratio"
  done
  row+=" | $(cat "$WORK/$server.4") |"
  echo "$row"
done

# edge-wsgi against the bare handler of its own runtime, where both were measured.
echo
echo "| runtime | 1 KB × raw | 304 × raw | 1 GiB × raw |"
echo "| --- | ---: | ---: | ---: |"
for server in bun deno; do
  [[ -f "$WORK/$server.1" && -f "$WORK/$server-raw.1" ]] || continue
  row="| $server"
  for column in 1 2 3; do
    row+=" | $(awk -v a="$(cat "$WORK/$server.$column")" -v b="$(cat "$WORK/$server-raw.$column")" \
      'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
  done
  echo "$row |"
done

# The work a request takes: the server's CPU time per request (lower is better), and nginx's
# divided by it (a ratio of requests per CPU-second: higher is better).
echo
echo "| server | 1 KB CPU µs/req | nginx ÷ it | 304 CPU µs/req | nginx ÷ it |"
echo "| --- | ---: | ---: | ---: | ---: |"
for server in "${order[@]}"; do
  row="| $server"
  for column in 5 6; do
    value="$(cat "$WORK/$server.$column")"
    base="$(cat "$WORK/nginx.$column" 2>/dev/null || echo 0)"
    row+=" | $value | $(awk -v a="$value" -v b="$base" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }')"
  done
  echo "$row |"
done
