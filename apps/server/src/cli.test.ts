import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
// The CLI runs from its sources through tsx, resolved here because the child's cwd is a temp dir.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function fusync(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, CLI, ...args],
      { cwd, env: { ...process.env, FUSYNC_DEMO_LATENCY_SCALE: '0', FORCE_COLOR: '0' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-cli-'));
  await writeFile(
    join(directory, 'ops.mjs'),
    `export default {
      fetchUser: { execute: async (userId) => ({ name: 'Ada', id: userId }), description: 'Loads a user.', args: ['userId'] },
      greet: async (user) => 'Hello ' + user.name,
      explode: async () => { throw new Error('the mixer exploded'); },
    };`,
  );
  const sequence = (layers: unknown[]) =>
    JSON.stringify({ format: 'fusync.sequence', version: 1, name: 'greeting', layers });
  await writeFile(
    join(directory, 'ok.json'),
    sequence([
      { name: 'fetchUser', operation: 'fetchUser', args: ['userId'] },
      { name: 'greet', operation: 'greet', dependsOn: ['fetchUser'] },
      { name: 'pause', operation: 'wait', args: ['ms'], dependsOn: ['fetchUser'] },
    ]),
  );
  await writeFile(
    join(directory, 'failing.json'),
    sequence([
      { name: 'fetchUser', operation: 'fetchUser', args: ['userId'] },
      { name: 'mix', operation: 'explode', dependsOn: ['fetchUser'] },
    ]),
  );
  await writeFile(
    join(directory, 'unknown.json'),
    sequence([{ name: 'a', operation: 'launchRockets' }]),
  );
  await writeFile(join(directory, 'input.json'), JSON.stringify({ userId: 'u1', ms: 0 }));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('fusync run', () => {
  it('runs a sequence with a user operations module and prints timeline, graph and metrics', async () => {
    const { code, stdout, stderr } = await fusync(
      ['run', 'ok.json', '--operations', './ops.mjs', '--input', 'input.json'],
      directory,
    );
    expect(stderr).toContain('[fusync] ▶ fetchUser started');
    expect(stderr).toMatch(/Run .* succeeded in/);
    expect(stdout).toContain('--- Execution Timeline ---');
    expect(stdout).toMatch(/greet +│[ █]+│\+\d\.\d{3}s to \+\d\.\d{3}s/);
    expect(stdout).toContain('┌');
    expect(stdout).toContain('--- Sequence Execution Performance Metrics ---');
    expect(stdout).toContain('Total Tasks: 3');
    expect(stdout).toContain('Success Rate: 100.00%');
    expect(code).toBe(0);
  });

  it('exits with 1 and names the failed layer when the run fails', async () => {
    const { code, stdout, stderr } = await fusync(
      ['run', 'failing.json', '--operations', 'ops.mjs', '--input', 'input.json'],
      directory,
    );
    expect(code).toBe(1);
    expect(stderr).toContain('✖ mix: the mixer exploded');
    expect(stdout).toContain('Failed Tasks: 1');
  });

  it('exits with 2 before running anything when the sequence names an unknown operation', async () => {
    const { code, stdout, stderr } = await fusync(
      ['run', 'unknown.json', '--operations', 'ops.mjs'],
      directory,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('launchRockets');
    expect(stderr).toContain('layers[0].operation');
    expect(stdout).toBe('');
  });

  it('explains a missing sequence file and an unknown command', async () => {
    const missing = await fusync(['run', 'nope.json'], directory);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the sequence file nope.json');
    const unknown = await fusync(['launch'], directory);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command `launch`');
  });

  it('refuses a Redis key prefix that could run into the keys, naming the flag', async () => {
    const bad = await fusync(
      ['worker', '--redis', 'redis://127.0.0.1:1', '--prefix', 'a:b'],
      directory,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Expected --prefix to be 1 to 64 letters');
  });
});
