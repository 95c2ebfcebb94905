import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A crash on purpose, for tests of what survives a process dying at the worst moment. Off unless
 * `SWEETGIGGLES_FAULTS_DIR` names a directory holding a file named after the point (for example
 * `after-commit:WorkerSearchCompleted`): the first process to reach the point removes the file and
 * dies at once (SIGKILL, nothing flushed), so a fault fires once however many processes could reach it.
 */
export function crashPoint(point: string): void {
  const dir = process.env['SWEETGIGGLES_FAULTS_DIR'];
  if (dir === undefined) return;
  try {
    unlinkSync(join(dir, point));
  } catch {
    return;
  }
  process.kill(process.pid, 'SIGKILL');
}

/** What a handler throws while a failure switch (`isFailing`) is on. */
export class InjectedFault extends Error {
  constructor(point: string) {
    super(`failing on purpose at ${point}`);
  }
}

/**
 * A failure on purpose, for tests of what becomes of an event that keeps failing until its retries
 * run out. Off unless `SWEETGIGGLES_FAULTS_DIR` holds a file named `fail:<point>` (for example
 * `fail:payment:OrderCreated`); unlike a crash point it stays on, for every process that reaches
 * it, until the test removes the file.
 */
export function isFailing(point: string): boolean {
  const dir = process.env['SWEETGIGGLES_FAULTS_DIR'];
  return dir !== undefined && existsSync(join(dir, `fail:${point}`));
}
