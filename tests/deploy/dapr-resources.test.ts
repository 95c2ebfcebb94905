import { join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { commandOf, flagValues, loadCompose, mergeOverride, volumesOf } from './lib/compose.ts';
import { daprCrdsDir, daprResourceDirs, daprResources, daprValidators, resourceKey, valueAt, withoutNamespace } from './lib/dapr.ts';
import { findKustomize, kindOf, nameOf, ofKind, renderOverlay } from './lib/kubernetes.ts';
import { readYamlDocuments, yamlFilesIn, type JsonObject } from './lib/repo.ts';

/**
 * One set of Dapr resources for the three run modes: `dapr run`/`npm start` load the files in
 * components/ and dapr/ directly; docker compose mounts the same directories into every sidecar;
 * kustomize renders the same files into the cluster. These tests prove that each mode sees the
 * same resources, differing only where a mode must differ (namespace, the trace collector's address,
 * and compose's name resolution).
 */
const brokers = ['redis', 'rabbitmq'] as const;
const endpointPath = 'spec.tracing.otel.endpointAddress';
const localConfig = readYamlDocuments('dapr/config.yaml')[0]!;
const composeOverlay = readYamlDocuments('observability/dapr-compose.yaml')[0]!;

/**
 * What daprd does with several --config files: each is decoded over the one before (gopkg.in/yaml.v3
 * into its Go structs), so mappings merge key by key, except `nameResolution.configuration`, an
 * untyped field that the later file replaces whole.
 */
function daprdMerge(base: JsonObject, over: JsonObject): JsonObject {
  const merged = mergeOverride(base, over) as JsonObject;
  const configuration = valueAt(over, 'spec.nameResolution.configuration');
  if (configuration !== undefined) ((merged.spec as JsonObject).nameResolution as JsonObject).configuration = configuration;
  return merged;
}
const composeConfig = daprdMerge(localConfig, composeOverlay);

/** A copy of a resource without the value at a path like `spec.nameResolution`. */
function withoutValueAt(resource: JsonObject, path: string): JsonObject {
  const copy = structuredClone(resource);
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as JsonObject;
  delete target[keys.at(-1)!];
  return copy;
}

function withValueAt(resource: JsonObject, path: string, value: string): JsonObject {
  const copy = structuredClone(resource);
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as JsonObject;
  target[keys.at(-1)!] = value;
  return copy;
}

describe('Dapr resources', () => {
  let crdsDir = '';
  beforeAll(() => {
    crdsDir = daprCrdsDir();
  }, 300_000);

  it.each(brokers)("validate against Dapr's CRD schemas, as loaded for %s", (broker) => {
    const validators = daprValidators(crdsDir);
    const resources = daprResources(broker);
    expect(resources.map(({ resource }) => resource.kind)).toEqual(expect.arrayContaining(['Component', 'Configuration', 'Resiliency']));
    for (const { file, resource } of resources) {
      expect(validators.get(kindOf(resource))!(resource), file).toEqual([]);
    }
  });

  it('have unique kinds and names in each broker set (one resource, one file)', () => {
    for (const broker of brokers) {
      const keys = daprResources(broker).map(({ resource }) => resourceKey(resource));
      expect(new Set(keys).size, broker).toBe(keys.length);
    }
  });

  describe('in docker compose', () => {
    it.each(brokers)('are the very files, mounted into every sidecar (PUBSUB=%s)', (broker) => {
      for (const [name, service] of Object.entries(loadCompose(['docker-compose.yml'], { PUBSUB: broker }).services)) {
        if (!String(service.image).startsWith('daprio/daprd:')) continue;
        const mounted = volumesOf(service).map((m) => m.source.replace(/^\.\//, ''));
        for (const dir of daprResourceDirs(broker)) expect(mounted, name).toContain(dir);
        expect(mounted, name).toContain('dapr/config.yaml');
        const configs = flagValues(commandOf(service), '--config');
        // dapr/config.yaml first, the compose variant over it.
        const sources = configs.map((target) => volumesOf(service).find((m) => m.target === target)?.source);
        expect(sources, name).toEqual(['./dapr/config.yaml', './observability/dapr-compose.yaml']);
      }
    });

    it('use a Configuration that differs from dapr/config.yaml only in the collector, its sampling and name resolution', () => {
      const { nameResolution, ...composeSpec } = composeConfig.spec as JsonObject;
      // dapr/config.yaml's own name resolution (for one machine) is replaced, not kept; it samples
      // nothing, as no collector runs beside npm start unless asked.
      expect(valueAt(localConfig, 'spec.tracing.samplingRate')).toBe('0');
      const local = withoutValueAt(
        withValueAt(withValueAt(localConfig, endpointPath, String(valueAt(composeConfig, endpointPath))), 'spec.tracing.samplingRate', '1'),
        'spec.nameResolution',
      );
      expect({ ...composeConfig, spec: composeSpec }).toEqual(local);
      expect(nameResolution).toEqual({ component: 'nameformat', version: 'v1', configuration: { format: '{appid}:50002' } });
      // The overlay repeats nothing it does not change.
      expect(Object.keys(composeOverlay.spec as JsonObject).sort()).toEqual(['nameResolution', 'tracing']);
      expect(composeOverlay.spec).toEqual({
        tracing: { samplingRate: '1', otel: { endpointAddress: valueAt(composeConfig, endpointPath) } },
        nameResolution,
      });
    });

    it('validate the compose Configuration as daprd assembles it', () => {
      const validate = daprValidators(crdsDir).get(kindOf(composeConfig))!;
      // The overlay alone is partial by design (it is only ever read over dapr/config.yaml).
      expect(validate(composeConfig)).toEqual([]);
    });

    it('send traces to the Jaeger container', () => {
      const [host, port] = String(valueAt(composeConfig, endpointPath)).split(':');
      const project = loadCompose(['docker-compose.yml']);
      expect(project.services[host!]?.image).toMatch(/^jaegertracing\//);
      expect(port).toBe('4318');
      expect(valueAt(localConfig, 'spec.tracing.otel.protocol')).toBe('http');
    });
  });

  describe('in Kubernetes', () => {
    it.each(brokers)('are all listed in the kustomizations (overlay %s)', (broker) => {
      // kustomize takes no directory of plain files, so each file is listed; a new one must be added.
      const listed = [`k8s/base`, `k8s/overlays/${broker}`].flatMap((dir) =>
        ((readYamlDocuments(`${dir}/kustomization.yaml`)[0]!.resources as string[]) ?? []).map((path) => normalize(join(dir, path))),
      );
      const files = [...daprResourceDirs(broker).flatMap(yamlFilesIn), 'dapr/config.yaml'];
      const missing = files.filter((file) => !listed.includes(file));
      expect(
        missing,
        `add to the resources of k8s/overlays/${broker}/kustomization.yaml (or k8s/base for shared ones): ${missing.map((f) => `../../../${f}`).join(', ')}`,
      ).toEqual([]);
    });
  });

  describe.skipIf(!findKustomize())('in Kubernetes, rendered', () => {
    it.each(brokers)('are the very files, rendered by kustomize (overlay %s)', (broker) => {
      const rendered = renderOverlay(broker).filter((r) => String(r.apiVersion).startsWith('dapr.io/'));
      const expected = daprResources(broker).map(({ resource }) => resource);
      expect(rendered.map(resourceKey).sort()).toEqual(expected.map(resourceKey).sort());
      for (const resource of rendered) {
        const source = expected.find((e) => resourceKey(e) === resourceKey(resource))!;
        const cluster = withoutNamespace(resource);
        if (resource.kind === 'Configuration') {
          // The one patch: the collector is the jaeger Service, not the sidecar's localhost, and as
          // it runs every request is sampled; name resolution is left to the injector's Kubernetes
          // resolver, and the invocation access control, which needs mTLS identities (checked in
          // security.test.ts), is added.
          expect(valueAt(resource, endpointPath)).toBe('jaeger:4318');
          expect(valueAt(resource, 'spec.tracing.samplingRate')).toBe('1');
          expect(valueAt(resource, 'spec.nameResolution')).toBeUndefined();
          expect(valueAt(resource, 'spec.accessControl')).toBeDefined();
          expect(withoutValueAt(cluster, 'spec.accessControl'), resourceKey(resource)).toEqual(
            withoutValueAt(
              withValueAt(withValueAt(source, endpointPath, 'jaeger:4318'), 'spec.tracing.samplingRate', '1'),
              'spec.nameResolution',
            ),
          );
        } else {
          expect(cluster, resourceKey(resource)).toEqual(source);
        }
      }
    });

    it('send traces to the jaeger Service', () => {
      const rendered = renderOverlay('redis');
      const jaeger = ofKind(rendered, 'Service').find((s) => nameOf(s) === 'jaeger')!;
      expect(((jaeger.spec as JsonObject).ports as JsonObject[]).map((p) => p.port)).toContain(4318);
    });
  });
});
