import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { events, topics } from '../../services/contracts/src/events.ts';
import { commandOf, composeTokens, flagValues, loadCompose } from './lib/compose.ts';
import { valueAt } from './lib/dapr.ts';
import { findKustomize, nameOf, ofKind, overlays, renderOverlay } from './lib/kubernetes.ts';
import { readText, readYamlDocuments, repoRoot, workTreeFiles, yamlFilesIn, type JsonObject } from './lib/repo.ts';

/**
 * Dapr's guards in every run mode: the two tokens, the API allowlist, the publishing scopes, the
 * invocation access control and loopback listeners, from the shared files where the modes share them;
 * and no secret committed anywhere.
 */
const apps = ['order', 'payment', 'delivery', 'notifier'] as const;
const brokers = ['redis', 'rabbitmq'] as const;
const tokenNames = ['DAPR_API_TOKEN', 'APP_API_TOKEN'] as const;
const config = readYamlDocuments('dapr/config.yaml')[0]!;

/** Each app's own topic, from the contracts: the topic of the events it publishes. */
const ownTopic: Record<(typeof apps)[number], string | undefined> = {
  order: events.OrderCreated.topic,
  payment: events.PaymentAccepted.topic,
  delivery: events.DeliveryStarted.topic,
  notifier: undefined,
};

function parseScopes(value: string): Map<string, string[]> {
  return new Map(
    value
      .replace(/\s+/g, '')
      .split(';')
      .filter(Boolean)
      .map((entry) => {
        const [app, list = ''] = entry.split('=');
        return [app!, list.split(',').filter(Boolean)] as [string, string[]];
      }),
  );
}

const metadataValue = (component: JsonObject, name: string) =>
  ((valueAt(component, 'spec.metadata') as JsonObject[] | undefined) ?? []).find((entry) => entry.name === name)?.value as
    string | undefined;

describe('Dapr security settings', () => {
  it('allow each sidecar API only state, publish and invocation, over HTTP and gRPC, in one shared Configuration', () => {
    const allowed = (valueAt(config, 'spec.api.allowed') as JsonObject[]).map((rule) => `${String(rule.protocol)} ${String(rule.name)}`);
    expect(allowed.sort()).toEqual(['grpc invoke', 'grpc publish', 'grpc state', 'http invoke', 'http publish', 'http state']);
    expect(valueAt(config, 'spec.api.denied')).toBeUndefined();
  });

  it.each(brokers)('let each service publish only its own topic (and the dead letters) on %s', (broker) => {
    const components = yamlFilesIn(`components/${broker}`).flatMap(readYamlDocuments);
    const pubsub = components.find((c) => nameOf(c) === 'pubsub')!;
    const scopes = parseScopes(metadataValue(pubsub, 'publishingScopes') ?? '');
    expect([...scopes.keys()].sort()).toEqual([...apps].sort());
    const allTopics = Object.values(topics).filter((topic) => topic !== topics.deadLetters);
    for (const app of apps) {
      const allowed = scopes.get(app)!;
      expect(allowed, app).toContain(topics.deadLetters);
      for (const topic of allTopics) expect(allowed.includes(topic), `${app} on ${topic}`).toBe(topic === ownTopic[app]);
      expect(
        allowed.filter((topic) => topic !== ownTopic[app] && topic !== topics.deadLetters),
        app,
      ).toEqual([]);
    }
    const broadcast = components.find((c) => nameOf(c) === 'pubsub-broadcast')!;
    expect(parseScopes(metadataValue(broadcast, 'publishingScopes') ?? 'missing')).toEqual(new Map([['notifier', []]]));
  });

  it('use the same scopes on both brokers', () => {
    const scopesOf = (broker: string) =>
      yamlFilesIn(`components/${broker}`)
        .flatMap(readYamlDocuments)
        .map((c) => [nameOf(c), metadataValue(c, 'publishingScopes')]);
    expect(scopesOf('rabbitmq')).toEqual(scopesOf('redis'));
  });
});

describe('dapr run -f', () => {
  const template = readYamlDocuments('dapr/dapr.yaml')[0]!;
  it('takes the tokens from the environment, never from the template, and keeps the sidecar API on loopback', () => {
    expect(readText('dapr/dapr.yaml')).not.toMatch(/(DAPR_API_TOKEN|APP_API_TOKEN)\s*:/);
    expect(valueAt(template, 'common.apiListenAddresses')).toBe('127.0.0.1');
    const notifier = (template.apps as JsonObject[]).find((app) => app.appID === 'notifier')!;
    expect(String(notifier.appPort)).toBe(String((notifier.env as JsonObject).INTERNAL_PORT));
    expect(String(notifier.appPort)).not.toBe(String((notifier.env as JsonObject).PORT));
  });
});

