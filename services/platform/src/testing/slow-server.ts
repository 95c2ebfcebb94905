// A process that serves one slow route with `serve`, as a service's main does, so that a test can send
// it a real SIGTERM and watch it drain and exit. WORK_MS: how long the route works; DRAIN_MS: how long
// a shutdown waits for it. Logs (JSON lines on stdout) say when it is ready and on which port.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { InFlight } from '../in-flight.ts';
import { createLogger } from '../logger.ts';
import { serve } from '../serve.ts';

const workMs = Number(process.env['WORK_MS'] ?? 500);
const drainMs = Number(process.env['DRAIN_MS'] ?? 5_000);
const inFlight = new InFlight();
const log = createLogger('slow-server');
const app = express();
app.get('/work', async (_req, res) => {
  log.info('work started');
  await inFlight.track(() => new Promise((resolve) => setTimeout(resolve, workMs)));
  res.json({ done: true });
});
const server = await serve({ app, port: 0, log, inFlight, drainMs, onShutdown: () => log.info('closing the rest') });
log.info({ port: (server.address() as AddressInfo).port }, 'ready');
