/**
 * A private, throw-away `redis-server` on a free loopback port, without
 * persistence: what Fusync's tests and benchmarks run against — never a
 * shared Redis, never a flush. Each logical database can serve one test that
 * needs a clean Redis (`freshDatabase()`).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Logical databases of a private server: one per test that needs a clean Redis. */
const DATABASES = 128;

/** A free loopback TCP port (probed, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends an inline command; resolves with the reply's first line(s), or undefined on no answer. */
function inline(port: number, command: string, until = '\r\n'): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answer: string | undefined): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(undefined));
    socket.on('error', () => done(undefined));
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes(until)) done(reply);
    });
  });
}

/** Sends an inline PING; resolves true on `+PONG`. */
async function ping(port: number): Promise<boolean> {
  return (await inline(port, 'PING'))?.startsWith('+PONG') === true;
}

/** A private redis-server. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` (database 0). */
  readonly url: string;
  readonly port: number;
  /** The URL of a logical database no other test of this server has used. */
  freshDatabase(): string;
  stop(): Promise<void>;
  /** The redis-server process (for tests that pause it with SIGSTOP/SIGCONT). */
  readonly pid: number;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `redis-server` on a free loopback port (or on `port`), without
 * persistence, and waits until it answers PING. `dir` is where it would
 * write (default: the current directory) — give a temporary one to a test
 * that turns persistence on.
 */
export async function startRedisServer(
  port?: number,
  options: { dir?: string; args?: readonly string[] } = {},
): Promise<PrivateRedis> {
  for (let tries = 0; ; tries++) {
    const chosen = port ?? (await freePort());
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(chosen),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--databases',
        String(DATABASES),
        // BullMQ loses jobs under any other policy.
        '--maxmemory-policy',
        'noeviction',
        // Where it would write, were persistence turned on (a test that does so passes a temporary one).
        ...(options.dir === undefined ? [] : ['--dir', options.dir]),
        ...(options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    let exited = false;
    let spawnError: Error | undefined;
    child.on('exit', () => {
      exited = true;
    });
    child.on('error', (error) => {
      spawnError = error;
      exited = true;
    });
    for (let wait = 0; wait < 100 && !exited; wait++) {
      if (await ping(chosen)) {
        const url = `redis://127.0.0.1:${chosen}`;
        let next = 1;
        return {
          url,
          port: chosen,
          freshDatabase() {
            if (next >= DATABASES)
              throw new Error(`Every one of the ${DATABASES} databases of ${url} is taken.`);
            return `${url}/${next++}`;
          },
          stop: () => stopChild(child),
          pid: child.pid ?? -1,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    if (spawnError) {
      throw new Error(
        `Could not start redis-server (${spawnError.message}). The Redis-mode tests need it installed (apt-get install redis-server).`,
      );
    }
    // Another process took the port between the probe and the start: try another one.
    if (port !== undefined || tries >= 4)
      throw new Error(`redis-server did not answer PING on port ${chosen}.`);
  }
}

/** A private Redis Cluster of masters on loopback, without replicas or persistence. */
export interface PrivateRedisCluster {
  /** Its masters, `127.0.0.1:<port>` each: the seed nodes to give a client. */
  readonly nodes: readonly string[];
  /** The node processes, in the order of `nodes`. */
  readonly servers: readonly PrivateRedis[];
  /** The master holding `key`'s slot now. */
  serverOfKey(key: string): Promise<PrivateRedis>;
  /** Stops every node and deletes their directories. */
  stop(): Promise<void>;
}

const exec = promisify(execFile);

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await exec('redis-cli', ['-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

/**
 * Starts a Redis Cluster of `masters` (default 3) redis-servers on free
 * loopback ports, each in a temporary directory of its own (its
 * `nodes.conf`), joins them with `redis-cli --cluster create` (no replicas)
 * and waits for `cluster_state:ok` on every node. A node that stops answering
 * only takes its own slots away (`cluster-require-full-coverage no`) and is
 * judged failed after `nodeTimeoutMs` (default 5000) of silence.
 */
export async function startRedisCluster(
  options: { masters?: number; nodeTimeoutMs?: number } = {},
): Promise<PrivateRedisCluster> {
  const masters = options.masters ?? 3;
  const root = await mkdtemp(join(tmpdir(), 'fusync-cluster-'));
  const servers: PrivateRedis[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const dir = join(root, `node-${i}`);
      await mkdir(dir);
      servers.push(
        await startRedisServer(undefined, {
          dir,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, 'nodes.conf'),
            '--cluster-node-timeout',
            String(options.nodeTimeoutMs ?? 5000),
            '--cluster-require-full-coverage',
            'no',
          ],
        }),
      );
    }
    const nodes = servers.map((server) => `127.0.0.1:${server.port}`);
    try {
      await exec(
        'redis-cli',
        ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'],
        { timeout: 30_000 },
      );
    } catch (error) {
      throw new Error(
        `redis-cli --cluster create failed (${(error as Error).message}). The Redis Cluster tests need redis-cli (apt-get install redis-tools).`,
      );
    }
    for (let wait = 0; ; wait++) {
      const states = await Promise.all(
        servers.map((server) => inline(server.port, 'CLUSTER INFO', 'cluster_known_nodes')),
      );
      if (states.every((state) => state?.includes('cluster_state:ok'))) break;
      if (wait > 200)
        throw new Error(`The cluster of ${nodes.join(', ')} did not reach cluster_state:ok.`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      nodes,
      servers,
      async serverOfKey(key) {
        const port = servers[0]?.port ?? 0;
        const slot = Number((await redisCli(port, 'CLUSTER', 'KEYSLOT', key)).trim());
        // `<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges…>`
        for (const line of (await redisCli(port, 'CLUSTER', 'NODES')).split('\n')) {
          const [, address, flags, , , , , , ...ranges] = line.split(' ');
          if (!address || !flags?.includes('master')) continue;
          const owns = ranges.some((range) => {
            const [from, to = from] = range.split('-').map(Number);
            return from !== undefined && to !== undefined && slot >= from && slot <= to;
          });
          const nodePort = Number(address.split('@')[0]?.split(':')[1]);
          const server = servers.find((candidate) => candidate.port === nodePort);
          if (owns && server) return server;
        }
        throw new Error(`No master of the cluster holds slot ${slot} (key ${key}).`);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
