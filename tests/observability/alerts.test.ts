import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findObservabilityTools } from '../../scripts/lib/observability.ts';
import { repoRoot } from '../../scripts/lib/system.ts';

/** promtool, which ships beside Prometheus (Debian's `prometheus` package has both). */
function findPromtool(): string | undefined {
  const prometheus = findObservabilityTools().prometheus;
  const candidates = [process.env['PROMTOOL_BIN'], prometheus && join(dirname(prometheus), 'promtool'), '/usr/bin/promtool'];
  return candidates.find((path): path is string => !!path && existsSync(path));
}

const promtool = findPromtool();
const observability = join(repoRoot, 'observability');
const promtoolRun = (...args: string[]) => spawnSync(promtool!, args, { cwd: observability, encoding: 'utf8', timeout: 60_000 });

describe.skipIf(!promtool)('the alerting rules (observability/alerts.yml)', () => {
  it('are valid, and every Prometheus of the project reads them', () => {
    const checked = promtoolRun('check', 'rules', 'alerts.yml');
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    for (const config of ['prometheus.yml', 'prometheus.local.yml']) {
      const document = parse(readFileSync(join(observability, config), 'utf8')) as { rule_files?: string[] };
      expect(
        document.rule_files?.map((file) => file.split('/').at(-1)),
        config,
      ).toEqual(['alerts.yml']);
    }
  });

  it('page when a dead letter stays parked for a minute, and stop once it is replayed', () => {
    const tested = promtoolRun('test', 'rules', 'alerts.test.yml');
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });
});
