#!/usr/bin/env bash
# Throughput of edge-wsgi against the baselines a user would compare it with, on Deno and Bun:
# a raw Fetch handler sending the same bytes, the same handler reading what an environ needs,
# and a Hono route — and edge-wsgi's hello app in each response shape real apps use.
#
#   bash bench/run.sh        (or: npm run bench)
#   SHAPES=bytes_length ROUNDS=1 DURATION=3 bash bench/run.sh     (a quick, narrow run)
#
# For each runtime and each round, it starts every server in turn (ABBA order: the list, then
# the list reversed, … so drift cancels), each on a free port on 127.0.0.1, checks its answer
# byte for byte (status, Content-Type, framing, body) with curl, warms it up, measures it with
# one wrk thread, checks its answer again, and stops it. With INTERLEAVE=1 every server of a
# runtime is started and warmed up once, then measured in many short slices in turn (ROUNDS of
# them, in the same ABBA order), so that a machine whose speed drifts over minutes — this VM's
# host shares its cores — slows every server alike. It prints the median requests per
# second of each, their ratios to raw and to Hono, and the median latency percentiles as a
# Markdown table, then each server's CPU time per request and its ratios, and last the table
# of issue 20's target (Hono reading headers' CPU per request over edge-wsgi's, per shape, with
# the access log off and on). It exits non-zero if a server fails to start, dies, answers a
# non-2xx status or answers anything but the expected bytes. To compare two checkouts of
# edge-wsgi on a busy machine, bench/compare.sh loads them at the same time.
#
# Servers (bench/hello_*.ts):
#   raw      a Fetch handler returning new Response(body, { headers })
#   reads    raw, plus reading the URL, method, headers and peer address an environ needs
#   hono     a Hono app: app.get("/", (c) => c.body(body, 200, headers))
#   hono_headers
#            the same Hono route, also reading every request header into a record: the part
#            of an environ's reads a Hono route never makes (bench/hello_hono.ts, READ_HEADERS=1)
#   string, bytes, bytes_length, chunks, generator
#            edge-wsgi's serve() with the hello app in that shape (see bench/hello_wsgi.ts)
#   string+log, bytes+log, …
#            the same with the access log on, in gunicorn's format, as the command line serves
#            by default: the configuration users get (the lines go to /dev/null)
#
# Environment:
#   DURATION     measured seconds per run (default 10; "10" or "10s")
#   ROUNDS       rounds per runtime (default 3; each round runs every server once)
#   WARMUP       warm-up seconds before each measurement (default 2)
#   CONNECTIONS  wrk connections (default 50)
#   RUNTIMES     which runtimes, in order (default "deno bun")
#   BASELINES    which baselines (default "raw reads hono hono_headers"; ratios need them run)
#   SHAPES       which edge-wsgi shapes (default "string bytes bytes_length chunks generator")
#   ACCESS_LOGS  each shape with the access log off, on, or both (default "off on")
#   DENO, BUN    the runtime binaries (default: node_modules/.bin, else PATH)
#   WRK          the wrk binary (default: wrk)
#   PIN          set to 1 to pin wrk to CPU 0 and the server to CPU 1 with taskset
#   INTERLEAVE   set to 1 to keep every server of a runtime running and measure them in turn,
#                round after round (say ROUNDS=15 DURATION=2): the steadiest ratios here
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
BASELINES="${BASELINES-raw reads hono hono_headers}"
SHAPES="${SHAPES-string bytes bytes_length chunks generator}"
ALL_SHAPES=" string bytes bytes_length chunks generator "
ACCESS_LOGS="${ACCESS_LOGS-off on}"
for kind in $BASELINES; do
  [[ " raw reads hono hono_headers " == *" $kind "* ]] || {
    echo "error: unknown baseline '$kind' (raw, reads, hono, hono_headers)" >&2
    exit 2
  }
done
for kind in $SHAPES; do
  [[ "$ALL_SHAPES" == *" $kind "* ]] || {
    echo "error: unknown shape '$kind' (${ALL_SHAPES# })" >&2
    exit 2
  }
