/**
 * What the Redis backend cannot do reaches the operator's log: the server's
 * JSON lines and `fusync worker`'s stderr carry the engine's warnings, here
 * those of a Redis that is not there (a private redis-server, stopped).
 */
import { describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '../test-redis/private-redis.js';
import { CLI, SERVER_MAIN, useProcesses } from '../test-redis/processes.js';

const processes = useProcesses();

/** The URL of a redis-server that was started and stopped: nothing listens there now. */
async function stoppedRedis(): Promise<{ url: string; address: string }> {
  const server = await startRedisServer();
  await server.stop();
  return { url: server.url, address: new URL(server.url).host };
}

describe('a Redis that is not there', () => {
  it('shows in `fusync worker`’s stderr, once per connection, with its role and address', async () => {
    const { url, address } = await stoppedRedis();
    const worker = processes.start([CLI, 'worker', '--redis', url], {});
    const [line] = await processes.waitFor(
      worker,
      /warn: fusync\/redis: Redis connection failed \(connection worker \S+ jobs to [^)]+\): [^\n]+/,
    );
    expect(line).toContain(`to ${address})`);
    expect(line).toContain('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // ioredis retries all along: the line is not repeated.
    expect(
      worker.output().match(/Redis connection failed \(connection worker \S+ jobs/g),
    ).toHaveLength(1);
    // SIGKILL: a worker asked to stop waits for Redis to take its jobs back.
    await worker.stop('SIGKILL');
  });

  it('shows in the server’s JSON log lines, with the connection as a field', async () => {
    const { url, address } = await stoppedRedis();
    const server = processes.start([SERVER_MAIN], {
      REDIS_URL: url,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      FUSYNC_STUDIO_DIR: 'studio-not-built',
    });
    const [line] = await processes.waitFor(
      server,
      /\{"time"[^\n]*"level":"warn"[^\n]*coordinator commands[^\n]*\}/,
    );
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({
      level: 'warn',
      source: 'fusync/redis',
      connection: `coordinator commands to ${address}`,
    });
    expect(entry.msg).toMatch(/^fusync\/redis: Redis connection failed .*ECONNREFUSED/);
    await server.stop('SIGKILL');
  });
});
