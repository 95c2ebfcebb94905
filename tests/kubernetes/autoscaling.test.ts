import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../deploy/lib/repo.ts';
import { builtKubectl, Cluster, until } from './support/cluster.ts';
import { enforcingRestricted, namespace, renderOverlay, tokenSecrets, asList } from './support/manifests.ts';

/**
 * The HorizontalPodAutoscalers of k8s/ scaling for real: the controller manager's HPA controller reads
 * CPU from metrics-server, which scrapes the kwok node's simulated kubelet, whose pods use what their
 * `kwok.x-k8s.io/usage-cpu` annotation says. The test drives that simulated usage up and down and
 * watches the order Deployment scale out and back in. The HPA controller's period and its downscale
 * stabilization are shortened (5 s and 15 s, against 15 s and 5 min by default) so that this takes
 * seconds rather than minutes; the HPA objects are the manifests' own.
 */
const tools = builtKubectl();
const app = 'order';
const selector = `app.kubernetes.io/name=${app}`;

describe.skipIf(!tools.kubectl)(`the autoscaler on a real control plane${tools.kubectl ? '' : ` (skipped: ${tools.reason})`}`, () => {
  const cluster = new Cluster(tools.kubectl ?? '', {
    portBase: 28820,
    serviceNet: '127.88.1',
    env: {
      K8S_HPA_SYNC_PERIOD: '5s',
      K8S_HPA_DOWNSCALE_STABILIZATION: '15s',
      K8S_HPA_CPU_INITIALIZATION_PERIOD: '10s',
      K8S_HPA_INITIAL_READINESS_DELAY: '5s',
    },
  });
  let hpa: JsonObject;

  const replicas = async () => Number(((await cluster.get(['-n', namespace, `deployment/${app}`]))[0]!.spec as JsonObject).replicas);
  /** Sets the CPU each container of every pod of the app is simulated to use. */
  const simulateCpu = async (quantity: string) =>
    cluster.kubectl(['annotate', 'pods', '-n', namespace, '-l', selector, '--overwrite', `kwok.x-k8s.io/usage-cpu=${quantity}`]);
  const utilization = async () => {
    const [current] = await cluster.get(['-n', namespace, `hpa/${app}`]);
    const metrics = ((current!.status as JsonObject).currentMetrics ?? []) as JsonObject[];
    const value = ((metrics[0]?.resource as JsonObject | undefined)?.current as JsonObject | undefined)?.averageUtilization;
    return value === undefined ? undefined : Number(value);
  };

  beforeAll(async () => {
    await cluster.start();
    const resources = enforcingRestricted(await renderOverlay(cluster, 'redis'));
    hpa = resources.find((r) => r.kind === 'HorizontalPodAutoscaler' && (r.metadata as JsonObject).name === app)!;
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], asList(resources.filter((r) => r.kind === 'Namespace')));
    await cluster.kubectl(['apply', '--server-side', '-f', '-'], asList([...tokenSecrets(), ...resources]));
    await cluster.kubectl(['rollout', 'status', '-n', namespace, `deployment/${app}`, '--timeout=120s'], undefined, 130_000);
  }, 600_000);

  afterAll(async () => {
    await cluster.stop();
  }, 120_000);

  it('reads the pods’ CPU through metrics-server from the kwok node', async () => {
    const idle = await until('a CPU utilisation in the HPA status', 120_000, utilization);
    const resource = (((hpa.spec as JsonObject).metrics as JsonObject[])[0]!.resource as JsonObject) ?? {};
    const target = Number((resource.target as JsonObject).averageUtilization);
    expect(resource.name).toBe('cpu');
    expect(idle).toBeLessThan(target);
    expect(await replicas()).toBe(Number((hpa.spec as JsonObject).minReplicas));
  }, 150_000);

  it('scales the Deployment out under load and back in when it ends', async () => {
    const spec = hpa.spec as JsonObject;
    const [minReplicas, maxReplicas] = [Number(spec.minReplicas), Number(spec.maxReplicas)];
    expect(maxReplicas).toBeGreaterThan(minReplicas);

    // Far above the target: each of the pod's two containers at 600m against 150m of requests.
    await simulateCpu('600m');
    const busy = await until('the HPA to see the load', 120_000, async () => {
      const value = await utilization();
      return value !== undefined && value > 100 ? value : undefined;
    });
    expect(busy).toBeGreaterThan(100);
    const scaledOut = await until('a scale-out', 120_000, async () => {
      const count = await replicas();
      return count > minReplicas ? count : undefined;
    });
    expect(scaledOut).toBeGreaterThan(minReplicas);
    expect(scaledOut).toBeLessThanOrEqual(maxReplicas);
    await cluster.kubectl(['rollout', 'status', '-n', namespace, `deployment/${app}`, '--timeout=120s'], undefined, 130_000);

    // Every replica, the new ones too, goes quiet.
    await simulateCpu('1m');
    const scaledIn = await until('a scale-in to the minimum', 180_000, async () => {
      const count = await replicas();
      return count === minReplicas ? count : undefined;
    });
    expect(scaledIn).toBe(minReplicas);
  }, 450_000);
});