done
for log in $ACCESS_LOGS; do
  [[ "$log" == off || "$log" == on ]] || {
    echo "error: ACCESS_LOGS must list off and/or on, not '$log'" >&2
    exit 2
  }
done
# Each shape once per access-log setting: "bytes" with the log off, "bytes+log" with it on.
SHAPE_KINDS=""
for kind in $SHAPES; do
  for log in $ACCESS_LOGS; do
    if [[ "$log" == on ]]; then SHAPE_KINDS+=" $kind+log"; else SHAPE_KINDS+=" $kind"; fi
  done
done
# The Hono route reading the headers pays for the same access log as the +log shapes it is
# compared with (the target's table), served by edge-wsgi's serve() as a Fetch app.
LOGGED_BASELINE=""
[[ " $BASELINES " == *" hono_headers "* && " $ACCESS_LOGS " == *" on "* ]] &&
  LOGGED_BASELINE=" hono_headers+log"
read -r -a KINDS <<<"$BASELINES$LOGGED_BASELINE $SHAPE_KINDS"
((${#KINDS[@]} > 0)) || {
  echo "error: BASELINES and SHAPES are both empty" >&2
  exit 2
}
command -v curl >/dev/null || {
  echo "error: curl not found (apt-get install -y curl)" >&2
  exit 1
}
WRK="${WRK:-wrk}"
PIN="${PIN:-0}"
INTERLEAVE="${INTERLEAVE:-0}"

# shellcheck source=bench/find_binary.sh
source "$ROOT/bench/find_binary.sh"
# shellcheck source=bench/processes.sh
source "$ROOT/bench/processes.sh"
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

# The running servers of INTERLEAVE=1, by kind: their PIDs and URLs.
declare -A SERVER_PIDS=() SERVER_URLS=()

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}
stop_all_servers() {
  local kind
  for kind in "${!SERVER_PIDS[@]}"; do
    SERVER_PID="${SERVER_PIDS[$kind]}"
    stop_server
  done
  SERVER_PIDS=()
  SERVER_URLS=()
}
cleanup() {
  if [[ -n "$WRK_PID" ]]; then kill "$WRK_PID" 2>/dev/null || true; fi
  stop_server
  stop_all_servers
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HZ="$(getconf CLK_TCK)"
# CPU time in clock ticks: the whole machine busy, one process, this shell's reaped children.
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

# start_server RUNTIME KIND: starts bench/hello_KIND.ts (a shape: bench/hello_wsgi.ts with
# SHAPE=KIND, and ACCESS_LOG=1 for KIND+log) on a free port; sets SERVER_PID and URL.
start_server() {
  local runtime="$1" kind="$2" log="$WORK/server.$2.log" file="bench/hello_$2.ts" shape=""
  local read_headers=0 access_log=0
  if [[ "$kind" == hono_headers || "$kind" == hono_headers+log ]]; then
    file=bench/hello_hono.ts
    read_headers=1
    [[ "$kind" == *+log ]] && access_log=1
  fi
  if [[ "$ALL_SHAPES" == *" ${kind%+log} "* ]]; then
    file=bench/hello_wsgi.ts
    shape="${kind%+log}"
    [[ "$kind" == *+log ]] && access_log=1
  fi

  local -a command
  case "$runtime" in
    deno) command=("$DENO" run --allow-net --allow-env --allow-read "$file") ;;
    bun) command=("$BUN" run "$file") ;;
    *)
      echo "error: unknown runtime '$runtime'" >&2
      exit 2
      ;;
  esac
  : >"$log"
  if [[ "$access_log" == 1 ]]; then
    # The access log's lines (standard output) go nowhere: written, as a user's are, not kept;
    # the listening line comes on standard error.
    SHAPE="$shape" READ_HEADERS="$read_headers" ACCESS_LOG=1 PORT=0 "${SERVER_PREFIX[@]}" "${command[@]}" >/dev/null 2>"$log" &
  else
    SHAPE="$shape" READ_HEADERS="$read_headers" PORT=0 "${SERVER_PREFIX[@]}" "${command[@]}" >"$log" 2>&1 &
  fi
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

