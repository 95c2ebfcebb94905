import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { launchSystem, type LaunchOptions } from '../../scripts/lib/launch.ts';
import { repoRoot, type Broker, type RunningSystem } from '../../scripts/lib/system.ts';
import { instantSimulation, oneAddressForAllClients } from '../../scripts/lib/simulation.ts';

export type { Broker, RunningSystem };
export { instantSimulation, oneAddressForAllClients };

export type TestSystemOptions = Omit<LaunchOptions, 'partition' | 'name' | 'logsDir' | 'basePort'> & {
  /** First of a block of 50 loopback ports: every test system has its own. */
  basePort: number;
  /** The part of the brokers the system uses (default: the tests'). */
  partition?: LaunchOptions['partition'];
  /** Where each process's log goes, emptied first (default: test-results/logs/<broker>-<basePort>). */
  logsDir?: string;
};

/** The systems this test file has started: what `warningsOfRunningSystems` reads. */
const started = new Set<RunningSystem>();

/**
 * Starts the real system for a test with `launchSystem`: as on a fresh broker, in the tests' partition
 * of the shared brokers (REDIS_HOST and RABBITMQ_URL say where they are) unless the test brings its
 * own, with every simulated delay at zero.
 */
export async function startSystem(options: TestSystemOptions): Promise<RunningSystem> {
  const logsDir = options.logsDir ?? join(repoRoot, 'test-results', 'logs', `${options.broker}-${options.basePort}`);
  rmSync(logsDir, { recursive: true, force: true });
  const system = await launchSystem({
    ...options,
    partition: options.partition ?? 'tests',
    name: `test-${options.basePort}`,
    logsDir,
  });
  started.add(system);
  return system;
}

/**
 * What the processes of every system still running have warned about, the last lines of each log
 * (see tests/support/failure-logs.ts), or undefined when none runs: when a test fails where nobody
 * can look at the logs, as in CI, this is what says why.
 */
export function warningsOfRunningSystems(linesPerLog = 15): string | undefined {
  for (const system of started) if (system.stopped) started.delete(system);
  if (started.size === 0) return undefined;
  const report: string[] = [];
  for (const system of started) {
    const { output } = system.options;
    if (output === 'inherit') continue;
    for (const file of readdirSync(output.dir).sort()) {
      const warnings = readFileSync(join(output.dir, file), 'utf8').split('\n').filter(isWarningOrWorse).slice(-linesPerLog);
      if (warnings.length === 0) continue;
      report.push(`── ${relative(repoRoot, join(output.dir, file))}: its last ${warnings.length} warnings and errors`);
      report.push(...warnings.map((line) => line.slice(0, 800)));
    }
  }
  return report.join('\n');
}

/** What every daprd here says at start, by design: local runs have no mTLS, actors or scheduler. */
const routineSidecarWarnings = /mTLS is disabled|Actor runtime disabled|No scheduler host addresses/;

/**
 * Drops only what is known to be below a warning, or routine: the apps' JSON lines under level 40
 * (pino's warn), daprd's info and debug lines and its routine start-up warnings. Anything else, such
 * as a crash's stack trace, is kept.
 */
function isWarningOrWorse(line: string): boolean {
  if (line.trim() === '') return false;
  if (/\blevel=(info|debug)\b/.test(line) || routineSidecarWarnings.test(line)) return false;
  if (!line.startsWith('{')) return true;
  try {
    const { level } = JSON.parse(line) as { level?: unknown };
    return typeof level !== 'number' || level >= 40;
  } catch {
    return true;
  }
}
