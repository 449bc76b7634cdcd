#!/usr/bin/env bash
# Python WSGI apps: edge-wsgi (Pyodide, --workers 2, on Deno and on Bun) against Debian's
# gunicorn (-w 2, sync workers) and uWSGI (2 processes), on the same app files, same run.
#
#   bash bench/python.sh        (or: npm run bench:python)
#
# Apps (bench/python/): hello.py (plain WSGI), bottle_hello.py, flask_hello.py, and a Django 3.2
# project (benchsite/): its hello page (django) and the same page with the name read from a
# SQLite row by a query on each request (django_db), all answering the same 21 bytes; plus
# edge-wsgi serving the TypeScript hello (bench/hello_app.ts) against gunicorn's Python hello.
# Every server's first response is checked byte for byte (status, Content-Type, body) before it
# is measured: a wrong answer stops the script with exit 1. edge-wsgi gets Flask, Bottle and
# Django from a vendor folder copied from Debian's packages (--python-path), as a user would
# vendor them with pip; each server runs the Django project from its own copy, migrated once
# with Debian's python3 (manage.py migrate), as `gunicorn --chdir DIR benchsite.wsgi` and
# `--chdir DIR --mount /app=benchsite.wsgi` name it.
#
# Reported per server: median req/s and latency (wrk -t1), the time from spawn to the first
# right response (cold start; for edge-wsgi with and without a Pyodide snapshot), and the RSS
# of all its processes after the run (and per worker, i.e. per interpreter).
#
# Environment:
#   DURATION     measured seconds per run (default 10)
#   WARMUP       warm-up seconds before each measurement, the same for every server (default
#                20: edge-wsgi's interpreters reach their steady rate after 10-15 s, see below)
#   WARMUP_SLICE the warm-up is run in slices this long, each slice's req/s printed (default 2)
#   ROUNDS       runs per server, median reported (default 1)
#   CONNECTIONS  wrk connections (default 50)
#   BENCH_APPS   which apps (default "hello bottle flask django django_db ts"; not APPS, which
#                edge-wsgi reads)
#   RUNTIMES     edge-wsgi runtimes (default "deno bun")
#   DENO, BUN, WRK, GUNICORN, UWSGI   the binaries (defaults: node_modules/.bin, else PATH)
#   PYTHON       Debian's python3, which migrates the Django database (default /usr/bin/python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
WARMUP_SLICE="${WARMUP_SLICE:-2}"
ROUNDS="${ROUNDS:-1}"
CONNECTIONS="${CONNECTIONS:-50}"
BENCH_APPS="${BENCH_APPS:-hello bottle flask django django_db ts}"
RUNTIMES="${RUNTIMES:-deno bun}"
DIST_PACKAGES=/usr/lib/python3/dist-packages
EXPECTED_BODY='<h1>Hello, web!</h1>\n'
EXPECTED_TYPE='text/html; charset=utf-8'

