#!/usr/bin/env bash
# Makes what `docker compose up` needs available, skipping whatever is there already:
#   - a Docker engine: Debian's docker.io package when neither docker nor dockerd is installed, and
#     dockerd started (as root, logging to ~/.cache/sweetgiggles/dockerd.log) when no engine answers;
#   - Docker Compose v2 as a CLI plugin, built from its Go module (install-compose.sh);
#   - the images docker-compose.yml and the Dockerfile name, built locally only where they neither
#     exist nor can be pulled (local-images.sh).
# Used by the Compose tests (`npm test` runs it in CI, or when DOCKER=1) and by hand before
# `docker compose up --build --wait` on a machine without Docker.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles"

say() { printf '\033[1m[docker]\033[0m %s\n' "$*"; }
# shellcheck source=../lib/quietly.sh
. "$here/../lib/quietly.sh"

engine_answers() { docker info >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }

if ! engine_answers && ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1 || ! is_root; then
    say "no Docker engine answers and none is installed: install Docker (Debian: apt-get install docker.io, as root)"
    exit 1
  fi
  say "installing Docker from Debian's docker.io package"
  start=$SECONDS
  quietly apt-get-update apt-get update -qq
  quietly docker-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io
  say "Docker installed in $((SECONDS - start)) s"
fi

if engine_answers; then
  say "a Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
else
  if ! is_root; then
    say "no Docker engine answers: start one (sudo dockerd, or your init system's docker service)"
    exit 1
  fi
  mkdir -p "$CACHE_DIR"
  log="$CACHE_DIR/dockerd.log"
  say "starting dockerd (its log: $log)"
  # In a session of its own, so that it outlives this script and a Ctrl-C in the terminal.
  setsid dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 60); do
    engine_answers && break
    sleep 0.5
  done
  engine_answers || { say "dockerd did not answer within 30 s; the end of $log:"; tail -n 20 "$log" >&2; exit 1; }
  say "dockerd $(docker version --format '{{.Server.Version}}') answers"
fi

bash "$here/install-compose.sh"
bash "$here/local-images.sh"
