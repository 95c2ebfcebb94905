// `npm test`: type-check, lint, then every Vitest project (unit, deploy checks, the storefront in
// Chromium, and the integration and end-to-end suites on real daprd sidecars with Redis and RabbitMQ).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/system.ts';

const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

function step(title: string, command: string, args: string[]): void {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(result.status ?? 1);
  }
}

step('setup for tests', 'bash', [join(repoRoot, 'scripts', 'setup.sh'), '--for-tests']);
step('type-check the services, scripts and tests', bin('tsc'), ['-p', '.']);
if (existsSync(join(repoRoot, 'frontend', 'tsconfig.json'))) step('type-check the storefront', bin('tsc'), ['-p', 'frontend']);
step('lint', bin('eslint'), ['.']);
step('check formatting', bin('prettier'), ['--check', '--log-level', 'warn', '.']);

const report = join(repoRoot, 'test-results', 'vitest.json');
console.log('\n▶ tests');
const run = spawnSync(
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  {
    cwd: repoRoot,
    stdio: 'inherit',
  },
);
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numFailedTestSuites } = JSON.parse(
    readFileSync(report, 'utf8'),
  ) as Record<string, number>;
  // A suite (a file or a describe block) whose setup failed runs none of its tests: say so too.
  const brokenFiles = numFailedTestSuites ? `, ${numFailedTestSuites} suites failed` : '';
  console.log(
    `\n${numPassedTests} passed, ${numFailedTests} failed, ${(numPendingTests ?? 0) + (numTodoTests ?? 0)} skipped${brokenFiles}`,
  );
}
process.exit(run.status ?? 1);
