import type { OrderTrace } from '@sweetgiggles/contracts';
import { DependencyError } from '@sweetgiggles/platform';
import { jaegerTracesAnswerSchema, placementTrace, trimTrace } from './trim-trace.ts';

/** Where the shop finds an order's trace; JaegerTraces is the real one, tests may hand in another. */
export interface TraceSource {
  /**
   * The trace of an order's placement and saga, or undefined when the tracing backend has none (not
   * yet, or no longer). `placedAt` bounds the search in time.
   */
  orderTrace(orderId: string, placedAt: Date): Promise<OrderTrace | undefined>;
}

export interface JaegerTracesOptions {
  /** Jaeger's query API, e.g. http://127.0.0.1:16686. */
  queryUrl: string;
  /** Upper bound for one question to Jaeger. */
  timeoutMs?: number;
  /** The largest answer read from Jaeger; a bigger one is refused, never buffered. */
  maxBytes?: number;
  /**
   * How many questions may be out at once. Each may hold up to `maxBytes` while it is read, so this
   * bounds the memory a flood of trace requests can take; one more is refused (503) at once.
   */
  maxInFlight?: number;
}

/** How far before and after its placement an order's OrderCreated is looked for. */
const searchWindowMs = { before: 5 * 60_000, after: 15 * 60_000 };
/** Traces that published one order's OrderCreated: its placement, and a few retries or redrives. */
const searchLimit = 10;

/**
 * Finds an order's trace with Jaeger's query API: the traces in which the order service published
 * OrderCreated for this order (`GET /api/traces?service=order&operation=publish OrderCreated&tags=…`,
 * the span carries `sweetgiggles.order_id`), the earliest of which is its placement. Read-only,
 * bounded in time and size: the answer is validated and trimmed before it goes anywhere.
 *
 * Why a search rather than a trace id kept with the order: the order's state and API stay free of
 * tracing, an order placed while tracing was off simply has no trace (rather than the id of one
 * nobody recorded), and the order's creation time keeps the search to a window of minutes.
 */
export class JaegerTraces implements TraceSource {
  readonly #queryUrl: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxInFlight: number;
  #inFlight = 0;

  constructor({ queryUrl, timeoutMs = 5_000, maxBytes = 16 * 1024 * 1024, maxInFlight = 4 }: JaegerTracesOptions) {
    this.#queryUrl = queryUrl.replace(/\/$/, '');
    this.#timeoutMs = timeoutMs;
    this.#maxBytes = maxBytes;
    this.#maxInFlight = maxInFlight;
  }

  async orderTrace(orderId: string, placedAt: Date): Promise<OrderTrace | undefined> {
    if (this.#inFlight >= this.#maxInFlight) {
      throw new DependencyError('tracing_busy', 'the shop is reading other traces, please try again shortly');
    }
    this.#inFlight++;
    try {
      return await this.#search(orderId, placedAt);
    } finally {
      this.#inFlight--;
    }
  }

  async #search(orderId: string, placedAt: Date): Promise<OrderTrace | undefined> {
    const query = new URLSearchParams({
      service: 'order',
      operation: 'publish OrderCreated',
      tags: JSON.stringify({ 'sweetgiggles.order_id': orderId }),
      // Jaeger's times are microseconds since the epoch.
      start: String((placedAt.getTime() - searchWindowMs.before) * 1_000),
      end: String((placedAt.getTime() + searchWindowMs.after) * 1_000),
      limit: String(searchLimit),
    });
    const answer = jaegerTracesAnswerSchema.safeParse(await this.#get(`/api/traces?${query}`));
    if (!answer.success) throw new DependencyError('tracing_unavailable', 'the tracing backend gave an answer the shop cannot read');
    const trace = placementTrace(answer.data.data ?? []);
    return trace ? trimTrace(orderId, trace) : undefined;
  }

  async #get(path: string): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#queryUrl}${path}`, { signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch {
      throw new DependencyError('tracing_unavailable', 'the tracing backend did not answer, please try again shortly');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DependencyError('tracing_unavailable', `the tracing backend answered ${response.status}`);
    }
    const text = await readAtMost(response, this.#maxBytes);
    if (text === undefined) throw new DependencyError('trace_too_large', 'the trace is too large to show', 502);
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
}

/** The body as text, or undefined once it passes `maxBytes` (the rest is not read). The fetch's timeout bounds the reading too. */
async function readAtMost(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel();
    return declared > maxBytes ? undefined : '';
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    // Leaving the loop cancels the rest of the stream.
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
