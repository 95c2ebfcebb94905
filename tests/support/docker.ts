import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether a Docker engine answers, and whether `docker compose` is installed. */
export async function dockerAvailability(): Promise<{ engine: boolean; compose: boolean }> {
  const answers = (args: string[]) =>
    run('docker', args, { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
  const [engine, compose] = await Promise.all([answers(['info']), answers(['compose', 'version'])]);
  return { engine, compose };
}

/** Whether the local engine holds an image of that name. */
export function hasImage(name: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', name], { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}