# shellcheck source=bench/find_binary.sh
source "$ROOT/bench/find_binary.sh"
DENO="${DENO:-$(find_binary deno)}"
BUN="${BUN:-$(find_binary bun)}"
WRK="${WRK:-$(find_binary wrk)}"
GUNICORN="${GUNICORN:-$(find_binary gunicorn)}"
# Debian's Python, whose Django migrates the bench's database (gunicorn runs on it too).
PYTHON="${PYTHON:-/usr/bin/python3}"
UWSGI="${UWSGI:-$(find_binary uwsgi)}"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The vendor folder edge-wsgi imports Flask, Bottle and Django from (pure Python; no .so, no
# caches).
VENDOR="$WORK/vendor"
mkdir -p "$VENDOR"
for name in flask werkzeug jinja2 markupsafe itsdangerous click blinker bottle.py \
  django asgiref sqlparse pytz; do
  [[ -e "$DIST_PACKAGES/$name" ]] || {
    echo "error: $DIST_PACKAGES/$name missing" \
      "(apt-get install python3-flask python3-bottle python3-django)" >&2
    exit 1
  }
  # -L: Debian links some files to other packages' (Django's jQuery); Pyodide sees only this copy.
  cp -rL "$DIST_PACKAGES/$name" "$VENDOR/"
done
find "$VENDOR" \( -name '*.so' -o -name __pycache__ \) -prune -exec rm -rf {} +
SNAPSHOTS="$WORK/snapshots"

# django_copy SERVER: a copy of the Django project with its database, one per server (so no
# server reads a file another writes), made once; prints its folder.
django_copy() {
  local dir="$WORK/django/$1"
  if [[ ! -e "$dir/db.sqlite3" ]]; then
    mkdir -p "$WORK/django"
    cp -r bench/python/benchsite "$dir"
    (cd "$dir" && PYTHONDONTWRITEBYTECODE=1 "$PYTHON" manage.py migrate -v 0)
  fi
  echo "$dir"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# descendants PID: PID and every process below it
descendants() {
  local pid="$1" child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do descendants "$child"; done
}
rss_kb() { # total VmRSS of a process tree, in KiB
  local total=0 pid kb
  for pid in $(descendants "$1"); do
    kb="$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status 2>/dev/null || true)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    local tree pid
    tree="$(descendants "$SERVER_PID")"
    # uWSGI's master stops its workers on SIGINT (SIGTERM only reloads it); the others on either.
    kill -INT "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    # Whatever outlived its parent (a worker of a parent that had to be killed) goes too.
    for pid in $tree; do kill -KILL "$pid" 2>/dev/null || true; done
    SERVER_PID=""
  fi
}

# server_command SERVER APP PORT SNAPSHOT: the command line (in COMMAND) and URL path (in URL_PATH).
server_command() {
  local server="$1" app="$2" port="$3" snapshot="$4" file module folder=bench/python page=""
  case "$app" in
    hello | ts) module=hello ;;
    bottle) module=bottle_hello ;;
    flask) module=flask_hello ;;
    django | django_db)
      # gunicorn's and edge-wsgi's words for a Django project: its folder, its dotted module.
      module=benchsite.wsgi
      folder="$(django_copy "$server")"
      [[ "$app" == django_db ]] && page=db
      ;;
  esac
  file="bench/python/$module.py"
  if [[ "$app" == ts ]]; then file=bench/hello_app.ts; fi
  if [[ "$app" == django* ]]; then file="$module:application"; fi
  URL_PATH="/$page"
  case "$server" in
    gunicorn) COMMAND=("$GUNICORN" -w 2 -k sync --chdir "$folder" -b "127.0.0.1:$port" "$module:application") ;;
    uwsgi) COMMAND=("$UWSGI" --plugin python3 --master --processes 2 --http-socket "127.0.0.1:$port"
      --chdir bench/python --wsgi-file "$module.py" --disable-logging) ;;
    deno | bun)
      URL_PATH="/app/$page"
      if [[ "$server" == deno ]]; then COMMAND=("$DENO" run -A mod.ts); else COMMAND=("$BUN" run mod.ts); fi
      COMMAND+=(--port "$port" --workers 2 --access-log off --mount "/app=$file")
      # --preload: every worker loads its interpreter before listening, as gunicorn imports the
      # app in each worker at boot; lazily, the second worker would load during the measurement.
      if [[ "$app" != ts ]]; then
        COMMAND+=(--preload --python-path "$VENDOR" --python-snapshot "$snapshot")
      fi
      if [[ "$app" == django* ]]; then COMMAND+=(--chdir "$folder"); fi
      ;;
  esac
}

# start_server SERVER APP SNAPSHOT: starts it, waits for the first right response; sets
# SERVER_PID, URL and STARTUP_MS (spawn to first right response).
start_server() {
  local server="$1" app="$2" port log="$WORK/server.log" started status
  port="$(free_port)"
  server_command "$server" "$app" "$port" "$3"
  URL="http://127.0.0.1:$port$URL_PATH"
  : >"$log"
  started="$(date +%s%N)"
  "${COMMAND[@]}" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1200); do
    status="$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$URL" 2>/dev/null || true)"
    [[ "$status" != 000 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  STARTUP_MS=$((($(date +%s%N) - started) / 1000000))
  check_response "$server $app" "$status" "$log"
}

# check_response LABEL STATUS LOG: the response in $WORK/body and $WORK/headers must be ours.
check_response() {
  local type
  type="$(tr -d '\r' <"$WORK/headers" | awk 'tolower($1) == "content-type:" { sub(/^[^:]*: */, ""); print }')"
  if [[ "$2" != 200 || "$type" != "$EXPECTED_TYPE" ]] || ! cmp -s "$WORK/body" <(printf "$EXPECTED_BODY"); then
    echo "error: $1 answered status $2, Content-Type '$type', body:" >&2
    head -c 600 "$WORK/body" >&2
    echo "--- its log:" >&2
    tail -n 30 "$3" >&2
    exit 1
  fi
}

to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1;
    else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# measure SERVER APP: one throughput run; appends "rps p50 p99 rss_kb startup_ms" to a file.
measure() {
  local server="$1" app="$2" out="$WORK/wrk.txt" rps p50 p99 rss
  start_server "$server" "$app" "$SNAPSHOTS"
  # Each worker imports the app on its own first request (Flask takes seconds under Pyodide):
  # sixteen fresh connections reach both workers (all in one with odds of 1 in 2^15), so no
  # import falls into the measurement.
  for _ in $(seq 16); do curl -s -o /dev/null "$URL"; done
  # The warm-up in slices of WARMUP_SLICE seconds, each one's req/s printed: Pyodide's
  # CPython is WebAssembly, which the engine compiles again, optimised, once it has run a while
  # (V8 tiers up after some 20 000 requests per interpreter here), so the curve shows when the
  # measured rate is the steady one.
  local curve="" elapsed=0 slice
  while ((elapsed < WARMUP)); do
    slice=$((WARMUP - elapsed < WARMUP_SLICE ? WARMUP - elapsed : WARMUP_SLICE))
    curve+=" $("$WRK" -t1 -c"$CONNECTIONS" -d"${slice}s" "$URL" | awk '/^Requests\/sec:/ { printf "%d", $2 }')"
    elapsed=$((elapsed + slice))
  done
  "$WRK" -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$URL" >"$out"
  rss="$(rss_kb "$SERVER_PID")"
  # Still right after the load?
  check_response "$server $app (after the run)" \
    "$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$URL")" "$WORK/server.log"
  stop_server
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    echo "error: $server $app: wrk saw errors:" >&2
    cat "$out" >&2
    exit 1
  fi
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  printf '  %-8s %-6s %8.0f req/s  p50 %6s ms  p99 %6s ms  RSS %4d MiB  first response %5d ms\n' \
    "$server" "$app" "$rps" "$p50" "$p99" $((rss / 1024)) "$STARTUP_MS" >&2
  echo "           warm-up, req/s per ${WARMUP_SLICE} s:$curve" >&2
  echo "$rps $p50 $p99 $rss $STARTUP_MS" >>"$WORK/$server.$app"
}

