#!/usr/bin/env bash
# Installs what local tracing and metrics need, skipping whatever is already there:
#   - Jaeger all-in-one (collector with OTLP, in-memory store, query API) built from Jaeger's own Go
#     module into ~/.cache/sweetgiggles/bin;
#   - Prometheus from Debian's package (needs root and apt-get; otherwise says what to do).
# Used by `npm start` with OBSERVABILITY=1 and by the observability tests (scripts/lib/observability.ts).
set -euo pipefail

JAEGER_VERSION="${JAEGER_VERSION:-1.76.0}"
BIN_DIR="${SWEETGIGGLES_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/bin}"
WORK_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/jaeger-build"
JAEGER_BIN="$BIN_DIR/jaeger-all-in-one"

say() { printf '\033[1m[observability]\033[0m %s\n' "$*"; }
# shellcheck source=lib/quietly.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/quietly.sh"

installed_jaeger_version() {
  # `version` prints {"gitCommit":"…","gitVersion":"v1.76.0",…}; the EOL notice goes to stderr.
  "$JAEGER_BIN" version 2>/dev/null | sed -n 's/.*"gitVersion":"v\{0,1\}\([^"]*\)".*/\1/p'
}

mkdir -p "$BIN_DIR"

if [ -x "$JAEGER_BIN" ] && [ "$(installed_jaeger_version)" = "$JAEGER_VERSION" ]; then
  say "Jaeger all-in-one $JAEGER_VERSION is installed"
else
  command -v go >/dev/null 2>&1 || { say "Go is needed to build Jaeger $JAEGER_VERSION (https://go.dev/dl/); or put a jaeger-all-in-one binary at $JAEGER_BIN"; exit 1; }
  say "building Jaeger all-in-one $JAEGER_VERSION from github.com/jaegertracing/jaeger (a few minutes the first time)"
  start=$SECONDS
  dir="$(go mod download -json "github.com/jaegertracing/jaeger@v$JAEGER_VERSION" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] || { say "could not download github.com/jaegertracing/jaeger@v$JAEGER_VERSION"; exit 1; }
  # Jaeger's go.mod has a replace directive, so `go install module@version` refuses it: build a copy.
  src="$WORK_DIR/jaeger-$JAEGER_VERSION"
  rm -rf "$src" && mkdir -p "$WORK_DIR" && cp -r "$dir" "$src" && chmod -R u+w "$src"
  # The UI's compiled assets are not in the Go module (they come from a separate npm build), so
  # the binary serves a placeholder page on the UI port; the query API (/api/...) is complete.
  (cd "$src" && quietly jaeger-build go build -trimpath \
    -ldflags "-s -w -X github.com/jaegertracing/jaeger/internal/version.latestVersion=v$JAEGER_VERSION" \
    -o "$JAEGER_BIN.tmp" ./cmd/all-in-one)
  mv "$JAEGER_BIN.tmp" "$JAEGER_BIN"
  rm -rf "$src"
  say "Jaeger all-in-one $JAEGER_VERSION installed in $((SECONDS - start)) s"
fi

if [ -n "${PROMETHEUS_BIN:-}" ] && [ -x "$PROMETHEUS_BIN" ]; then
  say "Prometheus is installed ($PROMETHEUS_BIN)"
elif command -v prometheus >/dev/null 2>&1; then
  say "Prometheus is installed ($(prometheus --version 2>&1 | head -n 1))"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  say "installing Prometheus from Debian's packages"
  start=$SECONDS
  quietly apt-get-update apt-get update -qq
  # Without recommends: no node exporter. The package's own service is not wanted (it would take
  # port 9090, which the sidecars' metrics use): stop it if the init system started one.
  quietly prometheus-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
  elif [ -x /etc/init.d/prometheus ]; then
    /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  fi
  say "Prometheus installed in $((SECONDS - start)) s ($(prometheus --version 2>&1 | head -n 1))"
else
  say "Prometheus is missing: install your distribution's 'prometheus' package (Debian: apt-get install prometheus, as root), or set PROMETHEUS_BIN to a prometheus binary"
  exit 1
fi
