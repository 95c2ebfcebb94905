import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { repoRoot } from '../../scripts/lib/system.ts';

/**
 * The crash points and failure switches of one test system (`SWEETGIGGLES_FAULTS_DIR`, see
 * services/platform/src/faults.ts): an empty directory to give the system, and ways to arm them in it.
 */
export class Faults {
  readonly dir: string;

  constructor(basePort: number) {
    this.dir = join(repoRoot, 'test-results', `faults-${basePort}`);
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Turns a failure switch on (see isFailing): every delivery that reaches the point fails until `stopFailing`. */
  failAt(point: string): void {
    writeFileSync(join(this.dir, `fail:${point}`), '');
  }

  stopFailing(point: string): void {
    rmSync(join(this.dir, `fail:${point}`), { force: true });
  }

  /** Arms a crash point: the next process to reach it dies there. Resolves once it has fired. */
  async crashAt(point: string): Promise<void> {
    const file = join(this.dir, point);
    writeFileSync(file, '');
    const deadline = Date.now() + 60_000;
    while (existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`nothing reached ${point}`);
      await delay(50);
    }
  }
}
