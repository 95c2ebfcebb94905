# Sourced by the setup scripts. `quietly NAME COMMAND…` runs a long, chatty step (a Go build, an
# apt-get install) with its output in a log file, so the terminal shows one line per step. When the
# step fails, the end of the log is printed with the log's path, and the script stops.
SETUP_LOG_DIR="${SETUP_LOG_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/setup-logs}"

quietly() {
  local name="$1"
  shift
  mkdir -p "$SETUP_LOG_DIR"
  local log="$SETUP_LOG_DIR/$name.log"
  if ! "$@" >"$log" 2>&1; then
    printf '\033[1;31m[setup]\033[0m %s failed; the last lines of %s:\n' "$name" "$log" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}
