import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCompose, volumesOf } from './lib/compose.ts';
import { findKustomize, nameOf, ofKind, renderOverlay } from './lib/kubernetes.ts';
import { readText, type JsonObject } from './lib/repo.ts';

interface Policy {
  vhost: string;
  name: string;
  pattern: string;
  'apply-to': string;
  definition: Record<string, unknown>;
}
interface Definitions {
  users: { name: string; password_hash: string; hashing_algorithm: string }[];
  vhosts: { name: string }[];
  permissions: { user: string; vhost: string; configure: string; write: string; read: string }[];
  policies: Policy[];
}

const definitions = JSON.parse(readText('brokers/rabbitmq/definitions.json')) as Definitions;
const expiry = definitions.policies.find((p) => p.name === 'sweetgiggles-broadcast-expiry');
const confPath = /^load_definitions\s*=\s*(\S+)$/m.exec(readText('brokers/rabbitmq/sweetgiggles.conf'))?.[1];
const topics = ['orders', 'payments', 'deliveries', 'dead-letters'];

/** Whether `password` matches a RabbitMQ SHA-256 hash: base64 of a 4-byte salt and sha256(salt + password). */
function matchesPassword(hash: string, password: string): boolean {
  const bytes = Buffer.from(hash, 'base64');
  const salt = bytes.subarray(0, 4);
  return createHash('sha256')
    .update(Buffer.concat([salt, Buffer.from(password)]))
    .digest()
    .equals(bytes.subarray(4));
}

describe('RabbitMQ definitions (brokers/rabbitmq)', () => {
  it("expire a notifier replica's broadcast queues and nothing else", () => {
    expect(expiry).toMatchObject({ vhost: '/', 'apply-to': 'queues', definition: { expires: 3_600_000 } });
    const pattern = new RegExp(expiry!.pattern);
    // Dapr's RabbitMQ component names a queue `<consumerID>-<topic>`; pubsub-broadcast's consumerID
    // is `notifier-{uuid}`, the durable pubsub's is the app id.
    expect(readText('components/rabbitmq/pubsub-broadcast.yaml')).toMatch(/value: 'notifier-\{uuid\}'/);
    for (const topic of topics) {
      expect(`notifier-${randomUUID()}-${topic}`, topic).toMatch(pattern);
      for (const app of ['notifier', 'order', 'payment', 'delivery']) expect(`${app}-${topic}`).not.toMatch(pattern);
    }
  });

  it('hold the guest user and the / virtual host, which a node importing definitions at boot does not create', () => {
    const guest = definitions.users.find((u) => u.name === 'guest');
    expect(guest?.hashing_algorithm).toBe('rabbit_password_hashing_sha256');
    expect(matchesPassword(guest!.password_hash, 'guest')).toBe(true);
    expect(matchesPassword(guest!.password_hash, 'nope')).toBe(false);
    expect(definitions.vhosts).toContainEqual({ name: '/' });
    expect(definitions.permissions).toContainEqual({ user: 'guest', vhost: '/', configure: '.*', write: '.*', read: '.*' });
  });

  it.each(['redis', 'rabbitmq'])("are imported at boot by Compose's RabbitMQ (PUBSUB=%s)", (broker) => {
    const rabbitmq = loadCompose(['docker-compose.yml'], { PUBSUB: broker }).services.rabbitmq!;
    const mounts = new Map(volumesOf(rabbitmq).map((m) => [m.target, m]));
    const conf = [...mounts.values()].find((m) => m.source === './brokers/rabbitmq/sweetgiggles.conf');
    expect(conf?.target).toMatch(/^\/etc\/rabbitmq\/conf\.d\/[^/]+\.conf$/);
    expect(mounts.get(confPath!)).toMatchObject({ source: './brokers/rabbitmq/definitions.json', readOnly: true });
  });

  it.skipIf(!findKustomize())("are imported at boot by the Kubernetes overlay's RabbitMQ", () => {
    const resources = renderOverlay('rabbitmq');
    const rabbitmq = ofKind(resources, 'Deployment').find((d) => nameOf(d) === 'rabbitmq')!;
    const pod = (rabbitmq.spec as JsonObject).template as JsonObject;
    const container = ((pod.spec as JsonObject).containers as JsonObject[])[0]!;
    const volumes = (pod.spec as JsonObject).volumes as JsonObject[];
    const configMapName = String(((volumes.find((v) => v.name === 'config') ?? {}).configMap as JsonObject | undefined)?.name);
    const configMap = ofKind(resources, 'ConfigMap').find((c) => nameOf(c) === configMapName);
    const data = (configMap?.data ?? {}) as Record<string, string>;
    const mounts = (container.volumeMounts as JsonObject[]).filter((m) => m.name === 'config');
    const fileAt = (path: string) => data[String(mounts.find((m) => m.mountPath === path)?.subPath)];
    expect(fileAt(confPath!)).toBe(readText('brokers/rabbitmq/definitions.json'));
    const conf = mounts.find((m) => String(m.mountPath).startsWith('/etc/rabbitmq/conf.d/'));
    expect(data[String(conf?.subPath)]).toBe(readText('brokers/rabbitmq/sweetgiggles.conf'));
  });

  it("are where the local brokers' setup reads the policy from", () => {
    expect(readText('scripts/setup.sh')).toContain('brokers/rabbitmq/definitions.json');
  });
});
