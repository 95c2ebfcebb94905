import { randomBytes } from 'node:crypto';
import { repoPath, parseYamlDocuments, type JsonObject } from '../../deploy/lib/repo.ts';
import type { Cluster } from './cluster.ts';

export const namespace = 'sweetgiggles';

/** An overlay as `kubectl kustomize --load-restrictor LoadRestrictionsNone` renders it (see k8s/README.md). */
export async function renderOverlay(cluster: Cluster, overlay: string): Promise<JsonObject[]> {
  const { stdout } = await cluster.kubectl([
    'kustomize',
    '--load-restrictor',
    'LoadRestrictionsNone',
    repoPath('k8s', 'overlays', overlay),
  ]);
  return parseYamlDocuments(stdout, `k8s/overlays/${overlay}`);
}

/**
 * The rendered namespace with the `restricted` Pod Security Standard enforced (the manifests
 * enforce only `baseline`, for clusters whose injector does not drop the sidecar's capabilities;
 * this cluster's does, as k8s/README.md asks).
 */
export function enforcingRestricted(resources: JsonObject[]): JsonObject[] {
  return resources.map((resource) => {
    if (resource.kind !== 'Namespace') return resource;
    const metadata = resource.metadata as JsonObject;
    const labels = { ...(metadata.labels as JsonObject), 'pod-security.kubernetes.io/enforce': 'restricted' };
    return { ...resource, metadata: { ...metadata, labels } };
  });
}

/**
 * Objects as one JSON List for `kubectl apply -f -`. JSON, not YAML: kubectl reads YAML 1.1, where
 * an unquoted `yes` (Redis's `--appendonly yes`) would turn into a boolean.
 */
export const asList = (resources: JsonObject[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: resources });

/** The two token Secrets the manifests name but never contain, made as k8s/README.md says. */
export function tokenSecrets(): JsonObject[] {
  return ['dapr-api-token', 'app-api-token'].map((name) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    stringData: { token: randomBytes(32).toString('hex') },
  }));
}

/** `kind.group/name`, the way kubectl names one object of any API group. */
export function resourceName(resource: JsonObject): string {
  const apiVersion = String(resource.apiVersion);
  const group = apiVersion.includes('/') ? `.${apiVersion.split('/')[0]}` : '';
  return `${String(resource.kind)}${group}/${String((resource.metadata as JsonObject).name)}`;
}

export type Container = JsonObject & { name: string; args?: string[]; env?: JsonObject[]; resources?: JsonObject };

/** The value following `flag` in a container's arguments. */
export function argument(container: Container, flag: string): string | undefined {
  const args = container.args ?? [];
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Where an environment variable of a container comes from: its value, or the Secret key it names. */
export function envSource(container: Container, name: string): JsonObject | undefined {
  const entry = (container.env ?? []).find((e) => e.name === name);
  if (!entry) return undefined;
  return entry.valueFrom ? ((entry.valueFrom as JsonObject).secretKeyRef as JsonObject) : { value: entry.value ?? '' };
}

export const podTemplate = (deployment: JsonObject): JsonObject => (deployment.spec as JsonObject).template as JsonObject;
export const annotationsOf = (object: JsonObject): Record<string, string> =>
  ((object.metadata as JsonObject).annotations ?? {}) as Record<string, string>;
