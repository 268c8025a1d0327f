import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { orderSequence, sequenceOf } from '../test-support/fixtures.js';
import { DiskSequenceStore } from './disk-sequence-store.js';
import { MemorySequenceStore } from './memory-sequence-store.js';
import type { SequenceStore } from './sequence-store.js';

const BAD_NAMES = ['..', '../x', 'a/b', 'a\\b', '%2F', 'a.json', 'a\0b', '', 'x'.repeat(129), 'ü'];

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-store-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const stores: [string, () => SequenceStore][] = [
  ['MemorySequenceStore', () => new MemorySequenceStore()],
  ['DiskSequenceStore', () => new DiskSequenceStore(join(directory, 'sequences'))],
];

describe.each(stores)('%s', (_name, makeStore) => {
  it('is empty at first', async () => {
    const store = makeStore();
    expect(await store.list()).toEqual([]);
    expect(await store.get('order')).toBeUndefined();
    expect(await store.delete('order')).toBe(false);
  });

  it('stores, replaces, lists and deletes sequences by name', async () => {
    const store = makeStore();
    expect(await store.put('order', orderSequence())).toEqual({ created: true });
    expect(await store.get('order')).toEqual(orderSequence());
    const smaller = sequenceOf({ name: 'only', operation: 'wait' });
    expect(await store.put('order', smaller)).toEqual({ created: false });
    expect(await store.get('order')).toEqual(smaller);
    await store.put('another_one-2', orderSequence());
    const list = await store.list();
    expect(list.map((s) => [s.name, s.layerCount])).toEqual([
      ['another_one-2', 5],
      ['order', 1],
    ]);
    expect(list[0]).toMatchObject({ title: 'order' });
    expect(await store.delete('order')).toBe(true);
    expect((await store.list()).map((s) => s.name)).toEqual(['another_one-2']);
  });

  it('hands out copies: changing what get returned changes nothing stored', async () => {
    const store = makeStore();
    await store.put('order', orderSequence());
    const copy = await store.get('order');
    copy?.layers.pop();
    expect((await store.get('order'))?.layers).toHaveLength(5);
  });

  it.each(BAD_NAMES)('refuses the name %j in every method', async (name) => {
    const store = makeStore();
    await expect(store.put(name, orderSequence())).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(store.get(name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
    await expect(store.delete(name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(await store.list()).toEqual([]);
  });
});

describe('DiskSequenceStore', () => {
  it('writes each sequence as <name>.json in the format save() writes, nothing outside its directory', async () => {
    const store = new DiskSequenceStore(join(directory, 'sequences'));
    await store.put('order', orderSequence());
    expect(await readdir(directory)).toEqual(['sequences']);
    expect(await readdir(join(directory, 'sequences'))).toEqual(['order.json']);
    expect(JSON.parse(await readFile(join(directory, 'sequences', 'order.json'), 'utf8'))).toEqual(
      orderSequence(),
    );
  });

  it('lists a damaged file with its error instead of failing the whole list', async () => {
    const store = new DiskSequenceStore(directory);
    await store.put('good', orderSequence());
    await writeFile(join(directory, 'broken.json'), '{ not json');
    await writeFile(join(directory, 'not a name.json'), '{}');
    const list = await store.list();
    expect(list.map((s) => s.name)).toEqual(['broken', 'good']);
    expect(list[0]?.error).toContain('not valid JSON');
    await expect(store.get('broken')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
