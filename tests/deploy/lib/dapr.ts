import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { addFormats } from './compose.ts';
import { isObject, parseYamlDocuments, repoPath, yamlFilesIn, type Json, type JsonObject } from './repo.ts';

/** The Dapr version every run mode uses (the daprd image tag, the CRDs, the local daprd). */
export const daprVersion = '1.18.2';

/** Where Dapr's CRDs are: scripts/deploy/dapr-crds.sh downloads Dapr's Go module and prints it. */
export function daprCrdsDir(): string {
  return execFileSync('bash', [repoPath('scripts/deploy/dapr-crds.sh')], {
    encoding: 'utf8',
    env: { ...process.env, DAPR_VERSION: daprVersion },
  }).trim();
}

/**
 * A validator per Dapr kind (Component, Configuration, Resiliency, ...) from the CRDs'
 * openAPIV3Schema. As `kubectl apply` does with its default strict field validation, a field the
 * schema does not know is an error, except below `x-kubernetes-preserve-unknown-fields`.
 */
export function daprValidators(crdsDir: string): Map<string, (resource: JsonObject) => string[]> {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv as never);
  const validators = new Map<string, (resource: JsonObject) => string[]>();
  for (const file of ['components.yaml', 'configuration.yaml', 'resiliency.yaml', 'subscription.yaml', 'httpendpoints.yaml']) {
    for (const crd of parseYamlDocuments(readFileSync(join(crdsDir, file), 'utf8'), file)) {
      const spec = crd.spec as JsonObject;
      const kind = String((spec.names as JsonObject).kind);
      for (const version of spec.versions as JsonObject[]) {
        const schema = strict((version.schema as JsonObject).openAPIV3Schema as JsonObject);
        const validate = ajv.compile(schema);
        validators.set(`${String(spec.group)}/${String(version.name)}/${kind}`, (resource) =>
          validate(resource)
            ? []
            : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
        );
      }
    }
  }
  return validators;
}

function strict(schema: JsonObject): JsonObject {
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value))
      copy[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strict(v as JsonObject)]));
    else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) copy[key] = strict(value);
    else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value))
      copy[key] = value.map((v) => strict(v as JsonObject));
    else copy[key] = value;
  }
  if (isObject(copy.properties) && copy['x-kubernetes-preserve-unknown-fields'] !== true && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** The annotations Dapr's sidecar injector understands, read from its source in the same module. */
export function daprAnnotationNames(crdsDir: string): Set<string> {
  const moduleDir = dirname(dirname(dirname(crdsDir)));
  const source = readFileSync(join(moduleDir, 'pkg/injector/annotations/annotations.go'), 'utf8');
  return new Set([...source.matchAll(/"(dapr\.io\/[a-z0-9-]+)"/g)].map((m) => m[1]!));
}

/** A Dapr resource file of the repository, with where it came from. */
export interface DaprResource {
  file: string;
  resource: JsonObject;
}

/** The directories of Dapr resources that every run mode loads, for one broker. */
export const daprResourceDirs = (broker: string): string[] => ['components/common', `components/${broker}`, 'dapr/resources'];

/** Every Dapr resource the given broker's run loads: the resource directories and dapr/config.yaml. */
export function daprResources(broker: string): DaprResource[] {
  const files = [...daprResourceDirs(broker).flatMap(yamlFilesIn), 'dapr/config.yaml'];
  return files.flatMap((file) => parseYamlDocuments(readFileSync(repoPath(file), 'utf8'), file).map((resource) => ({ file, resource })));
}

export const resourceKey = (resource: JsonObject): string =>
  `${String(resource.kind)}/${String((resource.metadata as JsonObject | undefined)?.name)}`;

/** A resource without the metadata a run mode adds (namespace), for comparison across modes. */
export function withoutNamespace(resource: JsonObject): JsonObject {
  const metadata = { ...(resource.metadata as JsonObject) };
  delete metadata.namespace;
  return { ...resource, metadata };
}

/** Reads a path like `spec.tracing.otel.endpointAddress` from a resource. */
export function valueAt(resource: Json, path: string): Json | undefined {
  let value: Json | undefined = resource;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  return value;
}
