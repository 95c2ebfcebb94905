import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandOf, composeTokens, dependenciesOf, loadCompose, publishedPortsOf, volumesOf, type VolumeMount } from './lib/compose.ts';
import { repoPath, repoRoot, type JsonObject } from './lib/repo.ts';

/**
 * docker-compose.yml as Docker Compose itself loads it: scripts/deploy/compose-config runs
 * compose-go (the loader behind `docker compose config`), with its current Compose schema and
 * semantic checks. The other compose checks read the file with a small loader of their own; here
 * both loaders must agree, so those checks see what Compose sees.
 */
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasGo)('docker-compose.yml through the Compose loader (compose-go)', () => {
  let work = '';
  let binary = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'sweetgiggles-compose-config-'));
    binary = join(work, 'compose-config');
    const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: repoPath('scripts/deploy/compose-config'), encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building scripts/deploy/compose-config failed:\n${build.stderr}`);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function composeConfig(files: string[], env: Record<string, string> = {}, withTokens = true): { project?: JsonObject; error: string } {
    const args = [
      ...Object.entries({ ...(withTokens ? composeTokens : {}), ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ...files.flatMap((f) => ['-f', repoPath(f)]),
    ];
    const run = spawnSync(binary, args, { encoding: 'utf8' });
    return run.status === 0 ? { project: JSON.parse(run.stdout) as JsonObject, error: '' } : { error: run.stderr };
  }

  it.each<Record<string, string>>([{}, { PUBSUB: 'redis' }, { PUBSUB: 'rabbitmq' }])('loads with %o', (env) => {
    const { project, error } = composeConfig(['docker-compose.yml'], env);
    expect(error).toBe('');
    expect(Object.keys(project!.services as JsonObject)).toHaveLength(14);
  });

  it('loads with the external-network override, and names the missing variable without it', () => {
    const { project, error } = composeConfig(['docker-compose.yml', 'docker-compose.external-network.yml'], { EXTERNAL_NETWORK: 'proxy' });
    expect(error).toBe('');
    const external = (project!.networks as JsonObject).external as JsonObject;
    expect(external).toMatchObject({ name: 'proxy', external: true });
    expect(Object.keys(((project!.services as JsonObject)['notifier-dapr'] as JsonObject).networks as JsonObject).sort()).toEqual([
      'default',
      'external',
    ]);
    expect(composeConfig(['docker-compose.yml', 'docker-compose.external-network.yml']).error).toContain('EXTERNAL_NETWORK');
  });

  it('refuses to load without the Dapr tokens, naming them and where they come from', () => {
    const { error } = composeConfig(['docker-compose.yml'], {}, false);
    expect(error).toMatch(/DAPR_API_TOKEN|APP_API_TOKEN/);
    expect(error).toContain('compose-secrets.sh');
  });

  it.each<{ files: string[]; env: Record<string, string> }>([
    { files: ['docker-compose.yml'], env: {} },
    { files: ['docker-compose.yml'], env: { PUBSUB: 'rabbitmq' } },
    { files: ['docker-compose.yml', 'docker-compose.external-network.yml'], env: { EXTERNAL_NETWORK: 'proxy' } },
  ])('agrees with the checks’ own loader on every service ($files, $env)', ({ files, env }) => {
    const compose = composeConfig(files, env).project!.services as Record<string, JsonObject>;
    const ours = loadCompose(files, env).services;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(compose).sort());
    for (const [name, theirs] of Object.entries(compose)) {
      const mine = ours[name]!;
      expect(mine.image ?? null, `${name} image`).toEqual(theirs.image ?? null);
      expect(commandOf(mine), `${name} command`).toEqual(commandOf(theirs));
      expect(mine.network_mode ?? null, `${name} network_mode`).toEqual(theirs.network_mode ?? null);
      expect(mine.environment ?? {}, `${name} environment`).toEqual(theirs.environment ?? {});
      expect(volumesOf(mine).map(bindSource), `${name} volumes`).toEqual(volumesOf(theirs).map(bindSource));
      expect(Object.fromEntries(dependenciesOf(mine)), `${name} depends_on`).toEqual(Object.fromEntries(dependenciesOf(theirs)));
      expect(
        publishedPortsOf(mine).map((p) => [p.hostPort, p.containerPort]),
        `${name} ports`,
      ).toEqual(((theirs.ports as JsonObject[] | undefined) ?? []).map((p) => [Number(p.published), Number(p.target)]));
      expect((mine.healthcheck as JsonObject | undefined)?.test ?? null, `${name} healthcheck`).toEqual(
        (theirs.healthcheck as JsonObject | undefined)?.test ?? null,
      );
      expect(mine.stop_grace_period ?? null, `${name} stop_grace_period`).toEqual(theirs.stop_grace_period ?? null);
    }
  });
});

/** A mount with its source as an absolute path without a trailing slash, as compose-go writes it. */
function bindSource(mount: VolumeMount): VolumeMount {
  const source = mount.source.startsWith('.') ? resolve(repoRoot, mount.source) : mount.source;
  return { ...mount, source: source.length > 1 ? source.replace(/\/$/, '') : source };
}
