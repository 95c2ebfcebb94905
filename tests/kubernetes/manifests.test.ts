import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../deploy/lib/repo.ts';
import { builtKubectl, Cluster, until } from './support/cluster.ts';
import {
  annotationsOf,
  argument,
  enforcingRestricted,
  envSource,
  namespace,
  podTemplate,
  renderOverlay,
  resourceName,
  tokenSecrets,
  asList,
  type Container,
} from './support/manifests.ts';

/**
 * Both overlays of k8s/ applied to a real API server (built from Kubernetes' own sources, on
 * loopback) with the `restricted` Pod Security Standard enforced, Dapr's CRDs, and Dapr's real Sentry
 * and sidecar injector behind a MutatingWebhookConfiguration. Pods run on a kwok node: they are
 * scheduled, mutated, admitted and marked Ready, but no container starts (there is no kubelet).
 */
const tools = builtKubectl();
const overlays = ['redis', 'rabbitmq'] as const;
const selectorOf = (deployment: JsonObject) =>
  Object.entries(((deployment.spec as JsonObject).selector as JsonObject).matchLabels as Record<string, string>)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

describe.skipIf(!tools.kubectl)(`Kubernetes manifests on a real API server${tools.kubectl ? '' : ` (skipped: ${tools.reason})`}`, () => {
  const cluster = new Cluster(tools.kubectl ?? '', { portBase: 28800, serviceNet: '127.88.0' });

  beforeAll(async () => {
    await cluster.start();
  }, 600_000);

  afterAll(async () => {
    await cluster.stop();
  }, 120_000);

  describe.each(overlays)('overlay %s', (overlay) => {
    let resources: JsonObject[] = [];
    const deployments = () => resources.filter((r) => r.kind === 'Deployment');
    const withDapr = () => deployments().filter((d) => annotationsOf(podTemplate(d))['dapr.io/enabled'] === 'true');

    beforeAll(async () => {
      resources = enforcingRestricted(await renderOverlay(cluster, overlay));
    }, 60_000);

    afterAll(async () => {
      // kwok lets a deleted pod take its grace period (30 s here), as a kubelet would: the test's
      // pods go at once, so the namespace is gone in seconds.
      await cluster.kubectl(['delete', 'deployments', '--all', '-n', namespace, '--wait=false']);
      await cluster.kubectl(['delete', 'pods', '--all', '-n', namespace, '--grace-period=0', '--force']);
      await cluster.kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait', '--timeout=90s'], undefined, 100_000);
    }, 120_000);

    it('accepts every object in a server-side dry run, with no warning', async () => {
      // Namespaced objects can only be tried in a namespace that exists.
      const namespaceObject = resources.filter((r) => r.kind === 'Namespace');
      expect(namespaceObject).toHaveLength(1);
      await cluster.kubectl(['apply', '--server-side', '-f', '-'], asList(namespaceObject));
      const { stdout, stderr } = await cluster.kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], asList(resources));
      expect(stderr.trim(), 'warnings').toBe('');
      expect(stdout.trim().split('\n')).toHaveLength(resources.length);
      expect(stdout).toMatch(/serverside-applied \(server dry run\)/);
    });

    it('applies every object for real, and the API server holds each as applied', async () => {
      await cluster.kubectl(['apply', '--server-side', '-f', '-'], asList(tokenSecrets()));
      const { stderr } = await cluster.kubectl(['apply', '--server-side', '-f', '-'], asList(resources));
      expect(stderr.trim(), 'warnings').toBe('');
      const names = resources.map(resourceName);
      const stored = await cluster.get(['-n', namespace, ...names]);
      expect(stored.map(resourceName).sort()).toEqual([...names].sort());
      const namespaceLabels = (stored.find((r) => r.kind === 'Namespace')!.metadata as JsonObject).labels as JsonObject;
      expect(namespaceLabels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    });

    it("has Dapr's injector add a sidecar to every Dapr pod, configured as the pod's annotations say", async () => {
      const trustAnchors = readFileSync(cluster.daprTrustAnchorsFile, 'utf8').trim();
      expect(withDapr().map((d) => (d.metadata as JsonObject).name)).toEqual(
        expect.arrayContaining(['order', 'payment', 'delivery', 'notifier']),
      );
      for (const deployment of deployments()) {
        const app = String((deployment.metadata as JsonObject).name);
        const annotations = annotationsOf(podTemplate(deployment));
        const pods = await until(`pods of ${app}`, 60_000, async () => {
          const found = await cluster.get(['pods', '-n', namespace, '-l', selectorOf(deployment)]);
          return found.length > 0 ? found : undefined;
        });
        for (const pod of pods) {
          const spec = pod.spec as JsonObject;
          const all = [...((spec.containers as Container[]) ?? []), ...((spec.initContainers as Container[]) ?? [])];
          const daprd = all.find((c) => c.name === 'daprd');
          if (annotations['dapr.io/enabled'] !== 'true') {
            expect(daprd, `${app} has no Dapr annotation and no sidecar`).toBeUndefined();
            continue;
          }
          expect(daprd, `${app}: an injected daprd container`).toBeDefined();
          expect(argument(daprd!, '--app-id'), app).toBe(annotations['dapr.io/app-id']);
          expect(argument(daprd!, '--app-port'), app).toBe(annotations['dapr.io/app-port']);
          expect(argument(daprd!, '--config'), app).toBe(annotations['dapr.io/config']);
          expect(argument(daprd!, '--mode'), app).toBe('kubernetes');
          expect(envSource(daprd!, 'DAPR_API_TOKEN'), app).toEqual({ name: annotations['dapr.io/api-token-secret'], key: 'token' });
          expect(envSource(daprd!, 'APP_API_TOKEN'), app).toEqual({ name: annotations['dapr.io/app-token-secret'], key: 'token' });
          // The trust anchor is the one this cluster's Sentry holds: the injector asked Sentry for it.
          expect(envSource(daprd!, 'DAPR_TRUST_ANCHORS')?.value?.toString().trim(), app).toBe(trustAnchors);
          expect(daprd!.resources, app).toEqual({
            requests: { cpu: annotations['dapr.io/sidecar-cpu-request'], memory: annotations['dapr.io/sidecar-memory-request'] },
            limits: { cpu: annotations['dapr.io/sidecar-cpu-limit'], memory: annotations['dapr.io/sidecar-memory-limit'] },
          });
          const context = daprd!.securityContext as JsonObject;
          expect(context.allowPrivilegeEscalation, app).toBe(false);
          expect(context.runAsNonRoot, app).toBe(true);
          expect(context.readOnlyRootFilesystem, app).toBe(true);
          expect((context.capabilities as JsonObject).drop, app).toEqual(['ALL']);
          expect((context.seccompProfile as JsonObject).type, app).toBe(annotations['dapr.io/sidecar-seccomp-profile-type']);
        }
      }
    }, 300_000);

    it('rolls out every Deployment on the kwok node', async () => {
      for (const deployment of deployments()) {
        const name = String((deployment.metadata as JsonObject).name);
        await cluster.kubectl(['rollout', 'status', '-n', namespace, `deployment/${name}`, '--timeout=120s'], undefined, 130_000);
        const pods = await cluster.get(['pods', '-n', namespace, '-l', selectorOf(deployment)]);
        expect(pods.length, name).toBeGreaterThan(0);
        for (const pod of pods) {
          expect((pod.spec as JsonObject).nodeName, name).toBe('kwok-node-0');
          const ready = ((pod.status as JsonObject).conditions as JsonObject[]).find((c) => c.type === 'Ready');
          expect(ready?.status, name).toBe('True');
        }
      }
    }, 300_000);
  });
});
