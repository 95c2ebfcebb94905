import { beforeAll, describe, expect, it } from 'vitest';
import { daprAnnotationNames, daprCrdsDir, daprValidators } from './lib/dapr.ts';
import { findKustomize, kindOf, nameOf, ofKind, overlays, renderOverlay, validateKubernetesResource } from './lib/kubernetes.ts';
import { isObject, type JsonObject } from './lib/repo.ts';

const kustomize = findKustomize();
const namespace = 'sweetgiggles';
const apps = ['order', 'payment', 'delivery', 'notifier'];

type Container = JsonObject & { name: string; resources?: JsonObject; ports?: JsonObject[] };
const podSpec = (deployment: JsonObject) => ((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject;
const podAnnotations = (deployment: JsonObject) =>
  ((((deployment.spec as JsonObject).template as JsonObject).metadata as JsonObject).annotations ?? {}) as Record<string, string>;
const containers = (deployment: JsonObject) => podSpec(deployment).containers as Container[];
const durationSeconds = (value: string) => Number(/^(\d+)s$/.exec(value)?.[1] ?? Number.NaN);

describe.skipIf(!kustomize)(`Kubernetes manifests (rendered with ${kustomize?.command ?? 'no kustomize: install kubectl'})`, () => {
  const rendered = new Map<string, JsonObject[]>();
  let crdsDir = '';

  beforeAll(() => {
    for (const overlay of overlays) rendered.set(overlay, renderOverlay(overlay));
    crdsDir = daprCrdsDir();
    // On a fresh machine the Go module download of Dapr's CRDs takes a while.
  }, 300_000);

  describe.each(overlays)('overlay %s', (overlay) => {
    const resources = () => rendered.get(overlay)!;
    const deployments = () => ofKind(resources(), 'Deployment');
    const appDeployment = (app: string) => deployments().find((d) => nameOf(d) === app)!;

    it('validates every built-in resource against the Kubernetes OpenAPI schema', async () => {
      const builtIn = resources().filter((r) => !String(r.apiVersion).startsWith('dapr.io/'));
      expect(builtIn.length).toBeGreaterThan(10);
      for (const resource of builtIn) {
        expect(await validateKubernetesResource(resource), `${kindOf(resource)} ${nameOf(resource)}`).toEqual([]);
      }
    });

    it("validates every Dapr resource against Dapr's CRD schema", () => {
      const validators = daprValidators(crdsDir);
      const dapr = resources().filter((r) => String(r.apiVersion).startsWith('dapr.io/'));
      expect(dapr.map((r) => r.kind)).toEqual(expect.arrayContaining(['Component', 'Configuration', 'Resiliency']));
      for (const resource of dapr) {
        const validate = validators.get(kindOf(resource));
        expect(validate, `a CRD for ${kindOf(resource)}`).toBeDefined();
        expect(validate!(resource), `${kindOf(resource)} ${nameOf(resource)}`).toEqual([]);
      }
    });

    it(`puts everything in the ${namespace} namespace`, () => {
      for (const resource of resources()) {
        if (resource.kind === 'Namespace') expect(nameOf(resource)).toBe(namespace);
        else expect((resource.metadata as JsonObject).namespace, `${kindOf(resource)} ${nameOf(resource)}`).toBe(namespace);
      }
    });

    it('gives each service a Deployment whose Dapr annotations match its Service and app port', () => {
      const knownAnnotations = daprAnnotationNames(crdsDir);
      const configurations = ofKind(resources(), 'Configuration').map(nameOf);
      for (const app of apps) {
        const deployment = appDeployment(app);
        expect(deployment, `Deployment ${app}`).toBeDefined();
        const annotations = podAnnotations(deployment);
        for (const key of Object.keys(annotations).filter((k) => k.startsWith('dapr.io/'))) {
          expect(knownAnnotations.has(key), `${app}: ${key} is an annotation Dapr's injector knows`).toBe(true);
        }
        expect(annotations['dapr.io/enabled']).toBe('true');
        expect(annotations['dapr.io/app-id']).toBe(app);
        expect(configurations).toContain(annotations['dapr.io/config']);
        expect(annotations['dapr.io/enable-metrics']).toBe('true');

        const [container] = containers(deployment);
        const http = container!.ports!.find((p) => p.name === 'http')!;
        // The port the sidecar calls: the notifier's own `internal` one (off the shop's), else the app's.
        const internal = container!.ports!.find((p) => p.name === 'internal');
        const sidecarPort = internal ?? http;
        expect(annotations['dapr.io/app-port'], app).toBe(String(sidecarPort.containerPort));
        expect((container!.env as JsonObject[]).find((e) => e.name === 'PORT')?.value, app).toBe(String(http.containerPort));
        if (internal)
          expect((container!.env as JsonObject[]).find((e) => e.name === 'INTERNAL_PORT')?.value, app).toBe(String(internal.containerPort));

        const service = ofKind(resources(), 'Service').find((s) => nameOf(s) === app)!;
        const spec = service.spec as JsonObject;
        expect(spec.selector, app).toEqual(((deployment.spec as JsonObject).selector as JsonObject).matchLabels);
        const port = (spec.ports as JsonObject[])[0]!;
        expect([http.name, http.containerPort], app).toContain(port.targetPort);
        expect(port.port).toBe(http.containerPort);

        expect(annotations['prometheus.io/scrape']).toBe('true');
        expect(annotations['prometheus.io/port']).toBe(String(sidecarPort.containerPort));
        expect(annotations['prometheus.io/path']).toBe('/metrics');
      }
    });

    it("hands every envRef of the Dapr components to each sidecar's environment", () => {
      const envRefs = ofKind(resources(), 'Component').flatMap((component) =>
        (((component.spec as JsonObject).metadata as JsonObject[]) ?? []).flatMap((m) => (m.envRef ? [String(m.envRef)] : [])),
      );
      for (const app of apps) {
        // In Kubernetes, daprd resolves an envRef only for a variable the injector was given here.
        const envAnnotation = podAnnotations(appDeployment(app))['dapr.io/env'] ?? '';
        const env = new Map(envAnnotation.split(',').map((pair) => pair.split('=', 2) as [string, string]));
        for (const name of envRefs) expect(env.has(name), `${app}: ${name}`).toBe(true);
        const host = (env.get(overlay === 'redis' ? 'REDIS_HOST' : 'RABBITMQ_URL') ?? '').replace(/^amqp:\/\/[^@]*@/, '').split(':')[0];
        expect(ofKind(resources(), 'Service').map(nameOf), `${app}: the broker host is a Service`).toContain(host);
      }
    });

    it('probes liveness at /healthz and readiness at /readyz on the app port', () => {
      for (const app of apps) {
        const [container] = containers(appDeployment(app));
        const probe = (name: string) => (container![name] as JsonObject).httpGet as JsonObject;
        expect(probe('livenessProbe').path).toBe('/healthz');
        expect(probe('readinessProbe').path).toBe('/readyz');
        expect(probe('readinessProbe').port).toBe('http');
        expect(probe('livenessProbe').port).toBe('http');
      }
    });

    it('gives its grace period room for the preStop pause, the drain and the sidecar shutdown', () => {
      for (const app of apps) {
        const deployment = appDeployment(app);
        const annotations = podAnnotations(deployment);
        const [container] = containers(deployment);
        const preStop = Number(((((container!.lifecycle as JsonObject).preStop as JsonObject).exec as JsonObject).command as string[])[1]);
        const drain = Number((container!.env as JsonObject[]).find((e) => e.name === 'DRAIN_MS')!.value) / 1000;
        const block = durationSeconds(annotations['dapr.io/block-shutdown-duration']!);
        const graceful = Number(annotations['dapr.io/graceful-shutdown-seconds']);
        // The sidecar keeps serving the app's state and publish calls until the app has drained...
        expect(block, app).toBeGreaterThan(preStop + drain);
        // ...and the whole pod is done before Kubernetes kills it.
        expect(Number(podSpec(deployment).terminationGracePeriodSeconds), app).toBeGreaterThanOrEqual(block + graceful + 5);
      }
    });

    it('meets the restricted Pod Security Standard in every pod it defines', () => {
      for (const deployment of deployments()) {
        const pod = podSpec(deployment);
        const podContext = (pod.securityContext ?? {}) as JsonObject;
        for (const container of containers(deployment)) {
          const context = (container.securityContext ?? {}) as JsonObject;
          const where = `${nameOf(deployment)}/${container.name}`;
          expect(context.runAsNonRoot ?? podContext.runAsNonRoot, where).toBe(true);
          expect(Number(context.runAsUser ?? podContext.runAsUser), where).toBeGreaterThan(0);
          expect(context.allowPrivilegeEscalation, where).toBe(false);
          expect((context.capabilities as JsonObject | undefined)?.drop, where).toEqual(['ALL']);
          const seccomp = (context.seccompProfile ?? podContext.seccompProfile) as JsonObject | undefined;
          expect(seccomp?.type, where).toBe('RuntimeDefault');
          expect(container.resources?.requests, `${where} requests`).toBeDefined();
          expect(container.resources?.limits, `${where} limits`).toBeDefined();
        }
        expect(JSON.stringify(pod.volumes ?? [])).not.toContain('hostPath');
      }
      for (const app of apps) {
        expect(podAnnotations(appDeployment(app))['dapr.io/sidecar-seccomp-profile-type']).toBe('RuntimeDefault');
        const [container] = containers(appDeployment(app));
        expect((container!.securityContext as JsonObject).readOnlyRootFilesystem, app).toBe(true);
      }
    });

    it('autoscales each service on CPU, with CPU requests on the app and on its sidecar', () => {
      const autoscalers = ofKind(resources(), 'HorizontalPodAutoscaler');
      expect(autoscalers.map(nameOf).sort()).toEqual([...apps].sort());
      for (const hpa of autoscalers) {
        const spec = hpa.spec as JsonObject;
        const target = spec.scaleTargetRef as JsonObject;
        const deployment = deployments().find((d) => nameOf(d) === target.name && target.kind === 'Deployment');
        expect(deployment, `${nameOf(hpa)} scales an existing Deployment`).toBeDefined();
        expect(
          (spec.metrics as JsonObject[]).some((m) => (m.resource as JsonObject | undefined)?.name === 'cpu'),
          nameOf(hpa),
        ).toBe(true);
        // Utilisation is over the requests of every container in the pod, the injected sidecar included.
        for (const container of containers(deployment!))
          expect((container.resources?.requests as JsonObject).cpu, container.name).toBeDefined();
        expect(podAnnotations(deployment!)['dapr.io/sidecar-cpu-request'], `${nameOf(hpa)}'s sidecar`).toBeDefined();
        // The autoscaler owns the replica count; a fixed one would be reset on every apply.
        expect((deployment!.spec as JsonObject).replicas, nameOf(hpa)).toBeUndefined();
      }
    });

    it('routes the Ingress to the shop', () => {
      const [ingress] = ofKind(resources(), 'Ingress');
      const backends = JSON.stringify(ingress?.spec);
      const notifier = ofKind(resources(), 'Service').find((s) => nameOf(s) === 'notifier')!;
      const portName = ((notifier.spec as JsonObject).ports as JsonObject[])[0]!.name;
      expect(backends).toContain(`"service":{"name":"notifier","port":{"name":"${String(portName)}"}}`);
    });

    it('pins every image', () => {
      for (const deployment of deployments()) {
        for (const container of containers(deployment)) {
          expect(String(container.image), `${nameOf(deployment)}/${container.name}`).toMatch(/:[^:/]*\d+\.\d+[^:/]*$/);
        }
      }
    });

    it(`runs the ${overlay} broker the pub/sub component needs`, () => {
      const pubsubs = ofKind(resources(), 'Component').filter((c) => String((c.spec as JsonObject).type).startsWith('pubsub.'));
      expect(pubsubs.map((c) => (c.spec as JsonObject).type)).toContain(`pubsub.${overlay}`);
      expect(deployments().map(nameOf)).toContain(overlay);
      expect(deployments().map(nameOf)).toContain('redis');
    });
  });

  it('checks Dapr resources strictly: an unknown field is an error', () => {
    const validate = daprValidators(crdsDir).get('dapr.io/v1alpha1/Component')!;
    const component = {
      apiVersion: 'dapr.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: { type: 'state.redis', version: 'v1', metdata: [] },
    };
    expect(validate(component).join()).toContain('metdata');
  });

  it('renders the same resources in both overlays but for the broker', () => {
    const keys = (overlay: string) => new Set(rendered.get(overlay)!.map((r) => `${kindOf(r)}/${nameOf(r)}`));
    const redis = keys('redis');
    const rabbitmq = keys('rabbitmq');
    // The broker, and its configuration (kustomize suffixes a generated ConfigMap's name with its hash).
    const added = [...rabbitmq].filter((k) => !redis.has(k)).map((k) => k.replace(/^(v1\/ConfigMap\/rabbitmq-config)-\w+$/, '$1'));
    expect(added.sort()).toEqual(['apps/v1/Deployment/rabbitmq', 'v1/ConfigMap/rabbitmq-config', 'v1/Service/rabbitmq']);
    expect([...redis].filter((k) => !rabbitmq.has(k))).toEqual([]);
    for (const r of rendered.get('redis')!) {
      const other = rendered.get('rabbitmq')!.find((o) => kindOf(o) === kindOf(r) && nameOf(o) === nameOf(r))!;
      const isPubsub = r.kind === 'Component' && String((r.spec as JsonObject).type).startsWith('pubsub.');
      if (!isPubsub) expect(other, `${kindOf(r)} ${nameOf(r)}`).toEqual(r);
    }
    expect(isObject(rendered.get('redis')![0] ?? null)).toBe(true);
  });
});
