#!/usr/bin/env bash
# A real Kubernetes control plane on this machine's loopback, for the Kubernetes tests and by hand:
#
#   bash scripts/deploy/kubernetes.sh build        # build the tools (cached, see below)
#   bash scripts/deploy/kubernetes.sh up [DIR]     # start a cluster whose files live in DIR
#   bash scripts/deploy/kubernetes.sh down [DIR]   # stop it, by the pids it recorded
#   bash scripts/deploy/kubernetes.sh kubectl      # print kubectl's path if every tool is built
#
# What it builds from Go modules, each once per version under
# ${XDG_CACHE_HOME:-~/.cache}/sweetgiggles/kubernetes/ (shared by every clone on the machine):
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kubectl, kwok (nodes and pods
# that are simulated: there is no kubelet and no container runtime), metrics-server, and Dapr's
# sentry and sidecar injector at the version of daprd (scripts/install-dapr.sh).
#
# What `up` starts, on 127.0.0.1 only: etcd, the API server (with the aggregation layer, for
# metrics-server), the controller manager, the scheduler, kwok with one node, Dapr's CRDs, sentry and
# the injector (a MutatingWebhookConfiguration points the API server at it), and metrics-server fed
# by kwok's simulated resource usage. The cluster's kubeconfig is DIR/kubeconfig; its certificates
# are made with openssl in DIR/pki. Ports: K8S_PORT_BASE (default 28800) and the 10 above it.
set -Eeuo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-3.7.3}"
KWOK_VERSION="${KWOK_VERSION:-0.8.0}"
METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-0.8.0}"
DAPR_VERSION="${DAPR_VERSION:-1.18.2}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles/kubernetes"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

say() { printf '\033[1m[kubernetes]\033[0m %s\n' "$*"; }
# shellcheck source=../lib/quietly.sh
. "$here/../lib/quietly.sh"

K8S_BIN="$CACHE_ROOT/kubernetes-v$K8S_VERSION"
ETCD_BIN="$CACHE_ROOT/etcd-v$ETCD_VERSION"
KWOK_BIN="$CACHE_ROOT/kwok-v$KWOK_VERSION"
METRICS_BIN="$CACHE_ROOT/metrics-server-v$METRICS_SERVER_VERSION"
DAPR_BIN="$CACHE_ROOT/dapr-$DAPR_VERSION"

# The directory of a module in the Go module cache, downloading it when missing.
module_dir() {
  (cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json "$1@$2" 2>/dev/null) |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p'
}

# A writable copy of a module, to build as its own main module (the module cache is read-only).
module_copy() {
  local dir dest="$2"
  dir="$(module_dir "$1" "$3")"
  [ -n "$dir" ] || { say "could not download $1@$3"; return 1; }
  rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && cp -r "$dir" "$dest" && chmod -R u+w "$dest"
}

# Runs a build step once per output directory, under a lock, so that two runs at once (two clones,
# two CI jobs) build it once and the second waits for the first. The outputs appear at once, by a
# rename, only when the whole step succeeded.
#   built NAME OUTDIR FILE... -- COMMAND   (COMMAND gets the temporary output directory as $1)
built() {
  local name="$1" out="$2"
  shift 2
  local files=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  shift
  mkdir -p "$CACHE_ROOT"
  exec {lock}>"$CACHE_ROOT/.$name.lock"
  flock "$lock"
  local missing=0 f
  for f in "${files[@]}"; do [ -x "$out/$f" ] || missing=1; done
  if [ "$missing" = 0 ]; then
    exec {lock}>&-
    return 0
  fi
  say "building $name (once per machine)"
  local start=$SECONDS tmp="$out.tmp.$$"
  rm -rf "$tmp" && mkdir -p "$tmp"
  if ! ("$@" "$tmp"); then rm -rf "$tmp"; exec {lock}>&-; return 1; fi
  rm -rf "$out" && mv "$tmp" "$out"
  say "built $name in $((SECONDS - start)) s"
  exec {lock}>&-
}

build_kubernetes() {
  local out="$1" src="$CACHE_ROOT/src/kubernetes-$$"
  module_copy k8s.io/kubernetes "$src" "v$K8S_VERSION"
  # The module as published has no staging/: each k8s.io/X it replaces with ./staging/src/k8s.io/X
  # is taken at its published version instead.
  local edits=() m
  rm -f "$src/go.work" "$src/go.work.sum"
  for m in $(sed -n 's/^[[:space:]]*\(k8s.io\/[^ ]*\) => \.\/staging\/.*/\1/p' "$src/go.mod"); do
    edits+=("-dropreplace=$m" "-require=$m@v0.${K8S_VERSION#1.}")
  done
  (cd "$src" && go mod edit "${edits[@]}")
  local ldflags="-s -w" key val
  for key in gitVersion:v$K8S_VERSION gitMajor:1 gitMinor:"$(echo "$K8S_VERSION" | cut -d. -f2)" gitTreeState:clean; do
    val="${key#*:}"
    key="${key%%:*}"
    ldflags+=" -X k8s.io/component-base/version.$key=$val -X k8s.io/client-go/pkg/version.$key=$val"
  done
  (cd "$src" && quietly kubernetes-build env GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
    -ldflags "$ldflags" -o "$out/" ./cmd/kube-apiserver ./cmd/kube-controller-manager ./cmd/kube-scheduler ./cmd/kubectl)
  rm -rf "$src"
}

