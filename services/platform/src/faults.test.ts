import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crashPoint, isFailing } from './faults.ts';

describe('faults on purpose', () => {
  let dir: string;
  const saved = process.env['SWEETGIGGLES_FAULTS_DIR'];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'faults-'));
  });
  afterEach(() => {
    if (saved === undefined) delete process.env['SWEETGIGGLES_FAULTS_DIR'];
    else process.env['SWEETGIGGLES_FAULTS_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('are off unless the faults directory is set and holds the switch', () => {
    writeFileSync(join(dir, 'fail:payment:OrderCreated'), '');
    delete process.env['SWEETGIGGLES_FAULTS_DIR'];
    expect(isFailing('payment:OrderCreated')).toBe(false);
    process.env['SWEETGIGGLES_FAULTS_DIR'] = dir;
    expect(isFailing('payment:OrderCreated')).toBe(true);
    expect(isFailing('delivery:PaymentAccepted')).toBe(false);
  });

  it('keep a failure switch on until it is removed', () => {
    process.env['SWEETGIGGLES_FAULTS_DIR'] = dir;
    writeFileSync(join(dir, 'fail:payment:OrderCreated'), '');
    expect(isFailing('payment:OrderCreated')).toBe(true);
    expect(isFailing('payment:OrderCreated')).toBe(true);
    rmSync(join(dir, 'fail:payment:OrderCreated'));
    expect(isFailing('payment:OrderCreated')).toBe(false);
  });

  it('pass a crash point whose file is not there, and leave other points’ files alone', () => {
    process.env['SWEETGIGGLES_FAULTS_DIR'] = dir;
    writeFileSync(join(dir, 'after-commit:OrderCreated'), '');
    crashPoint('after-commit:WorkerSearchCompleted');
    expect(existsSync(join(dir, 'after-commit:OrderCreated'))).toBe(true);
  });

  it('kill the first process that reaches a crash point at once, and only that one', () => {
    writeFileSync(join(dir, 'after-commit:OrderCreated'), '');
    // A process of its own reaches the point: the crash is a real SIGKILL.
    const program =
      "const { crashPoint } = await import(process.env.FAULTS_MODULE); crashPoint('after-commit:OrderCreated'); console.log('went on');";
    const reach = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', program], {
        env: { ...process.env, SWEETGIGGLES_FAULTS_DIR: dir, FAULTS_MODULE: new URL('./faults.ts', import.meta.url).href },
        encoding: 'utf8',
        timeout: 20_000,
      });
    const first = reach();
    expect(first.signal).toBe('SIGKILL');
    expect(first.stdout).toBe('');
    expect(existsSync(join(dir, 'after-commit:OrderCreated'))).toBe(false);
    const second = reach();
    expect(second.status).toBe(0);
    expect(second.stdout.trim()).toBe('went on');
  });
});
