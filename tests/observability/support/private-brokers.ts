import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { brokerAddresses } from '../../../scripts/lib/brokers.ts';

/** Where a test system's state and events go, and how to clean up after it. */
export interface PrivateBrokers {
  redisHost: string;
  rabbitmqUrl: string;
  /** Whether these are the test's own (false: the machine's shared brokers, when they could not be had). */
  isPrivate: boolean;
  stop(): Promise<void>;
}

/**
 * A Redis of the test's own (redis-server on `redisPort`, nothing on disk) and a RabbitMQ virtual host
 * of its own on the machine's RabbitMQ. Each app id is one consumer group on a broker, so two systems
 * sharing brokers take each other's events (another suite, another developer's `npm test` at the same
 * time), and a trace then ends in the other system. Falls back to the shared brokers when
 * redis-server or rabbitmqctl is not there or not allowed.
 */
export async function privateBrokers(name: string, redisPort: number): Promise<PrivateBrokers> {
  const shared: PrivateBrokers = {
    ...brokerAddresses,
    redisHost: brokerAddresses.redis,
    rabbitmqUrl: brokerAddresses.rabbitmq,
    isPrivate: false,
    stop: async () => undefined,
  };
  const vhost = `sweetgiggles-${name}`;
  const rabbitmqctl = (...args: string[]) => spawnSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8', timeout: 30_000 }).status === 0;
  rabbitmqctl('delete_vhost', vhost);
  if (!rabbitmqctl('add_vhost', vhost) || !rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')) return shared;
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    detached: true,
  });
  redis.once('error', () => undefined);
  const stop = async () => {
    await stopProcess(redis);
    rabbitmqctl('delete_vhost', vhost);
  };
  if (!(await accepts(redisPort, 5_000))) {
    await stop();
    return shared;
  }
  const url = new URL(brokerAddresses.rabbitmq);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  return { redisHost: `127.0.0.1:${redisPort}`, rabbitmqUrl: url.toString(), isPrivate: true, stop };
}

async function accepts(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await delay(100);
  }
  return false;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
