#!/usr/bin/env bash
# Makes every image that docker-compose.yml and the Dockerfile name available to the local engine.
# An image that is here already is used; one that can be pulled is pulled. Only an image that can be
# neither (a machine with no container registry) is built here, under its official name, as a
# stand-in made of Debian packages and of what the project builds itself (Node from npm, daprd,
# Jaeger). The files keep the official names, so on a machine with a registry nothing here is built.
#
# The stand-ins and what they hold:
#   NODE_IMAGE (Dockerfile)        Debian + the project's Node binary (node_modules/node) + npm
#   daprio/daprd                   Debian + the project's daprd build (scripts/install-dapr.sh)
#   redis                          Debian + Debian's redis-server
#   rabbitmq (-management)         Debian + Debian's rabbitmq-server with the management plugin
#   jaegertracing/jaeger           Debian + the project's Jaeger build (scripts/install-observability.sh)
#   prom/prometheus                Debian + Debian's prometheus
# Debian comes from debootstrap and the machine's own apt mirror. The versions inside are Debian's
# and the project's, not the tags' (Redis 7.0 for 7.4.2, RabbitMQ 3.10 for 4.1.0, Jaeger 1.x for
# 2.x): good for running the shop, not for judging those versions.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sweetgiggles"
DAPRD_BIN="${DAPR_BIN_DIR:-$HOME/.dapr/bin}/daprd"
JAEGER_BIN="${SWEETGIGGLES_BIN_DIR:-$CACHE_DIR/bin}/jaeger-all-in-one"
BASE_IMAGE=sweetgiggles-local/debian

say() { printf '\033[1m[images]\033[0m %s\n' "$*"; }
loud() { printf '\033[1;33m[images] %s\033[0m\n' "$*"; }
# shellcheck source=../lib/quietly.sh
. "$here/../lib/quietly.sh"

has_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The first Debian mirror and suite the machine's apt sources name (deb822 or one-line format).
apt_mirror() {
  local sources uri suite
  sources="$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)"
  uri="$(printf '%s\n' "$sources" | sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' | head -n 1)"
  suite="$(printf '%s\n' "$sources" | sed -n 's/^Suites:[[:space:]]*\([a-z]*\).*/\1/p' | head -n 1)"
  if [ -z "$uri" ]; then
    read -r uri suite < <(printf '%s\n' "$sources" | sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]]\{1,\}\([a-z]*\).*/\2 \3/p' | head -n 1)
  fi
  [ -n "$uri" ] && [ -n "$suite" ] || { say "no Debian mirror in the apt sources: the stand-in images need one"; exit 1; }
  printf '%s %s\n' "$uri" "$suite"
}

# A minimal Debian root file system from the machine's mirror, imported as $BASE_IMAGE:<suite>, whose
# name it leaves in $base. wget and CA certificates are in it because the compose file's health
# checks use wget.
ensure_base_image() {
  local mirror suite
  read -r mirror suite < <(apt_mirror)
  base="$BASE_IMAGE:$suite"
  if ! has_image "$base"; then
    if ! command -v debootstrap >/dev/null 2>&1; then
      quietly apt-get-update apt-get update -qq
      quietly debootstrap-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
    fi
    say "making a Debian $suite base image with debootstrap from $mirror"
    local rootfs="$CACHE_DIR/rootfs-$suite"
    rm -rf "$rootfs"
    quietly debootstrap debootstrap --variant=minbase --include=ca-certificates,wget "$suite" "$rootfs" "$mirror"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # As in Debian's official image: packages installed in a build start no services.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d" && chmod 755 "$rootfs/usr/sbin/policy-rc.d"
    tar -C "$rootfs" -c . | quietly base-import docker import - "$base"
    rm -rf "$rootfs"
  fi
}

# Builds image $1 from a Dockerfile on stdin, in build context $2. With the classic builder: the
# stand-ins need nothing of BuildKit's, and a Docker CLI without the buildx plugin refuses BuildKit.
build_image() {
  local name="$1" context="$2"
  quietly "image-$(printf '%s' "$name" | tr '/:' '--')" env DOCKER_BUILDKIT=0 docker build --pull=false -t "$name" -f - "$context"
}

# Each stand-in: build_<kind> NAME BASE CONTEXT. CONTEXT is an empty temporary directory.
build_node() {
  local name="$1" base="$2" ctx="$3" npm_dir
  cp "$root/node_modules/node/bin/node" "$ctx/node"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  cp -r "$npm_dir" "$ctx/npm"
  # npm in a build may reach the registry through a TLS-intercepting proxy whose CA the host trusts:
  # the host's extra CAs for Node, or else its whole trust store.
  local host_cas="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
  if [ -r "$host_cas" ]; then cp "$host_cas" "$ctx/extra-ca.pem"; else : >"$ctx/extra-ca.pem"; fi
  build_image "$name" "$ctx" <<EOF
FROM $base
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY extra-ca.pem /usr/local/share/extra-ca.pem
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/extra-ca.pem
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libatomic1 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd -g 1000 node && useradd -u 1000 -g node -m node
CMD ["node"]
EOF
}