# check_answer RUNTIME KIND: GET / must give exactly the expected bytes: 200, the Content-Type,
# one framing (Content-Length 21, or chunked), and the body. Sets FRAMING ("length"/"chunked").
printf '<h1>Hello, web!</h1>\n' >"$WORK/expected"
check_answer() {
  local runtime="$1" kind="$2" head="$WORK/head" body="$WORK/body" problem=""
  if ! curl -s --max-time 5 -D "$head" -o "$body" "$URL"; then
    problem="no answer"
  else
    tr -d '\r' <"$head" | awk -F': ' 'NR > 1 && NF > 1 { print tolower($1) ": " $2 }' >"$head.lower"
    local status type length chunked
    status="$(head -1 "$head" | tr -d '\r')"
    type="$(awk -F': ' '$1 == "content-type" { print tolower($2) }' "$head.lower")"
    length="$(awk -F': ' '$1 == "content-length" { print $2 }' "$head.lower")"
    chunked="$(awk -F': ' '$1 == "transfer-encoding" { print $2 }' "$head.lower")"
    if [[ "$status" != "HTTP/1.1 200 OK" ]]; then
      problem="status line '$status'"
    elif [[ "$type" != "text/html; charset=utf-8" ]]; then
      problem="Content-Type '$type'"
    elif [[ -n "$length" && -n "$chunked" ]] || [[ -z "$length" && "$chunked" != chunked ]]; then
      problem="framing: Content-Length '$length', Transfer-Encoding '$chunked'"
    elif [[ -n "$length" && "$length" != 21 ]]; then
      problem="Content-Length '$length'"
    elif [[ "$(sort "$head.lower" | cut -d: -f1 | uniq -d)" != "" ]]; then
      problem="repeated headers"
    elif ! cmp -s "$body" "$WORK/expected"; then
      problem="body '$(head -c 200 "$body")'"
    fi
    FRAMING="${length:+length}"
    FRAMING="${FRAMING:-chunked}"
  fi
  if [[ -n "$problem" ]]; then
    echo "error: $runtime $kind answered wrongly: $problem" >&2
    cat "$head" >&2 2>/dev/null || true
    exit 1
  fi
}

# measure RUNTIME KIND: one fresh server, warmed up, measured (with INTERLEAVE=1: the running
# one, warmed up when it started); appends "rps p50 p99 server-µs" to a file.
measure() {
  local runtime="$1" kind="$2" out="$WORK/wrk.txt"
  if [[ "$INTERLEAVE" == 1 ]]; then
    SERVER_PID="${SERVER_PIDS[$kind]}"
    URL="${SERVER_URLS[$kind]}"
  else
    start_server "$runtime" "$kind"
    check_answer "$runtime" "$kind"
    run_wrk -d"${WARMUP}s" "$URL" >/dev/null
  fi
  local busy0 server0 wrk0 busy1 server1 wrk1
  busy0="$(busy_ticks)" server0="$(process_ticks "$SERVER_PID")"
  children_ticks wrk0
  run_wrk -d"${DURATION}s" --latency "$URL" >"$out"
  children_ticks wrk1
  busy1="$(busy_ticks)" server1="$(process_ticks "$SERVER_PID")"
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "error: $runtime $kind server died during the run:" >&2
    cat "$WORK/server.$kind.log" >&2
    exit 1
  fi
  check_answer "$runtime" "$kind"
  if [[ "$INTERLEAVE" == 1 ]]; then SERVER_PID=""; else stop_server; fi
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
  printf '  %-4s %-16s round %d: %8.0f req/s  p50 %5s ms  p99 %5s ms  server %5s us/req  others %3s%% CPU  %-7s %s\n' \
    "$runtime" "$kind" "$round" "$rps" "$p50" "$p99" "$server_us" "$other" "$FRAMING" "$errors" >&2
  echo "$rps $p50 $p99 $server_us" >>"$WORK/$runtime.$kind"
  ((other <= 10)) || DISTURBED=$((DISTURBED + 1))
}

