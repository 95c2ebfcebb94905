import { daprTokenHeader } from '../app-token.ts';
import { DomainError } from '../errors.ts';
import { SpanKind, inSpan, withTraceContext } from '../telemetry.ts';

/**
 * The sidecar could not be reached or did not answer in time. Callers answer 503 (HTTP) or RETRY
 * (pub/sub): the work is safe to try again.
 */
export class SidecarUnavailable extends DomainError {
  /** What went wrong, for the logs; clients get only the message. */
  readonly detail: string;

  constructor(detail: string) {
    super('sidecar_unavailable', 'a service this request needs is unavailable, please try again shortly', 503);
    this.detail = detail;
  }
}

/** The sidecar answered with an error status. `status` is the sidecar's HTTP status. */
export class SidecarError extends DomainError {
  readonly sidecarStatus: number;
  readonly sidecarCode: string | undefined;
  /** What the sidecar said, for the logs: Dapr's error text names components, keys and addresses. */
  readonly detail: string;

  constructor(what: string, sidecarStatus: number, body: string) {
    const parsed = parseDaprError(body);
    super('sidecar_error', 'a service this request needs failed, please try again shortly', 502);
    this.sidecarStatus = sidecarStatus;
    this.sidecarCode = parsed.errorCode;
    this.detail = `${what} failed with ${sidecarStatus}: ${parsed.message}`;
  }
}

function parseDaprError(body: string): { errorCode?: string; message: string } {
  try {
    const json = JSON.parse(body) as { errorCode?: string; message?: string };
    return { errorCode: json.errorCode, message: json.message ?? body };
  } catch {
    return { message: body.slice(0, 500) };
  }
}

export interface SidecarOptions {
  /** Base URL of the sidecar's HTTP API, e.g. http://127.0.0.1:3500. */
  baseUrl: string;
  /** Upper bound for one call; the sidecar's own retries happen inside it. */
  timeoutMs: number;
  /** The Dapr API token, sent on every call (the sidecar refuses calls without it when it has one). */
  apiToken?: string | undefined;
}

export interface SidecarRequest {
  /** Names the call's span, e.g. `state get orderstore`. */
  operation?: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/**
 * The one HTTP connection a service has to the outside world: its own Dapr sidecar. Every call has a
 * timeout, so a missing sidecar is a prompt, readable error rather than a hang.
 */
export class Sidecar {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #apiToken: string | undefined;

  constructor(options: SidecarOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs;
    this.#apiToken = options.apiToken;
  }

  /** Sends one request with a JSON body (if any) to the sidecar's HTTP API and returns the response, whatever its status. */
  async request(path: string, init: SidecarRequest = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) if (value !== undefined) headers[name] = value;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const request: RequestInit = { method: init.method ?? 'GET', headers };
    if (body !== undefined) request.body = body;
    if (init.signal) request.signal = init.signal;
    return this.raw(path, request, init.operation);
  }

  /**
   * Sends a request as given (used to forward bytes unchanged), bounded by the timeout, in a span
   * named for the operation; the trace context travels in the headers (see `withTraceContext`), so the
   * sidecar continues the trace and carries it on through service invocation and pub/sub.
   */
  async raw(path: string, init: RequestInit, operation?: string): Promise<Response> {
    const method = init.method ?? 'GET';
    const name = operation ?? `sidecar ${method} ${path.split('/').slice(0, 4).join('/')}`;
    return inSpan(name, SpanKind.INTERNAL, { 'http.request.method': method, 'url.path': path }, async (span) => {
      const headers = withTraceContext({ ...(init.headers as Record<string, string> | undefined) });
      if (this.#apiToken !== undefined) headers[daprTokenHeader] = this.#apiToken;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      try {
        const response = await fetch(`${this.baseUrl}${path}`, { ...init, headers, signal });
        span.setAttribute('http.response.status_code', response.status);
        return response;
      } catch (error) {
        const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : describe(error);
        throw new SidecarUnavailable(`${method} ${path}: ${reason}`);
      }
    });
  }

  /** Like request, but turns any non-2xx status into a SidecarError. */
  async call(what: string, path: string, init: SidecarRequest = {}): Promise<Response> {
    const response = await this.request(path, init);
    if (!response.ok) throw new SidecarError(what, response.status, await response.text());
    return response;
  }

  /**
   * True when the sidecar is up and its components are loaded (`/v1.0/healthz/outbound`), which is
   * what a service needs before it can publish or save state.
   */
  async isReady(): Promise<boolean> {
    try {
      const response = await this.request('/v1.0/healthz/outbound');
      return response.ok;
    } catch {
      return false;
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
