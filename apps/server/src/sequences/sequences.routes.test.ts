import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, orderSequence, testApp } from '../test-support/fixtures.js';
import { DiskSequenceStore } from './disk-sequence-store.js';
import { MemorySequenceStore } from './memory-sequence-store.js';
import {
  BAD_SEQUENCE_NAMES,
  describeSequenceRoutes,
  everyMethod,
  PATHS_OUT_OF_SEQUENCES,
} from './sequence-routes.contract.js';
import type { SequenceStore } from './sequence-store.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-sequences-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Every file of a store directory: `<name>.json` as name → its parsed sequence, anything else by file name. */
async function filesIn(storeDirectory: string): Promise<Record<string, unknown>> {
  let files: string[];
  try {
    files = await readdir(storeDirectory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const entries = await Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(storeDirectory, file), 'utf8');
      return file.endsWith('.json')
        ? [file.slice(0, -'.json'.length), JSON.parse(text)]
        : [file, text];
    }),
  );
  return Object.fromEntries(entries);
}

/** Every sequence a store holds, read from the store itself. */
async function heldBy(store: SequenceStore): Promise<Record<string, unknown>> {
  const summaries = await store.list();
  return Object.fromEntries(
    await Promise.all(summaries.map(async ({ name }) => [name, await store.get(name)])),
  );
}

describeSequenceRoutes('in memory', async (options = {}) => {
  const store = new MemorySequenceStore();
  const { app, runs, operations } = testApp({ ...options, sequences: store });
  return { app, runs, operations, stored: () => heldBy(store) };
});

describeSequenceRoutes('on disk', async (options = {}) => {
  const store = new DiskSequenceStore(join(directory, 'store'));
  const { app, runs, operations } = testApp({ ...options, sequences: store });
  return { app, runs, operations, stored: () => filesIn(store.directory) };
});

describe('/api/sequences on disk with bad input', () => {
  it('creates no file and not even the store directory for a refused name or a path outside /api/sequences', async () => {
    const { app } = testApp({ sequences: new DiskSequenceStore(join(directory, 'store')) });
    for (const name of BAD_SEQUENCE_NAMES) {
      for (const init of everyMethod()) {
        expect((await app.request(`/api/sequences/${name}`, init)).status).toBe(400);
      }
    }
    for (const path of PATHS_OUT_OF_SEQUENCES) {
      expect((await app.request(path, json('PUT', orderSequence()))).status).toBe(404);
    }
    expect(await readdir(directory)).toEqual([]);
  });
});
