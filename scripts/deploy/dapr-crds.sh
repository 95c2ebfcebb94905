#!/usr/bin/env bash
# Prints the directory that holds Dapr's CustomResourceDefinitions (its Helm chart's crds/), taken
# from Dapr's own Go module through the Go module proxy, so the deployment checks validate the
# Component, Configuration and Resiliency resources against the schemas of the Dapr version we run.
#
#   bash scripts/deploy/dapr-crds.sh            # -> .../github.com/dapr/dapr@v1.18.2/charts/dapr/crds
#   DAPR_VERSION=1.18.3 bash scripts/deploy/dapr-crds.sh
set -euo pipefail

DAPR_VERSION="${DAPR_VERSION:-1.18.2}"

command -v go >/dev/null 2>&1 || { echo "dapr-crds: Go is needed to download github.com/dapr/dapr@v$DAPR_VERSION" >&2; exit 1; }

# Outside any module, so no go.mod around the caller can get in the way.
module_dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS=-mod=mod go mod download -json "github.com/dapr/dapr@v$DAPR_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
crds="$module_dir/charts/dapr/crds"
[ -n "$module_dir" ] && [ -f "$crds/components.yaml" ] || {
  echo "dapr-crds: no CRDs in github.com/dapr/dapr@v$DAPR_VERSION (looked in '$crds')" >&2
  exit 1
}
printf '%s\n' "$crds"
