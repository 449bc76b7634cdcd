#!/usr/bin/env bash
# Python WSGI apps: edge-wsgi (Pyodide, --workers 2, on Deno and on Bun) against Debian's
# gunicorn (-w 2, sync workers) and uWSGI (2 processes), on the same app files, same run; then
# the start-up of edge-wsgi's Python apps. What it prints is what issue 18's goals are stated in.
#
#   bash bench/python.sh        (or: npm run bench:python)
#
# Apps (bench/python/): hello.py (plain WSGI), bottle_hello.py, flask_hello.py, and a Django 3.2
# project (benchsite/): its hello page (django) and the same page with the name read from a
# SQLite row by a query on each request (django_db), all answering the same 21 bytes; plus
# edge-wsgi serving the TypeScript hello (bench/hello_app.ts) against gunicorn's Python hello.
# Every server's first response is checked byte for byte (status, Content-Type, body) before it
# is measured, and again after: a wrong answer stops the script with exit 1. edge-wsgi gets
# Flask, Bottle and Django from a vendor folder copied from Debian's packages (--python-path),
# as a user would vendor them with pip; each server runs the Django project from its own copy,
# migrated once with Debian's python3 (manage.py migrate), as `gunicorn --chdir DIR
# benchsite.wsgi` and `--chdir DIR --mount /app=benchsite.wsgi` name it.
#
# 1. Throughput, interleaved: for each app, every server is started once and warmed up (the
#    warm-up curve is printed: edge-wsgi's WebAssembly is compiled again, optimised, after a
#    while), then measured in turn, round after round (the order reversed every other round),
#    so that a change of the machine's speed falls on all alike. Per server: the median req/s
#    (wrk -t1) and the server's CPU time per request (all its processes, from /proc), each as a
#    ratio to gunicorn's; the goals are Flask, Django and Django's database page ≥ 1.2×
#    gunicorn, Bottle ≥ 1.5×, on both runtimes. Then the RSS of each worker process after the
#    load (the goal: ≤ 200 MiB per Python worker) and of all the server's processes.
# 2. Start-up: the time from starting `deno run -A mod.ts …` / `bun run mod.ts …` (one worker,
#    the defaults) to the first right response, for the plain hello, Flask and Django: cold
#    (an empty snapshot folder: the start imports the app and saves the snapshot), warm (the
#    median of STARTUP_RUNS starts from that snapshot; the goal: under 1 s), and without a
#    snapshot at all (--python-snapshot off); gunicorn's (-w 1) for comparison.
#
# Environment:
#   DURATION     measured seconds per run (default 10)
#   WARMUP       warm-up seconds before the rounds, the same for every server (default 20:
#                edge-wsgi's interpreters reach their steady rate after 10-15 s)
#   WARMUP_SLICE the warm-up is run in slices this long, each slice's req/s printed (default 2)
#   ROUNDS       measured runs per server, interleaved; medians reported (default 3)
#   CONNECTIONS  wrk connections (default 50)
#   BENCH_APPS   which apps (default "hello bottle flask django django_db ts"; not APPS, which
#                edge-wsgi reads); "" skips the throughput part
#   STARTUP_APPS the start-up part's apps (default "hello flask django"; "" skips it)
#   STARTUP_RUNS warm starts per app and runtime, median reported (default 5)
#   RUNTIMES     edge-wsgi runtimes (default "deno bun")
#   DENO, BUN, WRK, GUNICORN, UWSGI   the binaries (defaults: node_modules/.bin, else PATH)
#   PYTHON       Debian's python3, which migrates the Django database (default /usr/bin/python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-20}"
WARMUP_SLICE="${WARMUP_SLICE:-2}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-50}"
BENCH_APPS="${BENCH_APPS-hello bottle flask django django_db ts}"
RUNTIMES="${RUNTIMES:-deno bun}"
STARTUP_APPS="${STARTUP_APPS-hello flask django}"
STARTUP_RUNS="${STARTUP_RUNS:-5}"
DIST_PACKAGES=/usr/lib/python3/dist-packages
EXPECTED_BODY='<h1>Hello, web!</h1>\n'
EXPECTED_TYPE='text/html; charset=utf-8'

# shellcheck source=bench/find_binary.sh
source "$ROOT/bench/find_binary.sh"
# shellcheck source=bench/processes.sh
source "$ROOT/bench/processes.sh"
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

