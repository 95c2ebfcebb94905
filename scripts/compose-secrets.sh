#!/usr/bin/env bash
# Writes .env beside docker-compose.yml with fresh random Dapr tokens, unless it already has them:
#   DAPR_API_TOKEN  what each app sends its sidecar (daprd refuses calls without it)
#   APP_API_TOKEN   what each sidecar sends its app (the apps refuse calls without it)
# .env is in .gitignore: the tokens stay on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
touch .env
chmod 600 .env
for name in DAPR_API_TOKEN APP_API_TOKEN; do
  if ! grep -q "^${name}=" .env; then
    echo "${name}=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" >>.env
    echo "wrote ${name} to .env"
  fi
done