# median COLUMN FILE
median() {
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "edge-wsgi bench: wrk -t1 -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP}s), $ROUNDS rounds, median$([[ "$INTERLEAVE" == 1 ]] && echo ", interleaved")$([[ "$PIN" == 1 ]] && echo ", pinned")" >&2
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" >&2
reversed=()
for ((i = ${#KINDS[@]} - 1; i >= 0; i--)); do reversed+=("${KINDS[i]}"); done
for runtime in $RUNTIMES; do
  case "$runtime" in
    deno) echo "deno $("$DENO" --version | head -1 | cut -d' ' -f2)" >&2 ;;
    bun) echo "bun $("$BUN" --version)" >&2 ;;
  esac
  if [[ "$INTERLEAVE" == 1 ]]; then
    for kind in "${KINDS[@]}"; do
      start_server "$runtime" "$kind"
      SERVER_PIDS[$kind]="$SERVER_PID"
      SERVER_URLS[$kind]="$URL"
      check_answer "$runtime" "$kind"
      SERVER_PID=""
    done
    for kind in "${KINDS[@]}"; do run_wrk -d"${WARMUP}s" "${SERVER_URLS[$kind]}" >/dev/null; done
  fi
  for round in $(seq "$ROUNDS"); do
    if ((round % 2)); then order=("${KINDS[@]}"); else order=("${reversed[@]}"); fi
    for kind in "${order[@]}"; do measure "$runtime" "$kind"; done
  done
  stop_all_servers
done

# ratio RUNTIME KIND BASE: median req/s of KIND over BASE's, or "-" when BASE was not run.
# cpu_ratio RUNTIME KIND BASE: the same by CPU time, BASE's CPU per request over KIND's, i.e.
# requests per CPU-second against BASE's. When wrk's one CPU is the limit (pinned, a server
# faster than wrk can drive), req/s say little about the server and this says what it costs.
ratio() { column_ratio 1 "$1" "$2" "$3"; }
cpu_ratio() { column_ratio 4 "$1" "$3" "$2"; }
column_ratio() { # COLUMN RUNTIME A B: A's median in COLUMN over B's, or "-" when one was not run
  local column="$1" runtime="$2" a="$3" b="$4"
  [[ -f "$WORK/$runtime.$a" && -f "$WORK/$runtime.$b" ]] || {
    echo "-"
    return
  }
  awk -v a="$(median "$column" "$WORK/$runtime.$a")" -v b="$(median "$column" "$WORK/$runtime.$b")" \
    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}
server_name() { # KIND: its name in the tables
  case "$1" in
    hono) echo "Hono" ;;
    hono_headers) echo "Hono reading headers" ;;
    hono_headers+log) echo "Hono reading headers, access log on (serve())" ;;
    *+log) echo "edge-wsgi ${1%+log}, access log on" ;;
    *) if [[ "$ALL_SHAPES" == *" $1 "* ]]; then echo "edge-wsgi $1"; else echo "$1"; fi ;;
  esac
}

echo
echo "| runtime | server | req/s | × raw | × reads | × Hono | × Hono reading headers | p50 / p99 (ms) | server µs/req |"
echo "| ------- | ------ | ----: | ----: | ------: | -----: | ---------------------: | -------------: | ------------: |"
for runtime in $RUNTIMES; do
  for kind in "${KINDS[@]}"; do
    file="$WORK/$runtime.$kind"
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %.2f / %.2f | %.1f |\n' "$runtime" \
      "$(server_name "$kind")" "$(median 1 "$file")" "$(ratio "$runtime" "$kind" raw)" \
      "$(ratio "$runtime" "$kind" reads)" "$(ratio "$runtime" "$kind" hono)" \
      "$(ratio "$runtime" "$kind" hono_headers)" "$(median 2 "$file")" "$(median 3 "$file")" \
      "$(median 4 "$file")"
  done
done
echo
echo "| runtime | server | server µs/req | raw's ÷ it | Hono's ÷ it | Hono reading headers' ÷ it |"
echo "| ------- | ------ | ------------: | ---------: | ----------: | -------------------------: |"
for runtime in $RUNTIMES; do
  for kind in "${KINDS[@]}"; do
    printf '| %s | %s | %.1f | %s | %s | %s |\n' "$runtime" "$(server_name "$kind")" \
      "$(median 4 "$WORK/$runtime.$kind")" "$(cpu_ratio "$runtime" "$kind" raw)" \
      "$(cpu_ratio "$runtime" "$kind" hono)" "$(cpu_ratio "$runtime" "$kind" hono_headers)"
  done
