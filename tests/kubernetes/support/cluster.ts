import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { repoRoot } from '../../../scripts/lib/system.ts';
import type { JsonObject } from '../../deploy/lib/repo.ts';

const run = promisify(execFile);
const script = join(repoRoot, 'scripts', 'deploy', 'kubernetes.sh');

/**
 * kubectl as scripts/deploy/kubernetes.sh built it, or undefined (with the script's reason) when the
 * Kubernetes tools are not built here: the suites are then skipped, except in CI, where this throws.
 */
export function builtKubectl(): { kubectl?: string; reason: string } {
  const result = spawnSync('bash', [script, 'kubectl'], { encoding: 'utf8' });
  const kubectl = result.stdout.trim();
  if (result.status === 0 && kubectl) return { kubectl, reason: '' };
  const reason = stripVTControlCharacters(result.stderr).trim() || 'the Kubernetes tools are not built';
  if (process.env['CI'] === 'true') {
    throw new Error(
      `The Kubernetes suite runs in CI and needs its tools (scripts/setup.sh --for-tests builds them when CI=true): ${reason}`,
    );
  }
  return { reason };
}

/** The outputs of one kubectl run. */
export interface KubectlResult {
  stdout: string;
  stderr: string;
}

export interface ClusterOptions {
  /** The first of the 11 loopback ports the cluster takes. */
  portBase: number;
  /** The /24 on the loopback network that the cluster's Services take their IPs from ("127.88.1"). */
  serviceNet: string;
  /** Extra settings for scripts/deploy/kubernetes.sh (K8S_HPA_SYNC_PERIOD, …). */
  env?: Record<string, string>;
}

/**
 * A control plane of its own (scripts/deploy/kubernetes.sh up), in a temporary directory, from
 * `start` to `stop`, and kubectl against it. Commands fail with kubectl's own output.
 */
export class Cluster {
  readonly kubectlPath: string;
  /** The cluster's files, made by `start` (so that a skipped suite leaves nothing behind). */
  #dir = '';
  readonly #env: NodeJS.ProcessEnv;

  constructor(kubectlPath: string, options: ClusterOptions) {
    this.kubectlPath = kubectlPath;
    this.#env = {
      ...process.env,
      K8S_PORT_BASE: String(options.portBase),
      K8S_SERVICE_NET: options.serviceNet,
      ...options.env,
    };
  }

  /** The cluster's kubeconfig. */
  get kubeconfig(): string {
    return join(this.#dir, 'kubeconfig');
  }

  /** The file holding Dapr's trust anchor (PEM), the root the cluster's Sentry signs under. */
  get daprTrustAnchorsFile(): string {
    return join(this.#dir, 'dapr', 'ca.crt');
  }

  async start(): Promise<void> {
    this.#dir = mkdtempSync(join(tmpdir(), 'sweetgiggles-kubernetes-'));
    await this.#script('up', 600_000);
  }

  /** Stops every process the cluster started and removes its files. */
  async stop(): Promise<void> {
    if (!this.#dir) return;
    try {
      await this.#script('down', 120_000);
    } finally {
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }

  /** Runs kubectl against the cluster, with `input` on its standard input. */
  async kubectl(args: string[], input?: string, timeoutMs = 120_000): Promise<KubectlResult> {
    const child = execFile(this.kubectlPath, ['--kubeconfig', this.kubeconfig, ...args], {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    const done = new Promise<KubectlResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: string) => (stdout += chunk));
      child.stderr?.on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve({ stdout, stderr });
        else reject(new Error(`kubectl ${args.join(' ')} exited with ${code}:\n${`${stdout}\n${stderr}`.trim()}`));
      });
    });
    // A kubectl that reads no input may exit before taking it: its exit code tells the outcome.
    child.stdin?.on('error', () => undefined);
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
    return done;
  }

  /** The objects `kubectl get <args>` finds: the items of a list, or the one object named. */
  async get(args: string[]): Promise<JsonObject[]> {
    const { stdout } = await this.kubectl(['get', ...args, '-o', 'json']);
    const value = JSON.parse(stdout) as JsonObject;
    return Array.isArray(value.items) ? (value.items as JsonObject[]) : [value];
  }

  async #script(command: 'up' | 'down', timeoutMs: number): Promise<void> {
    try {
      await run('bash', [script, command, this.#dir], { cwd: repoRoot, env: this.#env, timeout: timeoutMs });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
      throw new Error(`kubernetes.sh ${command} failed:\n${tail}`, { cause: error });
    }
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (last error: ${String(last)})` : ''}`);
}