build_daprd() {
  local name="$1" base="$2" ctx="$3"
  [ -x "$DAPRD_BIN" ] || { loud "no daprd at $DAPRD_BIN to put in $name: run scripts/install-dapr.sh first"; return 1; }
  cp "$DAPRD_BIN" "$ctx/daprd"
  # As in the official image: the binary at /daprd, the working directory /, a non-root user.
  build_image "$name" "$ctx" <<EOF
FROM $base
COPY daprd /daprd
WORKDIR /
USER 65532:65532
ENTRYPOINT []
CMD ["/daprd"]
EOF
}

build_redis() {
  local name="$1" base="$2" ctx="$3"
  # Like the official image's entry point: without a config file, Redis would refuse every client
  # but loopback (protected mode), so allow the container network.
  cat >"$ctx/entrypoint.sh" <<'EOF'
#!/bin/sh
if [ "$1" = redis-server ]; then shift; set -- redis-server --protected-mode no "$@"; fi
exec "$@"
EOF
  chmod 755 "$ctx/entrypoint.sh"
  build_image "$name" "$ctx" <<EOF
FROM $base
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* && mkdir /data && chown redis:redis /data
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
USER redis
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
EOF
}

build_rabbitmq() {
  local name="$1" base="$2" ctx="$3"
  # The official image's defaults: guest may log in from other containers, logs go to stdout.
  printf 'loopback_users.guest = false\nlisteners.tcp.default = 5672\nmanagement.tcp.port = 15672\n' >"$ctx/10-defaults.conf"
  build_image "$name" "$ctx" <<EOF
FROM $base
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /etc/rabbitmq/conf.d \
 && rabbitmq-plugins enable --offline rabbitmq_management >/dev/null
COPY 10-defaults.conf /etc/rabbitmq/conf.d/10-defaults.conf
ENV RABBITMQ_LOGS=- HOME=/var/lib/rabbitmq
VOLUME /var/lib/rabbitmq
WORKDIR /var/lib/rabbitmq
USER rabbitmq
# The server's own script, not Debian's wrapper in /usr/sbin: the wrapper sends the log to a file and
# does not pass SIGTERM on, so a docker stop would end in SIGKILL.
CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]
EOF
}

build_jaeger() {
  local name="$1" base="$2" ctx="$3"
  [ -x "$JAEGER_BIN" ] || { loud "no Jaeger at $JAEGER_BIN to put in $name: run scripts/install-observability.sh first"; return 1; }
  cp "$JAEGER_BIN" "$ctx/jaeger"
  build_image "$name" "$ctx" <<EOF
FROM $base
COPY jaeger /usr/local/bin/jaeger
USER 10001
EXPOSE 4317 4318 16686
# Jaeger 1.x all-in-one: OTLP in and the query API, on every interface of the container.
ENTRYPOINT ["/usr/local/bin/jaeger"]
CMD ["--collector.otlp.http.host-port=0.0.0.0:4318", "--collector.otlp.grpc.host-port=0.0.0.0:4317", "--query.http-server.host-port=0.0.0.0:16686"]
EOF
}

build_prometheus() {
  local name="$1" base="$2" ctx="$3"
  build_image "$name" "$ctx" <<EOF
FROM $base
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
 && rm -rf /var/lib/apt/lists/* && mkdir /prometheus && chown nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
}

# The stand-in recipe for an image name, if there is one.
recipe_for() {
  case "$1" in
    node:*) echo node ;;
    daprio/daprd:*) echo daprd ;;
    redis:*) echo redis ;;
    rabbitmq:*) echo rabbitmq ;;
    jaegertracing/*) echo jaeger ;;
    prom/prometheus:*) echo prometheus ;;
    *) echo '' ;;
  esac
}

# Every image the files name, except the project's own (built by `docker compose up --build`).
# Compose needs the two tokens to read the file; their values do not matter here.
wanted_images() {
  sed -n 's/^ARG NODE_IMAGE=//p' "$root/Dockerfile"
  (cd "$root" && DAPR_API_TOKEN=- APP_API_TOKEN=- docker compose -f docker-compose.yml config --images) | grep -v '^sweetgiggles/'
}

missing=() failed=()
for image in $(wanted_images | sort -u); do
  if has_image "$image"; then
    say "$image is here"
  elif timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
    say "$image pulled"
  else
    missing+=("$image")
  fi
done

for image in "${missing[@]}"; do
  recipe="$(recipe_for "$image")"
  if [ -z "$recipe" ]; then
    loud "$image: not here, cannot be pulled, and there is no local stand-in; the services that use it cannot start"
    continue
  fi
  loud "$image cannot be pulled: building a LOCAL STAND-IN under that name (Debian packages and the project's own builds)"
  start=$SECONDS
  ensure_base_image
  ctx="$(mktemp -d)"
  if "build_$recipe" "$image" "$base" "$ctx"; then
    say "$image built in $((SECONDS - start)) s"
  else
    failed+=("$image")
  fi
  rm -rf "$ctx"
done
[ "${#failed[@]}" = 0 ] || { loud "not built: ${failed[*]}"; exit 1; }
