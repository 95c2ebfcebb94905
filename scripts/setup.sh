#!/usr/bin/env bash
# Brings a fresh clone to a runnable state, installing only what is missing:
#   1. npm dependencies, including Node 26 itself (the `node` package) when the system Node is older;
#   2. the Dapr runtime and CLI in ~/.dapr/bin (built from Dapr's Go modules if `dapr init` was not run);
#   3. the storefront build;
#   4. with --for-tests or OBSERVABILITY=1: Jaeger and Prometheus; with --for-tests, Chromium;
#   5. with --for-tests in CI (CI=true) or with DOCKER=1: a Docker engine, Compose and the images;
#   6. with --for-tests in CI (CI=true) or with K8S=1: the Kubernetes control plane's tools.
# Safe to run again: each step checks first and says what it did.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
# shellcheck source=lib/quietly.sh
. scripts/lib/quietly.sh

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  start=$SECONDS
  quietly npm-ci npm ci --no-audit --no-fund --loglevel=error
  say "npm dependencies installed in $((SECONDS - start)) s"
else
  say "npm dependencies are installed"
fi

node_major="$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 26 ]; then
  say "Node 26 is missing from node_modules; run 'npm ci' again"
  exit 1
fi
say "using Node $(node_modules/.bin/node --version)"

bash scripts/install-dapr.sh
if [ "${1:-}" = "--for-tests" ] || [ "${OBSERVABILITY:-}" = "1" ]; then bash scripts/install-observability.sh; fi

if [ -f frontend/index.html ]; then
  newest_source="$(find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json -newer frontend/dist/index.html 2>/dev/null | head -n 1 || true)"
  if [ ! -f frontend/dist/index.html ] || [ -n "$newest_source" ]; then
    start=$SECONDS
    PATH="$PWD/node_modules/.bin:$PATH" quietly storefront-build npm run build --silent -w @sweetgiggles/frontend
    say "built the storefront in $((SECONDS - start)) s"
  else
    say "the storefront is built"
  fi
fi

if [ "${1:-}" = "--for-tests" ]; then
  if command -v chromium >/dev/null 2>&1; then
    say "Chromium is installed"
  elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "installing Chromium from Debian's packages"
    start=$SECONDS
    quietly apt-get-update apt-get update -qq
    quietly chromium-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    say "Chromium installed in $((SECONDS - start)) s"
  else
    say "the browser tests need Chromium: install your distribution's 'chromium' package"
    exit 1
  fi
fi

# RabbitMQ, where this machine may administer it: the virtual hosts of the tests and the benchmark
# (so that they run beside the shop without sharing its queues; see scripts/lib/brokers.ts), and in
# each, the policy that deletes a notifier replica's broadcast queue once its replica has gone: an
# hour after, in the shop's, as brokers/rabbitmq/definitions.json defines it for the brokers started
# in containers; a minute after, in those of the tests and the benchmark, which start a new notifier
# every few seconds. Until it is deleted, such a queue stays bound to its topic and takes a copy of
# every event published there: two dozen of them doubled the broker's CPU per order in the benchmark.
if command -v rabbitmqctl >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && rabbitmqctl -q list_vhosts >/dev/null 2>&1; then
  # The policy's name, pattern and definition, one a line.
  mapfile -t policy < <(node -e '
    const { policies } = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const p = policies.find((p) => p.name === "sweetgiggles-broadcast-expiry");
    console.log([p.name, p.pattern, JSON.stringify(p.definition)].join("\n"));' brokers/rabbitmq/definitions.json)
  for vhost in / sweetgiggles-tests sweetgiggles-benchmark; do
    if ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qxF "$vhost"; then
      quietly "rabbitmq-vhost" rabbitmqctl -q add_vhost "$vhost"
      quietly "rabbitmq-permissions" rabbitmqctl -q set_permissions -p "$vhost" guest '.*' '.*' '.*'
      say "created the RabbitMQ virtual host $vhost"
    fi
    definition=${policy[2]}
    [ "$vhost" = / ] || definition='{"expires":60000}'
    if ! rabbitmqctl -q list_policies -p "$vhost" 2>/dev/null | grep -F "${policy[0]}" | grep -qF "$definition"; then
      quietly "rabbitmq-policy" rabbitmqctl -q set_policy -p "$vhost" --apply-to queues "${policy[0]}" "${policy[1]}" "$definition"
      say "set the RabbitMQ expiry policy for broadcast queues in $vhost"
    fi
  done
  say "RabbitMQ virtual hosts and policies are set"
fi

# The Compose suite's Docker engine, Compose v2 and images (scripts/deploy/docker-engine.sh): always
# in CI, elsewhere when asked with DOCKER=1. Without them the suite runs only where an engine answers.
if [ "${1:-}" = "--for-tests" ] && { [ "${CI:-}" = "true" ] || [ "${DOCKER:-}" = "1" ]; }; then
  bash scripts/deploy/docker-engine.sh
fi

# The Kubernetes suite's control plane, kwok, metrics-server and Dapr's Sentry and injector, built
# once per machine from their Go modules (scripts/deploy/kubernetes.sh): always in CI, elsewhere
# when asked with K8S=1. Without them the suite is skipped, saying so.
if [ "${1:-}" = "--for-tests" ] && { [ "${CI:-}" = "true" ] || [ "${K8S:-}" = "1" ]; }; then
  bash scripts/deploy/kubernetes.sh build
fi
