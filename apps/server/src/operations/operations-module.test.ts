import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOperationsModule, operationsFromExports } from './operations-module.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-ops-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('operations modules', () => {
  it('read a default export of functions and definitions', async () => {
    const file = join(directory, 'ops.mjs');
    await writeFile(
      file,
      `export default {
        double: async (n) => n * 2,
        greet: { execute: async (name) => 'hi ' + name, description: 'Greets.', args: ['name', { name: 'loud', type: 'boolean' }] },
      };`,
    );
    const definitions = await loadOperationsModule(file);
    expect(definitions.map(({ execute: _execute, ...info }) => info)).toEqual([
      { name: 'double', description: '', args: [] },
      {
        name: 'greet',
        description: 'Greets.',
        args: [
          { name: 'name', type: 'any' },
          { name: 'loud', type: 'boolean' },
        ],
      },
    ]);
    await expect(definitions[0]?.execute(21)).resolves.toBe(42);
  });

  it('read named exports, or an `operations` export', () => {
    const fn = async (): Promise<number> => 1;
    expect(operationsFromExports('m', { one: fn, two: fn }).map((d) => d.name)).toEqual([
      'one',
      'two',
    ]);
    expect(operationsFromExports('m', { operations: { three: fn } }).map((d) => d.name)).toEqual([
      'three',
    ]);
  });

  it('refuse exports that are not operations, with the export named', () => {
    expect(() => operationsFromExports('m.js', { default: { bad: 42 } })).toThrow(
      'export `bad` must be a function',
    );
    expect(() => operationsFromExports('m.js', { default: { 'bad name': async () => 1 } })).toThrow(
      'not a usable operation name',
    );
    expect(() => operationsFromExports('m.js', { default: {} })).toThrow('exports no operations');
  });

  it('say which file could not be loaded', async () => {
    await expect(loadOperationsModule(join(directory, 'missing.mjs'))).rejects.toThrow(
      /Cannot load the operations module .*missing\.mjs/,
    );
  });
});