rss_kb() { # total VmRSS of a process tree, in KiB
  local total=0 pid kb
  for pid in $(descendants "$1"); do
    kb="$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status 2>/dev/null || true)"
    total=$((total + ${kb:-0}))
  done
  echo "$total"
}
worker_rss_kb() { # the largest VmRSS of the processes below PID (its workers), in KiB
  local most=0 pid kb
  for pid in $(descendants "$1" | tail -n +2); do
    kb="$(awk '/^VmRSS:/ { print $2 }' /proc/"$pid"/status 2>/dev/null || true)"
    ((${kb:-0} > most)) && most="$kb"
  done
  echo "$most"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# stop PID: stops a server and every process below it.
stop() {
  local pid="$1" tree member
  [[ -n "$pid" ]] || return 0
  tree="$(descendants "$pid")"
  # uWSGI's master stops its workers on SIGINT (SIGTERM only reloads it); the others on either.
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # Whatever outlived its parent (a worker of a parent that had to be killed) goes too.
  for member in $tree; do kill -KILL "$member" 2>/dev/null || true; done
}
RUNNING=() # every server started and not yet stopped, for the cleanup
stop_all() {
  local pid
  for pid in "${RUNNING[@]}"; do stop "$pid"; done
  RUNNING=()
}
stop_server() { stop_all; }

# server_command SERVER APP PORT SNAPSHOT WORKERS: the command line (in COMMAND) and URL path
# (in URL_PATH).
server_command() {
  local server="$1" app="$2" port="$3" snapshot="$4" workers="$5" file module folder=bench/python page=""
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
    gunicorn) COMMAND=("$GUNICORN" -w "$workers" -k sync --chdir "$folder" -b "127.0.0.1:$port" "$module:application") ;;
    uwsgi) COMMAND=("$UWSGI" --plugin python3 --master --processes "$workers" --http-socket "127.0.0.1:$port"
      --chdir bench/python --wsgi-file "$module.py" --disable-logging) ;;
    deno | bun | deno_* | bun_*)
      URL_PATH="/app/$page"
      if [[ "$server" == deno* ]]; then COMMAND=("$DENO" run -A mod.ts); else COMMAND=("$BUN" run mod.ts); fi
      COMMAND+=(--port "$port" --mount "/app=$file")
      [[ "$server" == *_log ]] || COMMAND+=(--access-log off)
      [[ "$server" == *_t0 ]] && COMMAND+=(--timeout 0)
      [[ "$workers" == 1 ]] || COMMAND+=(--workers "$workers")
      if [[ "$app" != ts ]]; then
        COMMAND+=(--python-path "$VENDOR" --python-snapshot "$snapshot")
        # --preload under load: every worker loads its interpreter before listening, as gunicorn
        # imports the app in each worker at boot; lazily, one would load during the measurement.
        [[ "$workers" == 1 ]] || COMMAND+=(--preload)
      fi
      if [[ "$app" == django* ]]; then COMMAND+=(--chdir "$folder"); fi
      ;;
  esac
}

# start_server SERVER APP SNAPSHOT WORKERS: starts it, waits for the first right response; sets
# SERVER_PID, URL and STARTUP_MS (spawn to first right response).
start_server() {
  local server="$1" app="$2" port log="$WORK/$1.$2.log" started status
  port="$(free_port)"
  server_command "$server" "$app" "$port" "$3" "${4:-2}"
  URL="http://127.0.0.1:$port$URL_PATH"
  : >"$log"
  started="$(date +%s%N)"
  if [[ "$server" == *_log ]]; then
    # The access log (standard output) is written, as a user's is, and not kept.
    "${COMMAND[@]}" >/dev/null 2>"$log" &
  else
    "${COMMAND[@]}" >"$log" 2>&1 &
  fi
  SERVER_PID=$!
  RUNNING+=("$SERVER_PID")
  for _ in $(seq 6000); do
    status="$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$URL" 2>/dev/null || true)"
    [[ "$status" != 000 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.01
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

median() { # COLUMN FILE
  cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

servers_for() { # APP -> the servers that run it
  local runtime variants=""
  # The Python hello also runs as the command line runs it by default (RUNTIME_log: the access
  # log on, to /dev/null) and without the --timeout watchdog (RUNTIME_t0: --timeout 0), so the
  # cost of each is measured against the same server in the same rounds.
  for runtime in $RUNTIMES; do variants+=" ${runtime}_log ${runtime}_t0"; done
  case "$1" in
    hello) echo "gunicorn uwsgi $RUNTIMES$variants" ;;
    bottle | flask | django | django_db) echo "gunicorn $RUNTIMES" ;;
    ts) echo "$RUNTIMES" ;;
  esac
}

