# One image per service, from one Dockerfile:
#
#   docker build --build-arg SERVICE=order -t sweetgiggles/order .
#
# SERVICE is order, payment, delivery or notifier. Node 26 runs the TypeScript sources directly (type
# stripping), so there is no compile step: an image holds the service's sources, the two shared
# workspace packages (contracts, platform) and the production dependencies of that one service. The
# notifier's image also holds the built storefront, which it serves at `/`.

ARG NODE_IMAGE=node:26.10.0-alpine
ARG SERVICE

FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NODE_ENV=production

# Every workspace's manifest: npm ci checks them all against the lockfile, even when it installs one.
FROM base AS manifests
COPY package.json package-lock.json .npmrc ./
COPY services/contracts/package.json services/contracts/
COPY services/platform/package.json services/platform/
COPY services/order/package.json services/order/
COPY services/payment/package.json services/payment/
COPY services/delivery/package.json services/delivery/
COPY services/notifier/package.json services/notifier/
COPY frontend/package.json frontend/

# Production dependencies of one service and of the workspaces it uses. The root's devDependencies
# (the toolchain, including the `node` binary package) stay out, and no install script runs.
FROM manifests AS deps
ARG SERVICE
RUN test -n "$SERVICE" || { echo 'build with --build-arg SERVICE=order|payment|delivery|notifier' >&2; exit 1; }
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --include-workspace-root=false --workspace "services/$SERVICE"

# The storefront's static files (only built for the notifier: stages nothing uses are skipped).
# The build needs Vite, a development dependency, which npm leaves out under the base's
# NODE_ENV=production unless asked.
FROM manifests AS storefront
RUN --mount=type=cache,target=/root/.npm \
    npm ci --include=dev --include-workspace-root=false --workspace frontend
COPY tsconfig.json ./
COPY services/contracts/src services/contracts/src
COPY frontend frontend
RUN npm run build --workspace frontend

# What every service image shares. npm, npx, yarn and corepack are not needed to run a service.
FROM base AS runtime
ARG SERVICE
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
COPY --from=deps /app/ ./
COPY services/contracts/src services/contracts/src
COPY services/platform/src services/platform/src
COPY services/${SERVICE}/src services/${SERVICE}/src
WORKDIR /app/services/${SERVICE}
LABEL org.opencontainers.image.title="sweetgiggles-${SERVICE}" \
      org.opencontainers.image.description="SweetGiggles ${SERVICE} service"
# The base image's `node` user (1000:1000), numeric so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
STOPSIGNAL SIGTERM
# Liveness only: the process answers. Readiness (which includes the Dapr sidecar) is /readyz, used
# by docker-compose.yml and the Kubernetes readiness probe.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${PORT}/healthz" || exit 1
CMD ["node", "--import", "@sweetgiggles/platform/instrumentation", "src/main.ts"]

# One stage per service: its port, and for the notifier the storefront.
FROM runtime AS service-order
ENV PORT=3001
EXPOSE 3001

FROM runtime AS service-payment
ENV PORT=3002
EXPOSE 3002

FROM runtime AS service-delivery
ENV PORT=3003
EXPOSE 3003

FROM runtime AS service-notifier
COPY --from=storefront /app/frontend/dist /app/frontend/dist
# The shop on 8080 for browsers; its sidecar calls it on 3000 (subscriptions, metrics).
ENV PORT=8080 \
    INTERNAL_PORT=3000 \
    STATIC_DIR=/app/frontend/dist
EXPOSE 8080

FROM service-${SERVICE}