describe('docker compose', () => {
  const project = loadCompose(['docker-compose.yml']);
  const raw = readYamlDocuments('docker-compose.yml')[0]!;

  it('gives every app and sidecar both tokens, from the environment (.env), never a committed value', () => {
    for (const name of [...apps, ...apps.map((app) => `${app}-dapr`)]) {
      const environment = project.services[name]!.environment as JsonObject;
      for (const token of tokenNames) expect(environment[token], `${name} ${token}`).toBe(composeTokens[token]);
    }
    for (const anchor of ['x-app', 'x-daprd']) {
      const environment = valueAt(raw, `${anchor}.environment`) as JsonObject;
      for (const token of tokenNames) expect(String(environment[token]), `${anchor} ${token}`).toMatch(new RegExp(`^\\$\\{${token}:\\?`));
    }
    expect(() => loadCompose(['docker-compose.yml'], { DAPR_API_TOKEN: '', APP_API_TOKEN: '' })).toThrow(/compose-secrets\.sh/);
  });

  it("keeps each sidecar's API on loopback and calls the notifier on its internal port", () => {
    for (const app of apps) {
      const command = commandOf(project.services[`${app}-dapr`]!);
      expect(flagValues(command, '--dapr-listen-addresses'), app).toEqual(['127.0.0.1']);
    }
    expect(flagValues(commandOf(project.services['notifier-dapr']!), '--app-port')).toEqual(['3000']);
  });
});

describe.skipIf(!findKustomize())('Kubernetes', () => {
  it.each(overlays)('gives every sidecar and app both tokens from Secrets it does not ship (%s)', (overlay) => {
    const rendered = renderOverlay(overlay);
    expect(ofKind(rendered, 'Secret').map(nameOf)).not.toEqual(expect.arrayContaining(['dapr-api-token']));
    expect(ofKind(rendered, 'Secret').map(nameOf)).not.toEqual(expect.arrayContaining(['app-api-token']));
    for (const app of apps) {
      const deployment = ofKind(rendered, 'Deployment').find((d) => nameOf(d) === app)!;
      const annotations = valueAt(deployment, 'spec.template.metadata.annotations') as JsonObject;
      expect(annotations['dapr.io/api-token-secret'], app).toBe('dapr-api-token');
      expect(annotations['dapr.io/app-token-secret'], app).toBe('app-api-token');
      expect(annotations['dapr.io/sidecar-listen-addresses'], `${app}: the injector's loopback default`).toBeUndefined();
      const env = ((valueAt(deployment, 'spec.template.spec.containers') as JsonObject[])[0]!.env as JsonObject[]) ?? [];
      const fromSecret = (name: string) =>
        valueAt(env.find((e) => e.name === name) ?? {}, 'valueFrom.secretKeyRef') as JsonObject | undefined;
      expect(fromSecret('DAPR_API_TOKEN'), app).toEqual({ name: 'dapr-api-token', key: 'token' });
      expect(fromSecret('APP_API_TOKEN'), app).toEqual({ name: 'app-api-token', key: 'token' });
    }
  });

  it.each(overlays)('lets only the notifier invoke the shop API routes, and the order service ask for a republish (%s)', (overlay) => {
    const configuration = ofKind(renderOverlay(overlay), 'Configuration').find((c) => nameOf(c) === 'sweetgiggles')!;
    const acl = valueAt(configuration, 'spec.accessControl') as JsonObject;
    expect(acl.defaultAction).toBe('deny');
    const policies = acl.policies as JsonObject[];
    expect(policies.map((p) => p.appId)).toEqual(['notifier', 'order']);
    const operationsOf = (policy: JsonObject) => {
      expect(policy.defaultAction, String(policy.appId)).toBe('deny');
      return (policy.operations as JsonObject[]).map((o) => `${(o.httpVerb as string[]).join(',')} ${String(o.name)}`).sort();
    };
    expect(operationsOf(policies[0]!)).toEqual(['GET /api/catalog', 'GET,DELETE /api/orders/*', 'POST /api/orders']);
    expect(operationsOf(policies[1]!)).toEqual(['POST /operator/republish']);
    // The rest of the Configuration is dapr/config.yaml's, allowlist included.
    expect(valueAt(configuration, 'spec.api')).toEqual(valueAt(config, 'spec.api'));
  });
});

describe('the repository', () => {
  it('holds no Dapr token, no .env and no Secret with data', () => {
    const files = workTreeFiles().filter((file) => !file.endsWith('package-lock.json') && !file.endsWith('.png'));
    expect(files).not.toContain('.env');
    expect(execFileSync('git', ['check-ignore', '.env'], { cwd: repoRoot }).toString().trim()).toBe('.env');
    const assignment = /(DAPR_API_TOKEN|APP_API_TOKEN)\s*[:=]\s*['"]?([0-9a-f]{32,}|[A-Za-z0-9+/=_-]{32,})/;
    for (const file of files) {
      let text: string;
      try {
        text = readText(file);
      } catch {
        continue;
      }
      expect(assignment.exec(text)?.[0], file).toBeUndefined();
      if (/\.ya?ml$/.test(file)) {
        for (const document of readYamlDocuments(file)) {
          if (document.kind === 'Secret') expect(document.data ?? document.stringData, `${file}: a Secret with data`).toBeUndefined();
        }
      }
    }
  });
});
