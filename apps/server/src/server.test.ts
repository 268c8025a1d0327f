import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.js';
import { silentServerLogger } from './logger.js';
import { startServer } from './server.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-server-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('startServer', () => {
  it('listens on loopback, answers /api/health and loads the operations module from FUSYNC_OPERATIONS', async () => {
    await writeFile(
      join(directory, 'ops.mjs'),
      'export const shout = async (text) => String(text).toUpperCase();',
    );
    const server = await startServer(
      {
        PORT: '0',
        FUSYNC_SEQUENCES_DIR: join(directory, 'sequences'),
        FUSYNC_STUDIO_DIR: join(directory, 'studio'),
        FUSYNC_OPERATIONS: join(directory, 'ops.mjs'),
      },
      silentServerLogger,
    );
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.queue).toBe('memory');
      expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({
        status: 'ok',
        queue: 'memory',
        activeRuns: 0,
        maxActiveRuns: 1000,
      });
      const { operations } = (await (await fetch(`${server.url}/api/operations`)).json()) as {
        operations: { name: string }[];
      };
      expect(operations.map((o) => o.name)).toContain('shout');
    } finally {
      await server.close();
    }
  });

  it('refuses to start on a public address without FUSYNC_TOKEN', async () => {
    await expect(
      startServer({ HOST: '0.0.0.0', PORT: '0' }, silentServerLogger),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('requires the token on every API call when one is set', async () => {
    const token = 'fedcba9876543210fedcba';
    const server = await startServer(
      { PORT: '0', FUSYNC_TOKEN: token, FUSYNC_SEQUENCES_DIR: 'memory' },
      silentServerLogger,
    );
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(401);
      expect(
        (await fetch(`${server.url}/api/health`, { headers: { authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  });
});
