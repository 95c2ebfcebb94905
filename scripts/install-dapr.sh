#!/usr/bin/env bash
# Installs the Dapr runtime (daprd) and the dapr CLI into ~/.dapr/bin, where `dapr init` puts them,
# by building them from Dapr's own Go modules. Skips whatever is already there at the right version.
set -euo pipefail

DAPR_VERSION="${DAPR_VERSION:-1.18.2}"
# The newest CLI whose module the Go proxy serves whole.
DAPR_CLI_VERSION="${DAPR_CLI_VERSION:-1.16.5}"
BIN_DIR="${DAPR_BIN_DIR:-$HOME/.dapr/bin}"
WORK_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/dapr-build"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

say() { printf '\033[1m[dapr]\033[0m %s\n' "$*"; }
# shellcheck source=lib/quietly.sh
. "$here/lib/quietly.sh"

need_go() {
  command -v go >/dev/null 2>&1 || { say "Go is needed to build Dapr $DAPR_VERSION (https://go.dev/dl/), or install Dapr with 'dapr init'."; exit 1; }
}

# Copies a module from the Go module cache into a writable build directory.
module_source() {
  local module="$1" version="$2" dir
  dir="$(go mod download -json "$module@v$version" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] || { say "could not download $module@v$version"; exit 1; }
  local dest="$WORK_DIR/$(basename "$module")-$version"
  rm -rf "$dest" && mkdir -p "$WORK_DIR" && cp -r "$dir" "$dest" && chmod -R u+w "$dest"
  printf '%s' "$dest"
}

mkdir -p "$BIN_DIR"

if [ -x "$BIN_DIR/daprd" ] && [ "$("$BIN_DIR/daprd" --version 2>/dev/null)" = "$DAPR_VERSION" ]; then
  say "daprd $DAPR_VERSION is installed"
else
  need_go
  say "building daprd $DAPR_VERSION from github.com/dapr/dapr (a few minutes the first time)"
  start=$SECONDS
  src="$(module_source github.com/dapr/dapr "$DAPR_VERSION")"
  cp "$here/daprd/components.go" "$src/cmd/daprd/components/zz_notag.go"
  (cd "$src" && quietly daprd-build go build -trimpath \
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION -X github.com/dapr/dapr/pkg/buildinfo.gitversion=v$DAPR_VERSION" \
    -o "$BIN_DIR/daprd" ./cmd/daprd)
  rm -rf "$src"
  say "daprd $DAPR_VERSION installed in $((SECONDS - start)) s"
fi

if [ -x "$BIN_DIR/dapr" ] && "$BIN_DIR/dapr" version 2>/dev/null | grep -q "CLI version: $DAPR_CLI_VERSION"; then
  say "dapr CLI $DAPR_CLI_VERSION is installed"
else
  need_go
  say "building the dapr CLI $DAPR_CLI_VERSION from github.com/dapr/cli"
  start=$SECONDS
  src="$(module_source github.com/dapr/cli "$DAPR_CLI_VERSION")"
  # The CLI's pinned components-contrib v1.16.3 is not served by the module proxy; v1.16.5 is the
  # nearest patch release that is.
  (cd "$src" && go mod edit -require=github.com/dapr/components-contrib@v1.16.5 && quietly dapr-cli-build go build -mod=mod -trimpath \
    -ldflags "-s -w -X main.version=$DAPR_CLI_VERSION -X main.apiVersion=1.0" -o "$BIN_DIR/dapr" .)
  rm -rf "$src"
  say "dapr CLI $DAPR_CLI_VERSION installed in $((SECONDS - start)) s"
fi
