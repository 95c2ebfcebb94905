import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stopProcess } from './system.ts';

const run = promisify(execFile);

/**
 * A broker process that belongs to one test or chaos run: its own port, its own data in a temporary
 * directory, stopped by whoever started it. Restarting it or cutting its connections hurts nobody
 * else, which the machine's shared Redis and RabbitMQ could not promise.
 */
export interface PrivateBroker {
  /** What the shop's components take (`REDIS_HOST` or `RABBITMQ_URL`). */
  readonly address: string;
  /** Takes the broker away for `downMs` (its clients' connections close), then brings it back. */
  restart(downMs: number): Promise<void>;
  /** Closes every client connection at once, as a proxy or network blip would; the broker stays up. */
  cutConnections(): Promise<void>;
  /** Stops every process this broker started and removes its data. Idempotent. */
  stop(): Promise<void>;
}

/** A Redis with an append-only file, so a restart keeps streams, consumer groups and pending entries. */
export class PrivateRedis implements PrivateBroker {
  readonly port: number;
  readonly #dir: string;
  #server: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  static async start(port: number): Promise<PrivateRedis> {
    const redis = new PrivateRedis(port, await mkdtemp(join(tmpdir(), 'sg-redis-')));
    await redis.#launch();
    return redis;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async restart(downMs: number): Promise<void> {
    await stopProcess(this.#server, 'SIGTERM', 10_000);
    await delay(downMs);
    await this.#launch();
  }

  /** `CLIENT KILL TYPE normal`: every client connection, pub/sub and state alike. */
  async cutConnections(): Promise<void> {
    await redisCommand(this.port, ['CLIENT', 'KILL', 'TYPE', 'normal']);
  }

  async stop(): Promise<void> {
    await stopProcess(this.#server, 'SIGTERM', 10_000);
    this.#server = undefined;
    await rm(this.#dir, { recursive: true, force: true });
  }

  async #launch(): Promise<void> {
    // SIGTERM makes Redis write its append-only file out before it exits, as a graceful restart would.
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.#dir, '--appendonly', 'yes', '--save', ''];
    this.#server = spawnOwned('redis-server', args, {}, join(this.#dir, 'redis.log'));
    await waitForPort(this.port, 15_000, this.#server);
  }
}

const rabbitmqBin = (tool: string) => {
  const packaged = join('/usr/lib/rabbitmq/bin', tool);
  return existsSync(packaged) ? packaged : tool;
};

/**
 * A RabbitMQ node of its own: node name, AMQP and distribution ports, its own epmd on a private port,
 * data and logs in a temporary directory, no plugins (so no management or Prometheus listener).
 * `rabbitmqctl` reaches it through the same environment. Uses ports `port` to `port + 2`.
 */
export class PrivateRabbitMQ implements PrivateBroker {
  readonly port: number;
  readonly #dir: string;
  readonly #env: Record<string, string>;
  #epmd: ChildProcess | undefined;
  #server: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
    this.#env = {
      HOME: dir, // the Erlang cookie lives here, for the server and rabbitmqctl alike
      RABBITMQ_NODENAME: `sg${port}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(port + 1),
      ERL_EPMD_PORT: String(port + 2),
      RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
      RABBITMQ_LOG_BASE: join(dir, 'log'),
      RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
      RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
      RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
      RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
      RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
      RABBITMQ_LOGS: '-',
      // Our epmd is started (and stopped) by us, not left behind as a daemon.
      RABBITMQ_SERVER_START_ARGS: '-start_epmd false',
    };
  }

  /** Starts the node with `config` (rabbitmq.conf lines) besides its listener, and waits until it takes connections. */
  static async start(port: number, config: string[] = []): Promise<PrivateRabbitMQ> {
    const rabbit = new PrivateRabbitMQ(port, await mkdtemp(join(tmpdir(), 'sg-rabbitmq-')));
    const dir = rabbit.#dir;
    await writeFile(join(dir, 'rabbitmq.conf'), [`listeners.tcp.local = 127.0.0.1:${port}`, ...config, ''].join('\n'));
    await writeFile(join(dir, 'enabled_plugins'), '[].\n');
    await writeFile(join(dir, 'rabbitmq-env.conf'), '');
    await writeFile(join(dir, 'advanced.config'), '[].\n');
    rabbit.#epmd = spawnOwned('epmd', ['-port', String(port + 2), '-address', '127.0.0.1'], {}, join(dir, 'epmd.log'));
    rabbit.#server = spawnOwned(rabbitmqBin('rabbitmq-server'), [], rabbit.#env, join(dir, 'rabbitmq.log'));
    try {
      await waitForPort(port, 60_000, rabbit.#server);
    } catch (error) {
      await rabbit.stop();
      throw error;
    }
    return rabbit;
  }

  get address(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** `rabbitmqctl stop_app`, a pause, `start_app`: every client connection closes; queues and messages stay. */
  async restart(downMs: number): Promise<void> {
    await this.ctl('stop_app');
    await delay(downMs);
    await this.ctl('start_app');
    await waitForPort(this.port, 30_000, this.#server);
  }

  /** `rabbitmqctl close_all_connections --global`: every AMQP connection, in every virtual host. */
  async cutConnections(): Promise<void> {
    await this.ctl('close_all_connections', '--global', 'connections cut on purpose');
  }

  /** Runs rabbitmqctl against this node and returns what it printed. */
  async ctl(...args: string[]): Promise<string> {
    const { stdout } = await run(rabbitmqBin('rabbitmqctl'), ['-n', this.#env['RABBITMQ_NODENAME']!, '-q', ...args], {
      env: { ...process.env, ...this.#env },
      timeout: 30_000,
    });
    return stdout;
  }

  async stop(): Promise<void> {
    await stopProcess(this.#server, 'SIGTERM', 20_000);
    await stopProcess(this.#epmd, 'SIGTERM', 5_000);
    this.#server = this.#epmd = undefined;
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/** Starts a process this module owns, its output in `logFile`. */
function spawnOwned(command: string, args: string[], env: Record<string, string>, logFile: string): ChildProcess {
  const child = spawn('sh', ['-c', 'exec "$0" "$@" >>"$SG_LOG" 2>&1', command, ...args], {
    env: { ...process.env, ...env, SG_LOG: logFile },
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  return child;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`the broker on port ${port} exited with code ${child.exitCode}`);
    if (await canConnect(port)) return;
    await delay(100);
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/** Sends one command to Redis in its wire protocol and resolves with the first reply line. */
function redisCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().split('\r\n')[0] ?? '');
    });
  });
}
