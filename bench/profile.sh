#!/usr/bin/env bash
# CPU profiles of edge-wsgi under load, on each runtime: the hello app (SHAPE) and a 1 KB
# static file through createApp(), each loaded with wrk, then stopped with SIGTERM so that the
# runtime's --cpu-prof writes its profile. Prints the top self-time frames of each.
#
#   bash bench/profile.sh        (or: npm run bench:profile)
#
# Environment:
#   DURATION     seconds of load per profile (default 5)
#   RUNTIMES     which runtimes (default "deno bun")
#   TARGETS      what to profile (default "hello static"; also "revalidate", the 1 KB file's 304)
#   SHAPE        the hello app's shape, as in bench/hello_shapes.ts (default bytes_length)
#   TOP          frames listed per profile (default 15)
#   OUT          where the .cpuprofile files go (default: a temporary folder, printed)
#   CONNECTIONS  wrk connections (default 50); DENO, BUN, WRK (binaries)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-5}"
RUNTIMES="${RUNTIMES:-deno bun}"
TARGETS="${TARGETS:-hello static}"
SHAPE="${SHAPE:-bytes_length}"
TOP="${TOP:-15}"
CONNECTIONS="${CONNECTIONS:-50}"
DENO="${DENO:-$ROOT/node_modules/.bin/deno}"
BUN="${BUN:-$ROOT/node_modules/.bin/bun}"
WRK="${WRK:-wrk}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
command -v "$WRK" >/dev/null || {
  echo "error: wrk not found (apt-get install -y wrk)" >&2
  exit 1
}

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/site"
head -c 768 /dev/urandom | base64 -w 0 | head -c 1024 >"$WORK/site/1k.txt"

for runtime in $RUNTIMES; do
  for target in $TARGETS; do
    dir="$OUT/$runtime-$target"
    rm -rf "$dir"
    mkdir -p "$dir"
    root=""
    path=""
    if [[ "$target" == static || "$target" == revalidate ]]; then
      root="$WORK/site"
      path="1k.txt"
    fi
    case "$runtime" in
      deno) command=("$DENO" run -A --cpu-prof --cpu-prof-dir="$dir" bench/profile_server.ts) ;;
      bun) command=("$BUN" --cpu-prof --cpu-prof-dir="$dir" run bench/profile_server.ts) ;;
      *)
        echo "error: unknown runtime '$runtime'" >&2
        exit 2
        ;;
    esac
    STATIC_ROOT="$root" SHAPE="$SHAPE" PORT=0 "${command[@]}" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    URL=""
    for _ in $(seq 200); do
      URL="$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*/' "$WORK/server.log" || true)"
      [[ -n "$URL" ]] && break
      sleep 0.05
    done
    [[ -n "$URL" ]] || {
      echo "error: $runtime $target server did not start:" >&2
      cat "$WORK/server.log" >&2
      exit 1
    }
    curl -fs -o /dev/null "$URL$path" || {
      echo "error: $runtime $target server does not answer ${URL}$path" >&2
      exit 1
    }
    # revalidate: the 1 KB file asked again with its own ETag, so every answer is a 304.
    header=()
    if [[ "$target" == revalidate ]]; then
      header=(-H "If-None-Match: $(curl -fsI "$URL$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')")
    fi
    "$WRK" -t1 -c"$CONNECTIONS" -d"${DURATION}s" "${header[@]}" "$URL$path" | awk '/Requests\/sec/ { print "  '"$runtime $target"': " $2 " req/s under the profiler" }' >&2
    kill -TERM "$SERVER_PID"
    for _ in $(seq 200); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.05
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "error: $runtime $target server did not stop on SIGTERM" >&2
      exit 1
    fi
    wait "$SERVER_PID" || true
    SERVER_PID=""
    profile="$(find "$dir" -name '*.cpuprofile' | head -1)"
    [[ -n "$profile" ]] || {
      echo "error: $runtime wrote no profile for $target:" >&2
      cat "$WORK/server.log" >&2
      exit 1
    }
    echo
    echo "### $runtime, $target"
    echo
    "$DENO" run --allow-read bench/profile_top.ts "$profile" "$TOP"
  done
done
echo
echo "profiles in $OUT (open them in Chrome DevTools' Performance panel)"
