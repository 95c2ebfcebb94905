import { setTimeout as delay } from 'node:timers/promises';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** Evaluates an instant query through Prometheus's HTTP API; throws with Prometheus's own error when the query is invalid. */
export async function query(prometheusUrl: string, expr: string): Promise<Sample[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`Prometheus refused ${expr}: ${body.error}`);
  if (body.data?.resultType === 'scalar') return [{ metric: {}, value: Number((body.data.result as unknown as [number, string])[1]) }];
  return (body.data?.result ?? []).map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
}

/** The single value of a query that aggregates to one series (NaN when it has none). */
export async function queryValue(prometheusUrl: string, expr: string): Promise<number> {
  const samples = await query(prometheusUrl, expr);
  return samples.length === 1 ? samples[0]!.value : Number.NaN;
}

/** Polls until `check` passes or `timeoutMs` passes; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await delay(500);
    value = await read();
  }
  return value;
}

/** Scrape targets by health, from `/api/v1/targets`. */
export async function targets(prometheusUrl: string): Promise<{ job: string; instance: string; health: string; lastError: string }[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/targets`, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as {
    data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
  };
  return body.data.activeTargets.map((target) => ({
    job: target.labels.job ?? '',
    instance: target.labels.instance ?? '',
    health: target.health,
    lastError: target.lastError,
  }));
}

/** Metric names in a Prometheus text exposition (histograms and summaries with their series suffixes). */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const typed = /^# TYPE (\S+) (\S+)/.exec(line);
    if (typed) {
      const [, name, type] = typed as unknown as [string, string, string];
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}
