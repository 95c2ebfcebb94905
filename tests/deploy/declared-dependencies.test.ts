import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readText, workTreeFiles } from './lib/repo.ts';

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const root = JSON.parse(readText('package.json')) as Manifest & { workspaces: string[] };
const files = workTreeFiles();

/** The package an import specifier names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package a source file imports, statically or dynamically. */
function importsOf(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
  return specifiers.map(packageOf).filter((name): name is string => name !== undefined);
}

// A service's image installs only what its workspace declares (npm ci --omit=dev), so an import that
// resolves here through another workspace's dependency fails in the container. The storefront is
// bundled at build time, so its development dependencies are its code's too.
describe.each(root.workspaces)('%s', (workspace) => {
  const manifest = JSON.parse(readText(`${workspace}/package.json`)) as Manifest;
  const bundled = manifest.scripts?.['build']?.startsWith('vite') ?? false;
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...(bundled ? Object.keys(manifest.devDependencies ?? {}) : []),
  ]);
  const declaredForTests = new Set([
    ...declared,
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(root.devDependencies ?? {}),
  ]);
  const sources = files.filter((path) => path.startsWith(`${workspace}/src/`) && /\.ts$/.test(path));

  it('declares every package its code imports', () => {
    expect(sources.length).toBeGreaterThan(0);
    const missing = sources
      .filter((path) => !/\.test\.ts$|\/testing\//.test(path))
      .flatMap((path) =>
        importsOf(readText(path))
          .filter((name) => !declared.has(name))
          .map((name) => `${path}: ${name}`),
      );
    expect(missing).toEqual([]);
  });

  it('declares every package its tests import, here or at the root', () => {
    const missing = sources
      .filter((path) => /\.test\.ts$|\/testing\//.test(path))
      .flatMap((path) =>
        importsOf(readText(path))
          .filter((name) => !declaredForTests.has(name))
          .map((name) => `${path}: ${name}`),
      );
    expect(missing).toEqual([]);
  });
});