done

echo
# The targets: every shape >= 1.0x Hono on both runtimes, and >= 0.9x raw on Deno.
for runtime in $RUNTIMES; do
  for kind in $SHAPE_KINDS; do
    line="$runtime $kind:"
    to_raw="$(ratio "$runtime" "$kind" raw)"
    to_hono="$(ratio "$runtime" "$kind" hono)"
    if [[ "$to_hono" != "-" ]]; then
      line+=" $to_hono× Hono (target ≥ 1.0: $(awk -v r="$to_hono" 'BEGIN { print (r >= 1.0 ? "met" : "NOT met") }'))"
    fi
    to_headers="$(ratio "$runtime" "$kind" hono_headers)"
    [[ "$to_headers" != "-" ]] && line+=" $to_headers× Hono reading headers"
    if [[ "$to_raw" != "-" ]]; then
      line+=" $to_raw× raw"
      if [[ "$runtime" == deno ]]; then
        line+=" (target ≥ 0.9: $(awk -v r="$to_raw" 'BEGIN { print (r >= 0.9 ? "met" : "NOT met") }'))"
      fi
    fi
    [[ "$to_hono" != "-" ]] && line+="; by CPU time $(cpu_ratio "$runtime" "$kind" hono)× Hono"
    echo "$line"
  done
done

# The target of issue 20: every shape, with the access log off and on, at least 0.9x (Bun) and
# 0.95x (Deno) a Hono route that reads every request header, by server CPU time per request:
# Hono reading headers' µs per request over edge-wsgi's. Each round's servers ran in turn (with
# INTERLEAVE=1, seconds apart), so the median of the rounds' ratios comes first; the ratio of
# the medians, as in the table above, follows in brackets.
round_cpu_ratio() { # RUNTIME KIND BASE: median over rounds of BASE's µs/req ÷ KIND's, or "-"
  local a="$WORK/$1.$3" b="$WORK/$1.$2"
  [[ -f "$a" && -f "$b" ]] || {
    echo "-"
    return
  }
  paste -d' ' "$a" "$b" | awk '$8 > 0 { printf "%.4f\n", $4 / $8 }' | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
target_cell() { # RUNTIME KIND: "0.91 (0.90) met", or "-" when a server was not run
  local runtime="$1" kind="$2" goal=0.9 by_round of_medians base=hono_headers
  [[ "$runtime" == deno ]] && goal=0.95
  [[ "$kind" == *+log ]] && base=hono_headers+log
  by_round="$(round_cpu_ratio "$runtime" "$kind" "$base")"
  [[ "$by_round" == "-" ]] && {
    echo "-"
    return
  }
  of_medians="$(cpu_ratio "$runtime" "$kind" "$base")"
  echo "$by_round ($of_medians) $(awk -v r="$by_round" -v g="$goal" 'BEGIN { print (r >= g ? "met" : "NOT met") }')"
}
echo
echo "Issue 20's target: Hono reading headers' server CPU per request ÷ edge-wsgi's, ≥ 0.9 on Bun and ≥ 0.95 on Deno"
echo "(with the access log on, both write it: the Hono route through edge-wsgi's serve())"
echo "(median of the rounds' ratios; the ratio of the medians in brackets)"
echo
echo "| runtime | shape | access log off | access log on |"
echo "| ------- | ----- | -------------- | ------------- |"
for runtime in $RUNTIMES; do
  for kind in $SHAPES; do
    off="-" on="-"
    [[ " $ACCESS_LOGS " == *" off "* ]] && off="$(target_cell "$runtime" "$kind")"
    [[ " $ACCESS_LOGS " == *" on "* ]] && on="$(target_cell "$runtime" "$kind+log")"
    echo "| $runtime | $kind | $off | $on |"
  done
done
if ((DISTURBED > 0)); then
  echo "warning: in $DISTURBED run(s) other processes used over 10% of a CPU; rerun on a quiet machine"
fi
