import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { DomainError, ServiceError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Sidecar } from './dapr/sidecar.ts';

/** JSON bodies (including CloudEvents) up to `limit`; anything larger is a 413. */
export function jsonBody(limit = '64kb'): RequestHandler {
  return express.json({ limit, type: ['application/json', 'application/*+json'], strict: true });
}

/** Parses `value` with `schema` or throws a 400 naming every problem. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new DomainError('invalid_request', `invalid ${what}: ${z.prettifyError(result.error).replace(/\n/g, '; ')}`, 400);
}

/** Errors from Express and its body parser (http-errors) carry their HTTP status. */
interface HttpError {
  type?: string;
  status?: number;
  statusCode?: number;
}

const bodyParserErrors: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'malformed_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'body_too_large', 'the request body is too large'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_charset', 'the request body charset is not supported'],
  'request.aborted': [400, 'request_aborted', 'the request was aborted'],
};

/**
 * The one place errors become HTTP answers: `{ "error": { "code", "message" } }`. Service errors keep
 * their status; body-parser errors become clear 4xx, and so does any other error that carries a 4xx
 * status (a malformed percent-escape in the path is a 400); anything else is a logged 500. What a
 * dependency said (Dapr's error text) goes to the log, never to the client.
 */
export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof ServiceError) {
      if (error.status >= 500) log.warn({ err: error, path: req.path }, 'request failed');
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const httpError = (error ?? {}) as HttpError;
    const known = bodyParserErrors[httpError.type ?? ''];
    if (known) {
      const [status, code, message] = known;
      res.status(status).json({ error: { code, message } });
      return;
    }
    const status = httpError.status ?? httpError.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      log.info({ err: error, path: req.path, status }, 'refused a bad request');
      const text = STATUS_CODES[status] ?? 'Bad Request';
      res
        .status(status)
        .json({ error: { code: text.toLowerCase().replace(/\W+/g, '_'), message: `the request was refused: ${text.toLowerCase()}` } });
      return;
    }
    log.error({ err: error, path: req.path }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal', message: 'something went wrong on our side' } });
  };
}

/** Observes every request's duration by method, matched route and status. */
export function httpMetricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpRequests.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      stop({ method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path.slice(0, 200)}` } });
};

/** `GET /healthz` (the process is alive) and `GET /readyz` (its sidecar is ready too). */
export function healthRoutes(sidecar: Sidecar): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await sidecar.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'sidecar unavailable' });
  });
  return router;
}

/** The health routes and `GET /metrics`: for the sidecar, the orchestrator and Prometheus, not for browsers. */
export function operationalRoutes(sidecar: Sidecar, metrics: Metrics): Router {
  const router = healthRoutes(sidecar);
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
