import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failThenRerun,
  fusync,
  rerunDirectory,
  runCharge,
  takeCalls,
} from './test-support/cli-process.js';

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

  it('refuses a --redis-cluster node that is not host:port, and a cluster beside a URL', async () => {
    const bad = await fusync(['worker', '--redis-cluster', '127.0.0.1:7000,nowhere'], directory);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--redis-cluster lists `nowhere`, which is not `host:port`');
    const both = await fusync(
      ['worker', '--redis', 'redis://127.0.0.1:1', '--redis-cluster', '127.0.0.1:7000'],
      directory,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('got both a Redis URL and a cluster');
  });
});

describe('fusync run --save-events and --rerun-from', () => {
  it('saves a failed run and reruns only the failed layer and what depends on it, reusing the rest', async () => {
    const { failed, parent, failedCalls, again, rerun, againCalls } = await failThenRerun(
      await rerunDirectory(directory),
    );
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('✖ charge: the card has expired');
    expect(failedCalls).toEqual(['load', 'charge']);
    expect(parent[0]).toMatchObject({
      type: 'run:started',
      input: { userId: 'u1', card: 'expired' },
    });
    expect(parent).toContainEqual(
      expect.objectContaining({
        type: 'layer:started',
        layer: 'charge',
        args: [{ id: 'u1', name: 'Ada' }, 'expired'],
      }),
    );
    expect(parent.at(-1)).toMatchObject({ type: 'run:finished', status: 'failed' });

    expect(again.stderr).toContain(`[fusync] ≡ load reused from ${parent[0]?.runId}`);
    expect(again.code).toBe(0);
    expect(againCalls).toEqual(['charge', 'notify']);
    expect(again.stdout).toContain('Success Rate: 100.00%');
    expect(rerun[0]).toMatchObject({ type: 'run:started', parentRunId: parent[0]?.runId });
    expect(rerun.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
  });

  it("reruns from the layers --from names, with the saved run's input when no --input is given", async () => {
    const dir = await rerunDirectory(directory);
    const first = await fusync(
      [...runCharge, '--input', 'valid.json', '--save-events', 'ok.json'],
      dir,
    );
    expect(first.code).toBe(0);
    expect(await takeCalls(dir)).toEqual(['load', 'charge', 'notify']);

    const again = await fusync(
      [...runCharge, '--rerun-from', 'ok.json', '--from', 'notify', '--json'],
      dir,
    );
    expect(again.code).toBe(0);
    expect(await takeCalls(dir)).toEqual(['notify']);
    const result = JSON.parse(again.stdout) as {
      input: Record<string, unknown>;
      results: Record<string, unknown>;
      layers: { name: string; reusedFrom?: string }[];
    };
    expect(result.input).toEqual({ userId: 'u1', card: 'valid' });
    expect(result.results.notify).toBe('sent to u1');
    expect(result.layers.filter((l) => l.reusedFrom).map((l) => l.name)).toEqual([
      'load',
      'charge',
    ]);
  });

  it('refuses a --from that names no layer before anything runs, naming it', async () => {
    const dir = await rerunDirectory(directory);
    await fusync([...runCharge, '--input', 'expired.json', '--save-events', 'failed.json'], dir);
    await takeCalls(dir);
    const refused = await fusync(
      [...runCharge, '--rerun-from', 'failed.json', '--from', 'charge,notifx'],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('`notifx`');
    expect(refused.stderr).toContain('Did you mean `notify`?');
    expect(refused.stdout).toBe('');
    expect(await takeCalls(dir)).toEqual([]);
  });

  it('explains --from without --rerun-from, and an events file that holds no run', async () => {
    const dir = await rerunDirectory(directory);
    const alone = await fusync([...runCharge, '--from', 'charge'], dir);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--from needs --rerun-from');
    const notEvents = await fusync([...runCharge, '--rerun-from', 'charge.json'], dir);
    expect(notEvents.code).toBe(2);
    expect(notEvents.stderr).toContain("must hold a run's events");
    expect(await takeCalls(dir)).toEqual([]);
  });
});
