import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCompose } from './lib/compose.ts';
import { expand, parseArgs, parseDockerfile, parseEnv, type Instruction, type Stage } from './lib/dockerfile.ts';
import { isIgnored, parseDockerignore } from './lib/dockerignore.ts';
import { readText, repoPath, workTreeFiles, type JsonObject } from './lib/repo.ts';

const dockerfile = parseDockerfile(readText('Dockerfile'));
const ignore = parseDockerignore(readText('.dockerignore'));
const context = workTreeFiles().filter((path) => !isIgnored(ignore, path));
const stage = (name: string): Stage => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
};
const instructions = (s: Stage, keyword: string): Instruction[] => s.instructions.filter((i) => i.keyword === keyword);
const services = Object.entries(loadCompose(['docker-compose.yml']).services)
  .filter(([, service]) => service.build !== undefined)
  .map(([name, service]) => String(((service.build as JsonObject).args as JsonObject).SERVICE ?? name));
const workspaces = (JSON.parse(readText('package.json')) as { workspaces: string[] }).workspaces;

/** The stages an image for SERVICE is built from: the final stage and everything it copies or starts from. */
function stagesFor(service: string): Set<string> {
  const values = new Map(dockerfile.globalArgs);
  values.set('SERVICE', service);
  const needed = new Set<string>();
  const visit = (reference: string) => {
    const target = dockerfile.stages.find((s) => s.name === expand(reference, values));
    if (!target || needed.has(target.name!)) return;
    needed.add(target.name!);
    visit(target.from);
    for (const copy of instructions(target, 'COPY')) for (const flag of copy.flags) if (flag.name === 'from') visit(flag.value);
  };
  visit(dockerfile.stages.at(-1)!.from);
  return needed;
}

describe('Dockerfile', () => {
  it('is one file for every service, chosen by ARG SERVICE with no default', () => {
    expect(dockerfile.globalArgs.has('SERVICE')).toBe(true);
    expect(dockerfile.globalArgs.get('SERVICE')).toBeUndefined();
    expect(dockerfile.stages.at(-1)!.from).toBe('service-${SERVICE}');
    for (const service of services) expect(stagesFor(service), service).toContain(`service-${service}`);
  });

  it('starts from a pinned image of the Node major that npm installs for development', () => {
    const devNode = (JSON.parse(readText('package.json')) as { devDependencies: Record<string, string> }).devDependencies['node'];
    const major = /(\d+)\./.exec(devNode ?? '')?.[1];
    expect(major).toBeDefined();
    const image = dockerfile.globalArgs.get('NODE_IMAGE');
    expect(image).toMatch(new RegExp(`^node:${major}\\.\\d+\\.\\d+-(alpine|bookworm-slim|trixie-slim)`));
    expect(stage('base').from).toBe('${NODE_IMAGE}');
  });

  it('copies every workspace manifest before npm ci, so the lockfile check sees the whole tree', () => {
    const copied = instructions(stage('manifests'), 'COPY').flatMap((copy) => copy.args.slice(0, -1));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]));
  });

  it("installs only one service's production dependencies, without the root's toolchain or install scripts", () => {
    const [install] = instructions(stage('deps'), 'RUN').filter((run) => run.raw.includes('npm ci'));
    const words = install!.raw.split(/\s+/);
    expect(words).toEqual(
      expect.arrayContaining(['--omit=dev', '--ignore-scripts', '--include-workspace-root=false', '--workspace', '"services/$SERVICE"']),
    );
  });

  it('builds the storefront into the notifier image only', () => {
    for (const service of services) expect(stagesFor(service).has('storefront'), service).toBe(service === 'notifier');
    const notifier = stage('service-notifier');
    const copy = instructions(notifier, 'COPY').find((c) => c.flags.some((f) => f.name === 'from' && f.value === 'storefront'));
    const env = new Map(instructions(notifier, 'ENV').flatMap(parseEnv));
    expect(copy?.args.at(-1)).toBe(env.get('STATIC_DIR'));
    expect(instructions(stage('storefront'), 'RUN').map((r) => r.raw)).toContain('npm run build --workspace frontend');
  });

  it("installs the storefront's build tools although the stage inherits NODE_ENV=production", () => {
    // npm ci leaves devDependencies (Vite) out when NODE_ENV is production, unless told to include them.
    const inherited = new Map<string, string>();
    for (let s: Stage | undefined = stage('storefront'); s; s = dockerfile.stages.find((t) => t.name === s!.from)) {
      for (const [name, value] of instructions(s, 'ENV').flatMap(parseEnv).reverse()) if (!inherited.has(name)) inherited.set(name, value);
    }
    expect(inherited.get('NODE_ENV')).toBe('production');
    const [install] = instructions(stage('storefront'), 'RUN').filter((run) => run.raw.includes('npm ci'));
    expect(install!.raw.split(/\s+/)).toContain('--include=dev');
  });

  it('runs as a numeric non-root user, stops on SIGTERM, checks /healthz and starts the service with node', () => {
    const runtime = stage('runtime');
    const [user] = instructions(runtime, 'USER');
    expect(user?.args[0]).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(instructions(runtime, 'STOPSIGNAL')[0]?.args).toEqual(['SIGTERM']);
    const [healthcheck] = instructions(runtime, 'HEALTHCHECK');
    expect(healthcheck?.raw).toMatch(/^CMD wget .*http:\/\/127\.0\.0\.1:\$\{PORT\}\/healthz/);
    expect(instructions(runtime, 'CMD')[0]?.args).toEqual(['node', '--import', '@sweetgiggles/platform/instrumentation', 'src/main.ts']);
    expect(instructions(runtime, 'WORKDIR')[0]?.args).toEqual(['/app/services/${SERVICE}']);
  });

  it('sets and exposes each service port, the one its config defaults to', () => {
    for (const service of services) {
      const s = stage(`service-${service}`);
      const port = new Map(instructions(s, 'ENV').flatMap(parseEnv)).get('PORT');
      expect(instructions(s, 'EXPOSE')[0]?.args, service).toEqual([port]);
      const config = repoPath(`services/${service}/src/config.ts`);
      if (existsSync(config)) expect(readText(`services/${service}/src/config.ts`), service).toContain(`PORT: env.port(${port})`);
    }
  });

  it('declares ARG SERVICE in every stage that uses it', () => {
    for (const s of dockerfile.stages) {
      const uses = s.instructions.some((i) => i.keyword !== 'ARG' && i.raw.includes('SERVICE'));
      const declares = instructions(s, 'ARG').some((arg) => parseArgs(arg).some(([name]) => name === 'SERVICE'));
      expect(!uses || declares, `stage ${s.name} uses $SERVICE`).toBe(true);
    }
  });
});

