import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** Starts `testing/slow-server.ts`, a process of its own, so that SIGTERM and the exit it leads to are real. */
function startServer(options: { workMs: number; drainMs: number }) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/slow-server.ts', import.meta.url))], {
    env: { ...process.env, WORK_MS: String(options.workMs), DRAIN_MS: String(options.drainMs), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: { msg?: string; time?: string; port?: number; inFlight?: number }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as (typeof lines)[number]);
    } catch {
      // Not a log line: nothing the test reads.
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const said = (msg: string) => lines.find((line) => line.msg === msg);
  return { child, lines, exited, said };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('serve', () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('on SIGTERM stops taking connections, finishes the work in flight, then exits 0', async () => {
    const server = startServer({ workMs: 700, drainMs: 10_000 });
    started.push(server.child);
    await expect.poll(() => server.said('ready'), { timeout: 15_000 }).toBeDefined();
    const port = server.said('ready')!.port!;

    const inFlight = get(port, '/work');
    await expect.poll(() => server.said('work started'), { timeout: 5_000 }).toBeDefined();
    server.child.kill('SIGTERM');
    await expect.poll(() => server.said('shutting down'), { timeout: 5_000 }).toBeDefined();
    await expect(get(port, '/work')).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);

    expect(await inFlight).toEqual({ status: 200, body: '{"done":true}' });
    expect(await server.exited).toBe(0);
    expect(server.said('shutting down')!.inFlight).toBe(1);
    // The service's own shutdown runs before the process says it stopped (by the lines' times: a
    // pipe may hand two lines written a moment apart over in either order).
    const timeOf = (msg: string) => Date.parse(server.said(msg)!.time!);
    expect(timeOf('closing the rest')).toBeLessThanOrEqual(timeOf('stopped'));
    expect(server.said('in-flight work did not finish in time')).toBeUndefined();
  }, 30_000);

  it('gives up on work that outlasts the drain, says so, and still exits', async () => {
    const server = startServer({ workMs: 60_000, drainMs: 200 });
    started.push(server.child);
    await expect.poll(() => server.said('ready'), { timeout: 15_000 }).toBeDefined();
    const port = server.said('ready')!.port!;

    const inFlight = get(port, '/work').catch((error: unknown) => error);
    await expect.poll(() => server.said('work started'), { timeout: 5_000 }).toBeDefined();
    const stopping = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(server.said('in-flight work did not finish in time')).toMatchObject({ inFlight: 1 });
    expect(await inFlight).toBeInstanceOf(Error);
  }, 30_000);
});