goal_for() { # APP -> the issue's goal, × gunicorn
  case "$1" in
    bottle) echo 1.5 ;;
    flask | django | django_db) echo 1.2 ;;
    *) echo - ;;
  esac
}

# warm_up LABEL URL: WARMUP seconds of load in slices, printing each slice's req/s.
warm_up() {
  local curve="" elapsed=0 slice
  for _ in $(seq 16); do curl -s -o /dev/null "$2"; done
  while ((elapsed < WARMUP)); do
    slice=$((WARMUP - elapsed < WARMUP_SLICE ? WARMUP - elapsed : WARMUP_SLICE))
    curve+=" $("$WRK" -t1 -c"$CONNECTIONS" -d"${slice}s" "$2" | awk '/^Requests\/sec:/ { printf "%d", $2 }')"
    elapsed=$((elapsed + slice))
  done
  echo "  $1 warm-up, req/s per ${WARMUP_SLICE} s:$curve" >&2
}

# run_once SERVER APP PID URL ROUND: one measured wrk run; appends "rps p50 p99 cpu_us" to a file.
run_once() {
  local server="$1" app="$2" pid="$3" url="$4" out="$WORK/wrk.txt" ticks0 busy0 ticks busy rps
  local p50 p99 requests cpu others
  ticks0="$(tree_ticks "$pid")"
  busy0="$(busy_ticks)"
  "$WRK" -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$out"
  ticks=$(($(tree_ticks "$pid") - ticks0))
  busy=$(($(busy_ticks) - busy0))
  if grep -q 'Non-2xx or 3xx responses' "$out"; then
    echo "error: $server $app: wrk saw errors:" >&2
    cat "$out" >&2
    exit 1
  fi
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  requests="$(awk '/requests in/ { print $1 }' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  cpu="$(awk -v t="$ticks" -v n="$requests" -v us="$TICK_US" 'BEGIN { printf "%.1f", n ? t * us / n : 0 }')"
  # What the rest of the machine used meanwhile (wrk included), in % of one CPU.
  others="$(awk -v b="$busy" -v t="$ticks" -v d="$DURATION" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f", (b - t) * 100 / (d * hz) }')"
  printf '  %-8s %-9s round %d: %8.0f req/s  p50 %6s ms  p99 %6s ms  server %7s us/req  others %3s%% CPU\n' \
    "$server" "$app" "$5" "$rps" "$p50" "$p99" "$cpu" "$others" >&2
  echo "$rps $p50 $p99 $cpu" >>"$WORK/$server.$app"
}

