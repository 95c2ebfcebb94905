#!/usr/bin/env bash
# Installs Docker Compose v2 as a Docker CLI plugin (~/.docker/cli-plugins/docker-compose) by building
# it from its Go module, when no `docker compose` answers. Skips the build when that version is there.
set -euo pipefail

COMPOSE_VERSION="${COMPOSE_VERSION:-2.40.3}"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
WORK_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/compose-build"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m[compose]\033[0m %s\n' "$*"; }
# shellcheck source=../lib/quietly.sh
. "$here/lib/quietly.sh"

installed_version() {
  docker compose version --short 2>/dev/null | sed 's/^v//'
}

if [ "$(installed_version)" = "$COMPOSE_VERSION" ]; then
  say "Docker Compose $COMPOSE_VERSION is installed"
  exit 0
fi
command -v go >/dev/null 2>&1 || { say "Go is needed to build Docker Compose $COMPOSE_VERSION (https://go.dev/dl/), or install Docker's compose plugin"; exit 1; }
say "building Docker Compose $COMPOSE_VERSION from github.com/docker/compose/v2 (about 3 minutes the first time)"
start=$SECONDS
module=github.com/docker/compose/v2
dir="$(go mod download -json "$module@v$COMPOSE_VERSION" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] || { say "could not download $module@v$COMPOSE_VERSION"; exit 1; }
# A copy, built as its own main module: the module cache is read-only and go.sum may lack entries.
src="$WORK_DIR/compose-$COMPOSE_VERSION"
rm -rf "$src" && mkdir -p "$WORK_DIR" "$PLUGIN_DIR" && cp -r "$dir" "$src" && chmod -R u+w "$src"
(cd "$src" && quietly compose-build env GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=v$COMPOSE_VERSION" \
  -o "$PLUGIN_DIR/docker-compose.tmp" ./cmd)
mv "$PLUGIN_DIR/docker-compose.tmp" "$PLUGIN_DIR/docker-compose"
rm -rf "$src"
say "Docker Compose $(installed_version) installed in $((SECONDS - start)) s"
