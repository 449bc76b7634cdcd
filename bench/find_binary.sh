# Sourced by the bench scripts: find_binary NAME prints the path of a runtime or tool, preferring
# the project's own copy in node_modules/.bin (needs ROOT set to the project's folder).
find_binary() {
  if [[ -x "$ROOT/node_modules/.bin/$1" ]]; then
    echo "$ROOT/node_modules/.bin/$1"
  elif command -v "$1" >/dev/null; then
    command -v "$1"
  else
    echo "error: $1 not found (npm install, or set ${1^^}=/path/to/$1)" >&2
    exit 1
  fi
}
