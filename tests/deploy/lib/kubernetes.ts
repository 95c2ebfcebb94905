import { execFileSync, spawnSync } from 'node:child_process';
import { repoPath, parseYamlDocuments, type JsonObject } from './repo.ts';

/** The kustomize overlays, one per broker. */
export const overlays = ['redis', 'rabbitmq'] as const;

/** How to run kustomize here: kubectl's built-in one, or a standalone kustomize; undefined if neither exists. */
export function findKustomize(): { command: string; args: string[] } | undefined {
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0) return { command: 'kubectl', args: ['kustomize'] };
  if (spawnSync('kustomize', ['version'], { stdio: 'ignore' }).status === 0) return { command: 'kustomize', args: ['build'] };
  return undefined;
}

/**
 * Renders an overlay as `kubectl apply` would receive it. The Dapr resources are files outside the
 * kustomization's directory, which kustomize allows only with LoadRestrictionsNone.
 */
export function renderOverlay(overlay: string): JsonObject[] {
  const kustomize = findKustomize();
  if (!kustomize) throw new Error('neither kubectl nor kustomize is installed');
  const output = execFileSync(
    kustomize.command,
    [...kustomize.args, '--load-restrictor', 'LoadRestrictionsNone', repoPath('k8s', 'overlays', overlay)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return parseYamlDocuments(output, `k8s/overlays/${overlay}`);
}

export const kindOf = (resource: JsonObject): string => `${String(resource.apiVersion)}/${String(resource.kind)}`;
export const nameOf = (resource: JsonObject): string => String((resource.metadata as JsonObject | undefined)?.name);

/** The resources of one kind in a rendered overlay. */
export const ofKind = (resources: JsonObject[], kind: string): JsonObject[] => resources.filter((r) => r.kind === kind);

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: JsonObject) => Validatable;

/**
 * Validates a built-in Kubernetes resource with the validator that kubernetes-models generated from
 * the Kubernetes OpenAPI schema for its apiVersion and kind. Returns the problems (none when valid).
 */
export async function validateKubernetesResource(resource: JsonObject): Promise<string[]> {
  const apiVersion = String(resource.apiVersion);
  const kind = String(resource.kind);
  let module: Record<string, ModelClass>;
  try {
    module = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
  } catch {
    return [`no schema for ${apiVersion} ${kind} in kubernetes-models`];
  }
  const Model = module[kind];
  if (!Model) return [`kubernetes-models/${apiVersion}/${kind} has no ${kind}`];
  try {
    new Model(resource).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
