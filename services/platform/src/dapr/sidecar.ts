import { Agent, request as httpRequest } from 'node:http';
import { daprTokenHeader } from '../app-token.ts';
import { DependencyError } from '../errors.ts';
import { SpanKind, inSpan, withTraceContext } from '../telemetry.ts';

/**
 * The sidecar could not be reached or did not answer in time. Callers answer 503 (HTTP) or RETRY
 * (pub/sub): the work is safe to try again.
 */
export class SidecarUnavailable extends DependencyError {
  /** What went wrong, for the logs; clients get only the message. */
  readonly detail: string;

  constructor(detail: string) {
    super('sidecar_unavailable', 'a service this request needs is unavailable, please try again shortly', 503);
    this.detail = detail;
  }
}

/** The sidecar answered with an error status; its status and Dapr's error code and text go to the logs. */
export class SidecarError extends DependencyError {
  readonly sidecarCode: string | undefined;
  /** What the sidecar said, for the logs: Dapr's error text names components, keys and addresses. */
  readonly detail: string;

  constructor(what: string, sidecarStatus: number, body: string) {
    const parsed = parseDaprError(body);
    super('sidecar_error', 'a service this request needs failed, please try again shortly', 502);
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
  /** More attributes for the call's span (e.g. the order an event is about), beside its method and path. */
  attributes?: Record<string, string>;
  method?: string;
  /** A value sent as JSON, or bytes sent as they are. */
  body?: unknown;
  headers?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** The sidecar's answer, read whole: its answers are small JSON documents. */
export class SidecarResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;

  constructor(status: number, headers: Headers, body: Buffer) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): string {
    return this.body.toString('utf8');
  }
}

/**
 * The one HTTP connection a service has to the outside world: its own Dapr sidecar. Every call has a
 * timeout, so a missing sidecar is a prompt, readable error rather than a hang. Calls go over
 * `node:http` with kept-alive connections: at a few dozen calls per order, fetch's per-call overhead
 * (web streams, and reconnecting after four idle seconds) was a good part of each service's CPU time.
 */
export class Sidecar {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #apiToken: string | undefined;
  readonly #target: URL;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(options: SidecarOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs;
    this.#apiToken = options.apiToken;
    this.#target = new URL(this.baseUrl);
  }

  /**
   * Sends one request to the sidecar's HTTP API and returns its answer, whatever its status, bounded
   * by the timeout, in a span named for the operation. The trace context travels in the headers (see
   * `withTraceContext`), so the sidecar continues the trace through service invocation and pub/sub.
   */
  async request(path: string, init: SidecarRequest = {}): Promise<SidecarResponse> {
    const method = init.method ?? 'GET';
    const name = init.operation ?? `sidecar ${method} ${path.split('/').slice(0, 4).join('/')}`;
    const attributes = { ...init.attributes, 'http.request.method': method, 'url.path': path };
    return inSpan(name, SpanKind.INTERNAL, attributes, async (span) => {
      const headers: Record<string, string> = {};
      for (const [header, value] of Object.entries(init.headers ?? {})) if (value !== undefined) headers[header] = value;
      let body: Buffer | undefined;
      if (Buffer.isBuffer(init.body) || init.body instanceof Uint8Array) body = Buffer.from(init.body);
      else if (init.body !== undefined) {
        body = Buffer.from(JSON.stringify(init.body));
        headers['content-type'] ??= 'application/json';
      }
      if (this.#apiToken !== undefined) headers[daprTokenHeader] = this.#apiToken;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      try {
        const response = await this.#send(method, path, withTraceContext(headers), body, signal);
        span.setAttribute('http.response.status_code', response.status);
        return response;
      } catch (error) {
        const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : describe(error);
        throw new SidecarUnavailable(`${method} ${path}: ${reason}`);
      }
    });
  }

  #send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    signal: AbortSignal,
  ): Promise<SidecarResponse> {
    if (body !== undefined) headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        { host: this.#target.hostname, port: this.#target.port, method, path, headers, agent: this.#agent, signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const answer = new Headers();
            for (const [header, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') answer.set(header, value);
              else if (Array.isArray(value)) for (const each of value) answer.append(header, each);
            }
            resolve(new SidecarResponse(response.statusCode ?? 0, answer, Buffer.concat(chunks)));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Like request, but turns any non-2xx status into a SidecarError. */
  async call(what: string, path: string, init: SidecarRequest = {}): Promise<SidecarResponse> {
    const response = await this.request(path, init);
    if (!response.ok) throw new SidecarError(what, response.status, response.text());
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
    const { code, cause } = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    return code ?? cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
