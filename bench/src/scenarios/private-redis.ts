/**
 * A private, throw-away `redis-server` for one benchmark scenario: a free
 * loopback port, no persistence, `noeviction` (BullMQ loses jobs under any
 * other policy). Never the shared 6379, never a flush; stopped when the
 * scenario ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

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

export interface PrivateRedis {
  readonly url: string;
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

/** Starts `redis-server` on a free loopback port and waits until it answers PING. */
export async function startRedisServer(): Promise<PrivateRedis> {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
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
      if (await ping(port))
        return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    if (spawnError) throw new Error(`Could not start redis-server: ${spawnError.message}`);
    if (tries >= 4) throw new Error(`redis-server did not answer PING on port ${port}.`);
  }
}

/** Runs `body` with a private redis-server, stopping it afterwards whatever happens. */
export async function withPrivateRedis<T>(body: (redis: PrivateRedis) => Promise<T>): Promise<T> {
  const redis = await startRedisServer();
  try {
    return await body(redis);
  } finally {
    await redis.stop();
  }
}