describe('the build context (.dockerignore)', () => {
  it('holds every file the Dockerfile copies from it', () => {
    for (const service of services) {
      const values = new Map(dockerfile.globalArgs);
      values.set('SERVICE', service);
      for (const name of stagesFor(service)) {
        for (const copy of instructions(stage(name), 'COPY')) {
          if (copy.flags.some((f) => f.name === 'from')) continue;
          for (const source of copy.args.slice(0, -1).map((a) => expand(a, values))) {
            if (!existsSync(repoPath(source))) continue; // reported by the next test
            const inContext = context.some((path) => path === source || path.startsWith(`${source}/`));
            expect(inContext, `${service}: COPY ${source} finds it in the build context`).toBe(true);
          }
        }
      }
    }
  });

  it.each(['order', 'payment', 'delivery', 'notifier'])('has the sources of %s (else its image cannot be built yet)', (service) => {
    expect(context, `services/${service}/src/main.ts`).toContain(`services/${service}/src/main.ts`);
    for (const shared of ['contracts', 'platform']) expect(context).toContain(`services/${shared}/src/index.ts`);
  });

  it('leaves out tests, local node_modules, build output, git, secrets and deployment files', () => {
    for (const path of context) {
      expect(path).not.toMatch(/(^|\/)node_modules\//);
      expect(path).not.toMatch(/\.test\.ts$/);
      expect(path).not.toMatch(/(^|\/)dist\//);
      expect(path).not.toMatch(/(^|\/)\.env/);
      expect(path).not.toMatch(/^(\.git|k8s|tests|components|dapr|scripts|observability)\//);
    }
    for (const path of [
      'node_modules/x/index.js',
      'frontend/node_modules/x/index.js',
      'frontend/dist/index.html',
      'services/order/src/app.test.ts',
      '.env',
      'k8s/base/order.yaml',
      '.git/HEAD',
    ]) {
      expect(isIgnored(ignore, path), path).toBe(true);
    }
    for (const path of [
      'package.json',
      'services/order/src/main.ts',
      'services/order/package.json',
      'frontend/index.html',
      'frontend/src/main.ts',
    ]) {
      expect(isIgnored(ignore, path), path).toBe(false);
    }
  });
});
