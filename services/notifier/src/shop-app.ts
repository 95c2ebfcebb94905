import express, { Router, type Express, type RequestHandler } from 'express';
import {
  errorMiddleware,
  healthRoutes,
  httpMetricsMiddleware,
  notFound,
  traceContextMiddleware,
  type Logger,
  type Metrics,
  type Sidecar,
} from '@sweetgiggles/platform';
import { orderTraceApi } from './handlers/order-trace-api.ts';
import { shopApi } from './handlers/shop-api.ts';
import type { OrderApiClient } from './dapr/order-api-client.ts';
import type { TraceSource } from './tracing/jaeger-traces.ts';

export interface ShopAppDeps {
  orders: OrderApiClient;
  sidecar: Sidecar;
  log: Logger;
  metrics: Metrics;
  staticDir?: string | undefined;
  /** Where orders' traces are read; without it the storefront is told tracing is off. */
  traces?: TraceSource | undefined;
}

/**
 * The notifier's app for browsers, the only port of the system meant to be reached from outside:
 * the storefront, the shop API (forwarded to order), an order's trace when tracing is on, and the
 * health checks an ingress needs. The
 * WebSocket endpoint lives on the same server (see ws/websocket-endpoint.ts). Subscriptions and
 * metrics are on the sidecar's port (app.ts), not here.
 */
export function createShopApp({ orders, sidecar, log, metrics, staticDir, traces }: ShopAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(healthRoutes(sidecar));
  app.use(traceContextMiddleware(), httpMetricsMiddleware(metrics));
  app.use(orderTraceApi(orders, traces));
  app.use(shopApi(orders, log));
  if (staticDir) app.use(storefront(staticDir));
  app.use(notFound);
  app.use(errorMiddleware(log));
  return app;
}

/**
 * What the browser may do with the shop's pages: scripts only from the shop itself (no inline script,
 * no eval), no framing by other sites, no content-type guessing. Styles may be inline (Lit and the
 * page's own `<style>`); images may be data URLs (the icon).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', contentSecurityPolicy);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  next();
};

/** The built storefront. Vite fingerprints scripts and styles; the page that names them must never be stale. */
function storefront(staticDir: string): Router {
  return Router().use(
    express.static(staticDir, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => {
        if (path.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
      },
    }),
  );
}
