import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../../scripts/lib/system.ts';

const run = promisify(execFile);

/** One container of a project, as `docker inspect` reports it once it has stopped. */
export interface StoppedContainer {
  service: string;
  exitCode: number;
  finishedAt: number;
}

export interface ComposeProjectOptions {
  /** The project name: every container, network and volume is named after it. */
  name: string;
  /** Environment for the compose file's variables (PUBSUB, …); fresh Dapr tokens are added. */
  env: Record<string, string>;
  /** An override file's text, merged after docker-compose.yml (ports, test settings). */
  override: string;
}

/**
 * The repository's docker-compose.yml run as one Compose project of its own, with an override file,
 * from `up` to `down`. Commands fail with Compose's own output.
 */
export class ComposeProject {
  readonly name: string;
  readonly #dir: string;
  readonly #env: NodeJS.ProcessEnv;

  constructor(options: ComposeProjectOptions) {
    this.name = options.name;
    this.#dir = mkdtempSync(join(tmpdir(), `${options.name}-`));
    writeFileSync(join(this.#dir, 'override.yml'), options.override);
    const token = () => randomBytes(32).toString('hex');
    this.#env = { ...process.env, DAPR_API_TOKEN: token(), APP_API_TOKEN: token(), ...options.env };
  }

  /** Runs `docker compose <args>` for this project; resolves with its standard output. */
  async compose(args: string[], timeoutMs = 120_000): Promise<string> {
    const files = ['-f', join(repoRoot, 'docker-compose.yml'), '-f', join(this.#dir, 'override.yml')];
    try {
      const { stdout } = await run('docker', ['compose', '-p', this.name, ...files, ...args], {
        cwd: repoRoot,
        env: this.#env,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
      throw new Error(`docker compose ${args.join(' ')} failed:\n${tail}`, { cause: error });
    }
  }

  /** The log of one service's containers, without prefixes. */
  logs(service: string): Promise<string> {
    return this.compose(['logs', '--no-color', '--no-log-prefix', service]);
  }

  /** Every container of the project, running or not, with its exit code and when it stopped. */
  async containers(): Promise<StoppedContainer[]> {
    const ids = (await this.compose(['ps', '--all', '--quiet'])).split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const { stdout } = await run('docker', [
      'inspect',
      '--format',
      '{{index .Config.Labels "com.docker.compose.service"}} {{.State.ExitCode}} {{.State.FinishedAt}}',
      ...ids,
    ]);
    return stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [service = '', exitCode = '', finishedAt = ''] = line.split(' ');
        return { service, exitCode: Number(exitCode), finishedAt: Date.parse(finishedAt) };
      });
  }

  /**
   * What went wrong where: the state of every container that is not running healthy, and the end of
   * its log. For the message of a failed `up`.
   */
  async diagnose(): Promise<string> {
    const lines = (await this.compose(['ps', '--all', '--format', '{{.Service}}\t{{.State}}\t{{.Status}}']).catch(() => ''))
      .split('\n')
      .filter((line) => line && !/\trunning\t(?!.*unhealthy)/.test(line));
    const reports = await Promise.all(
      lines.map(async (line) => {
        const service = line.split('\t')[0]!;
        const log = await this.logs(service).catch((error: Error) => error.message);
        return `${line.replaceAll('\t', ' ')}\n${log.trim().split('\n').slice(-15).join('\n')}`;
      }),
    );
    return reports.join('\n\n');
  }

  /** Removes every container, network and volume of the project, and the override file. */
  async down(): Promise<void> {
    try {
      await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '5']);
    } finally {
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}
