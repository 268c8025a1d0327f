/**
 * A private, throw-away `redis-server` on a free loopback port, without
 * persistence: what Fusync's tests and benchmarks run against — never a
 * shared Redis, never a flush. Each logical database can serve one test that
 * needs a clean Redis (`freshDatabase()`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

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

/** Sends an inline PING; resolves true on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A private redis-server. */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>` (database 0). */
  readonly url: string;
  readonly port: number;
  /** The URL of a logical database no other test of this server has used. */
  freshDatabase(): string;
  stop(): Promise<void>;
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
  options: { dir?: string } = {},
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