median() { # COLUMN FILE
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

servers_for() { # APP -> the servers that run it
  case "$1" in
    hello) echo "gunicorn uwsgi $RUNTIMES" ;;
    bottle | flask | django | django_db) echo "gunicorn $RUNTIMES" ;;
    ts) echo "$RUNTIMES" ;;
  esac
}

echo "edge-wsgi Python bench: wrk -t1 -c$CONNECTIONS -d${DURATION}s (warm-up ${WARMUP}s), $ROUNDS round(s)" >&2
echo "$(nproc) CPUs; deno $("$DENO" --version | head -1 | cut -d' ' -f2), bun $("$BUN" --version)," \
  "$("$GUNICORN" --version 2>&1 | head -1), uWSGI $("$UWSGI" --version)" >&2
for round in $(seq "$ROUNDS"); do
  for app in $BENCH_APPS; do
    for server in $(servers_for "$app"); do measure "$server" "$app"; done
  done
done

echo
echo "| app | server | req/s | ÷ gunicorn | p50 / p99 (ms) | RSS, all processes (MiB) | first response (ms) |"
echo "| --- | ------ | ----: | ---------: | -------------: | -----------------------: | ------------------: |"
for app in $BENCH_APPS; do
  base_app="$app"
  [[ "$app" == ts ]] && base_app=hello
  gunicorn_rps="$(median 1 "$WORK/gunicorn.$base_app" 2>/dev/null || echo 0)"
  for server in $(servers_for "$app"); do
    file="$WORK/$server.$app"
    awk -v app="$app" -v server="$server" -v rps="$(median 1 "$file")" -v base="$gunicorn_rps" \
      -v p50="$(median 2 "$file")" -v p99="$(median 3 "$file")" -v rss="$(median 4 "$file")" \
      -v ms="$(median 5 "$file")" 'BEGIN {
        ratio = base > 0 ? sprintf("%.2f", rps / base) : "-"
        printf "| %s | %s | %.0f | %s | %.2f / %.2f | %.0f | %d |\n", app, server, rps, ratio, p50, p99, rss / 1024, ms
      }'
  done
done

# Cold start of edge-wsgi's interpreter: spawn to the first right response, without a snapshot
# and from the snapshot the runs above saved, for the plain hello and for Flask.
echo
echo "| runtime | app | first response, no snapshot (ms) | first response, from snapshot (ms) |"
echo "| ------- | --- | -------------------------------: | ---------------------------------: |"
for runtime in $RUNTIMES; do
  for app in hello flask; do
    start_server "$runtime" "$app" off
    cold="$STARTUP_MS"
    stop_server
    start_server "$runtime" "$app" "$SNAPSHOTS"
    warm="$STARTUP_MS"
    stop_server
    echo "| $runtime | $app | $cold | $warm |"
  done
done
echo
echo "(--workers 2: the first response needs one worker's interpreter; RSS counts every process.)"
