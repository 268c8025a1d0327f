import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/**
 * Runs a sequence several times in a fresh Node process, with a full
 * collection between runs and nothing of the last run left alive, and
 * returns V8's deoptimization trace.
 */
const program = `
import { AdvancedSequenceBuilder } from './fusync.mjs';
const noop = async () => {};
for (let run = 0; run < 8; run++) {
  const sequence = new AdvancedSequenceBuilder({ concurrency: 16 });
  for (let i = 0; i < 3000; i++) {
    sequence.addLayer({ name: 'l' + i, execute: noop, dependsOn: i === 0 ? [] : ['l' + (i >> 1)] });
  }
  const result = await sequence.build();
  if (result.status !== 'succeeded') process.exit(2);
  globalThis.gc();
}
`;

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-shapes-'));
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    outfile: join(directory, 'fusync.mjs'),
    logLevel: 'silent',
  });
  await writeFile(join(directory, 'program.mjs'), program);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('optimized code across garbage collections', () => {
  it('keeps the hot path optimized when a full collection finds no run alive', () => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--trace-deopt', join(directory, 'program.mjs')],
      { cwd: directory, encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.status).toBe(0);
    const trace = `${child.stdout}\n${child.stderr}`;
    // The trace names the code it throws away, and why.
    const thrownAway = trace
      .split('\n')
      .filter((line) => line.includes('reason: weak objects'))
      .map((line) => /SharedFunctionInfo ([^>]+)>/.exec(line)?.[1] ?? line);
    // The functions of every layer's path whose objects' shapes the engine keeps (`core/shapes.ts`):
    // without it each of them is thrown away at every collection between runs.
    const hotPath =
      /^(?:_?AttemptContext|<instance_members_initializer|push|pop|get size|#enqueue|#startAttempt|#log|#now|addLayer|#writableNames)$/;
    expect(thrownAway.filter((name) => hotPath.test(name))).toEqual([]);
  });
});
