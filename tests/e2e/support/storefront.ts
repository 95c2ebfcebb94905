import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { repoRoot } from '../../../scripts/lib/system.ts';

/**
 * Builds the storefront as it ships into a scratch folder (not frontend/dist, which a running shop
 * may be serving), and returns it with a function that removes it.
 */
export async function buildStorefront(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sweetgiggles-dist-'));
  await build({ root: join(repoRoot, 'frontend'), logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
