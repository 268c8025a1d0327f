/**
 * Vitest global setup: a private, throw-away `redis-server` for the Redis
 * tests, on a free loopback port, with no persistence. Its URL reaches the
 * tests through `inject('redisUrl')` and `process.env.REDIS_URL`. When
 * `REDIS_URL` is already set, that server is used and none is started.
 *
 * Never the shared 6379, never a flush: each test works under its own key
 * prefix and deletes only its own keys.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis the tests use; empty when none could be started. */
    redisUrl: string;
    /** Why `redisUrl` is empty. */
    redisUnavailable: string;
  }
}

async function freePort(): Promise<number> {
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

/** A private redis-server: its URL and a way to stop it. */
export interface PrivateRedis {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free loopback port, without persistence, and
 * waits until it answers PING. Tests that disturb every client of a server
 * (CLIENT KILL, CLIENT PAUSE) start one of their own with it.
 */
export async function startRedisServer(): Promise<PrivateRedis> {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
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
        return { url: `redis://127.0.0.1:${port}`, child, stop: () => stopServer(child) };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    if (spawnError) throw spawnError;
    // Another process took the port between the probe and the start: try another one.
    if (tries >= 4) throw new Error(`redis-server did not answer PING on port ${port}.`);
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    project.provide('redisUnavailable', '');
    return async () => {};
  }
  let server: PrivateRedis;
  try {
    server = await startRedisServer();
  } catch (error) {
    // The in-memory tests still run; the Redis tests fail with this reason.
    project.provide('redisUrl', '');
    project.provide(
      'redisUnavailable',
      `Could not start a private redis-server (${(error as Error).message}). Install redis-server or set REDIS_URL.`,
    );
    return async () => {};
  }
  process.env.REDIS_URL = server.url;
  project.provide('redisUrl', server.url);
  project.provide('redisUnavailable', '');
  return async () => {
    await server.stop();
    delete process.env.REDIS_URL;
  };
}