# measure_app APP: every server of APP started, warmed up, measured ROUNDS times interleaved;
# then their RSS (each worker, and all processes) and a last check of their answers.
measure_app() {
  local app="$1" server round order i
  local -a servers pids urls
  read -r -a servers <<<"$(servers_for "$app")"
  for server in "${servers[@]}"; do
    start_server "$server" "$app" "$SNAPSHOTS"
    pids+=("$SERVER_PID")
    urls+=("$URL")
    warm_up "$server $app" "$URL"
  done
  for round in $(seq "$ROUNDS"); do
    order=$(seq 0 $((${#servers[@]} - 1)))
    ((round % 2 == 0)) && order=$(seq $((${#servers[@]} - 1)) -1 0)
    for i in $order; do run_once "${servers[$i]}" "$app" "${pids[$i]}" "${urls[$i]}" "$round"; done
  done
  for i in "${!servers[@]}"; do
    echo "$(worker_rss_kb "${pids[$i]}") $(rss_kb "${pids[$i]}")" >"$WORK/${servers[$i]}.$app.rss"
    check_response "${servers[$i]} $app (after the runs)" \
      "$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "${urls[$i]}")" \
      "$WORK/${servers[$i]}.$app.log"
  done
  stop_all
}

# ratio FILE COLUMN BASE_FILE: the median of COLUMN in FILE over BASE_FILE's (req/s), or the
# inverse for CPU per request (BASE's over FILE's): how many times gunicorn's, either way.
ratio() {
  local mine base
  [[ -f "$3" ]] || { echo -; return; }
  mine="$(median "$2" "$1")"
  base="$(median "$2" "$3")"
  awk -v m="$mine" -v b="$base" -v c="$2" 'BEGIN {
    if (m <= 0 || b <= 0) { print "-"; exit }
    printf "%.2f", c == 4 ? b / m : m / b }'
}

if [[ -n "$BENCH_APPS" ]]; then
  echo "edge-wsgi Python bench: wrk -t1 -c$CONNECTIONS -d${DURATION}s, warm-up ${WARMUP}s," \
    "$ROUNDS interleaved round(s), medians" >&2
  echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); deno $("$DENO" --version | head -1 | cut -d' ' -f2)," \
    "bun $("$BUN" --version), $("$GUNICORN" --version 2>&1 | head -1), uWSGI $("$UWSGI" --version)" >&2
  for app in $BENCH_APPS; do measure_app "$app"; done

  echo
  echo "| app | server | req/s | × gunicorn | CPU per request (µs) | × gunicorn by CPU | goal | p50 / p99 (ms) | RSS per worker (MiB) | RSS, all processes (MiB) |"
  echo "| --- | ------ | ----: | ---------: | -------------------: | ----------------: | ---: | -------------: | -------------------: | -----------------------: |"
  for app in $BENCH_APPS; do
    base_app="$app"
    [[ "$app" == ts ]] && base_app=hello
    for server in $(servers_for "$app"); do
      file="$WORK/$server.$app"
      read -r worker_kb all_kb <"$file.rss"
      awk -v app="$app" -v server="$server" -v rps="$(median 1 "$file")" \
        -v by_rps="$(ratio "$file" 1 "$WORK/gunicorn.$base_app")" -v cpu="$(median 4 "$file")" \
        -v by_cpu="$(ratio "$file" 4 "$WORK/gunicorn.$base_app")" -v goal="$(goal_for "$app")" \
        -v p50="$(median 2 "$file")" -v p99="$(median 3 "$file")" -v worker="$worker_kb" -v all="$all_kb" 'BEGIN {
          printf "| %s | %s | %.0f | %s | %.1f | %s | %s | %.2f / %.2f | %.0f | %.0f |\n", app, server, rps, by_rps, cpu, by_cpu, goal, p50, p99, worker / 1024, all / 1024
        }'
    done
  done
  echo
  echo "(--workers 2 / -w 2 each; RSS right after the last round; for uWSGI the largest process is its master.)"
fi

# Start-up: spawn to the first right response, one worker, the defaults.
if [[ -n "$STARTUP_APPS" ]]; then
  echo
  echo "| app | server | cold: empty snapshot folder (s) | warm: from the snapshot, median of $STARTUP_RUNS (s) | warm, range (s) | no snapshot (s) |"
  echo "| --- | ------ | ------------------------------: | ---------------------: | --------------: | --------------: |"
  for app in $STARTUP_APPS; do
    for server in gunicorn $RUNTIMES; do
      if [[ "$server" == gunicorn ]]; then
        runs=""
        for _ in $(seq "$STARTUP_RUNS"); do
          start_server gunicorn "$app" off 1
          runs+="$STARTUP_MS"$'\n'
          stop_all
        done
        printf '%s' "$runs" | sort -g | awk -v app="$app" '{ v[NR] = $1 } END {
          printf "| %s | gunicorn -w 1 | - | %.2f | %.2f–%.2f | - |\n", app, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000 }'
        continue
      fi
      fresh="$WORK/startup-snapshots-$server-$app"
      rm -rf "$fresh"
      start_server "$server" "$app" "$fresh" 1
      cold="$STARTUP_MS"
      stop_all
      runs=""
      for _ in $(seq "$STARTUP_RUNS"); do
        start_server "$server" "$app" "$fresh" 1
        runs+="$STARTUP_MS"$'\n'
        stop_all
      done
      start_server "$server" "$app" off 1
      off="$STARTUP_MS"
      stop_all
      printf '%s' "$runs" | sort -g | awk -v app="$app" -v server="$server" -v cold="$cold" -v off="$off" '
        { v[NR] = $1 } END {
          printf "| %s | %s | %.2f | %.2f | %.2f–%.2f | %.2f |\n", app, server, cold / 1000, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000, off / 1000 }'
    done
  done
  echo
  echo "(The goal: warm under 1 s for Flask and Django on both runtimes.)"
fi
