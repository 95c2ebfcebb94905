import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { findObservabilityTools } from '../../../scripts/lib/observability.ts';
import { repoRoot } from '../../../scripts/lib/system.ts';

export type ToolsCheck = { ready: true; jaeger: string; prometheus: string } | { ready: false; reason: string };

let checked: ToolsCheck | undefined;

/**
 * Jaeger all-in-one and Prometheus for the tests: found where the install script puts them, or
 * installed now by scripts/install-observability.sh (its output goes to
 * test-results/logs/install-observability.log). When neither works, the reason, for a skip message.
 */
export function observabilityTools(): ToolsCheck {
  checked ??= check();
  return checked;
}

function check(): ToolsCheck {
  let tools = findObservabilityTools();
  if (!tools.jaeger || !tools.prometheus) {
    const result = spawnSync('bash', [join(repoRoot, 'scripts', 'install-observability.sh')], { encoding: 'utf8', timeout: 20 * 60_000 });
    const logDir = join(repoRoot, 'test-results', 'logs');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'install-observability.log'), `${result.stdout ?? ''}${result.stderr ?? ''}`);
    tools = findObservabilityTools();
    if (!tools.jaeger || !tools.prometheus) {
      const said = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-3).join(' / ');
      return {
        ready: false,
        reason: `Jaeger or Prometheus is not installed and scripts/install-observability.sh could not install it: ${said}`,
      };
    }
  }
  return { ready: true, jaeger: tools.jaeger, prometheus: tools.prometheus };
}

/**
 * A `describe` that runs when Jaeger and Prometheus are there (or could be installed), and otherwise
 * shows one skipped test that says why.
 */
export function describeWithObservability(name: string, body: () => void): void {
  const tools = observabilityTools();
  if (tools.ready) {
    describe(name, body);
  } else {
    describe(name, () => it.skip(`skipped: ${tools.reason}`, () => undefined));
  }
}