build_etcd() {
  local out="$1" src="$CACHE_ROOT/src/etcd-$$"
  rm -rf "$src" && mkdir -p "$src"
  # etcd's server module is a library here: a main module of two lines runs its etcdmain.
  cat >"$src/main.go" <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$src" && go mod init sweetgiggles.test/etcd >/dev/null 2>&1 &&
    quietly etcd-get env GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" &&
    quietly etcd-build env GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out/etcd" .)
  rm -rf "$src"
}

build_kwok() {
  local out="$1" src="$CACHE_ROOT/src/kwok-$$"
  module_copy sigs.k8s.io/kwok "$src" "v$KWOK_VERSION"
  (cd "$src" && quietly kwok-build env GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=v$KWOK_VERSION" -o "$out/kwok" ./cmd/kwok)
  # kwok's stages (how simulated pods and nodes move through their lifecycle) and its resource
  # usage simulation, as the release ships them.
  cp -r "$src/kustomize" "$out/kustomize"
  rm -rf "$src"
}

build_metrics_server() {
  local out="$1" src="$CACHE_ROOT/src/metrics-server-$$"
  module_copy sigs.k8s.io/metrics-server "$src" "v$METRICS_SERVER_VERSION"
  (cd "$src" && quietly metrics-server-build env GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w" -o "$out/metrics-server" ./cmd/metrics-server)
  rm -rf "$src"
}

build_dapr() {
  local out="$1" src="$CACHE_ROOT/src/dapr-$$"
  module_copy github.com/dapr/dapr "$src" "v$DAPR_VERSION"
  (cd "$src" && quietly dapr-control-plane-build env GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION -X github.com/dapr/dapr/pkg/buildinfo.gitversion=v$DAPR_VERSION" \
    -o "$out/" ./cmd/sentry ./cmd/injector)
  cp -r "$src/charts/dapr/crds" "$out/crds"
  rm -rf "$src"
}

build() {
  command -v go >/dev/null 2>&1 || { say "Go is needed to build the Kubernetes tools (https://go.dev/dl/)"; exit 1; }
  command -v openssl >/dev/null 2>&1 || { say "openssl is needed for the cluster's certificates"; exit 1; }
  local start=$SECONDS pids=() pid failed=0
  # Side by side: the linker and the downloads leave cores idle that another build can use.
  built "kubernetes-v$K8S_VERSION" "$K8S_BIN" kube-apiserver kube-controller-manager kube-scheduler kubectl -- build_kubernetes &
  pids+=($!)
  built "etcd-v$ETCD_VERSION" "$ETCD_BIN" etcd -- build_etcd &
  pids+=($!)
  built "kwok-v$KWOK_VERSION" "$KWOK_BIN" kwok -- build_kwok &
  pids+=($!)
  built "metrics-server-v$METRICS_SERVER_VERSION" "$METRICS_BIN" metrics-server -- build_metrics_server &
  pids+=($!)
  built "dapr-$DAPR_VERSION" "$DAPR_BIN" sentry injector -- build_dapr &
  pids+=($!)
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || { say "a build failed (logs in $SETUP_LOG_DIR)"; exit 1; }
  say "tools ready in $((SECONDS - start)) s ($CACHE_ROOT)"
}

# Every tool `up` runs; fails naming the first one missing.
tools_built() {
  local f
  for f in "$K8S_BIN"/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl} "$ETCD_BIN/etcd" "$KWOK_BIN/kwok" \
    "$METRICS_BIN/metrics-server" "$DAPR_BIN"/{sentry,injector}; do
    [ -x "$f" ] || { say "$f is missing: run 'bash scripts/deploy/kubernetes.sh build' first"; return 1; }
  done
}

# shellcheck source=kubernetes-cluster.sh
. "$here/kubernetes-cluster.sh"

case "${1:-}" in
  build) build ;;
  kubectl) tools_built >&2 && printf '%s\n' "$K8S_BIN/kubectl" ;;
  up | down)
    DIR="$(mkdir -p "${2:-$CACHE_ROOT/cluster}" && cd "${2:-$CACHE_ROOT/cluster}" && pwd)"
    "$1"
    ;;
  *)
    echo "usage: $0 build | up [DIR] | down [DIR] | kubectl" >&2
    exit 2
    ;;
esac
