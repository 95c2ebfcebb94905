import { unlinkSync } from 'node:fs';
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
