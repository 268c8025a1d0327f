/**
 * The `fusync` CLI as a child process, and the files its rerun tests use.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunEvent } from 'fusync';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
// The CLI runs from its sources through tsx, resolved here because the child's cwd is a temp dir.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** How a CLI process ended and what it printed. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from its sources in `cwd`, the demo operations without latency. */
export function fusync(args: string[], cwd: string): Promise<Outcome> {
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

/**
 * A directory of its own for a rerun test: `charge.json` (`load` → `charge`
 * → `notify`), whose operations append their names to `calls.log` when
 * called, and inputs with an expired and a valid card.
 */
export async function rerunDirectory(parent: string): Promise<string> {
  const dir = await mkdtemp(join(parent, 'rerun-'));
  await writeFile(
    join(dir, 'counted.mjs'),
    `import { appendFileSync } from 'node:fs';
    const called = (name) => appendFileSync('calls.log', name + '\\n');
    export default {
      load: async (userId) => { called('load'); return { id: userId, name: 'Ada' }; },
      charge: async (user, card) => {
        called('charge');
        if (card === 'expired') throw new Error('the card has expired');
        return { charged: user.id };
      },
      notify: async (charge) => { called('notify'); return 'sent to ' + charge.charged; },
    };`,
  );
  await writeFile(
    join(dir, 'charge.json'),
    JSON.stringify({
      format: 'fusync.sequence',
      version: 1,
      name: 'charge',
      layers: [
        { name: 'load', operation: 'load', args: ['userId'] },
        { name: 'charge', operation: 'charge', dependsOn: ['load'], args: ['load', 'card'] },
        { name: 'notify', operation: 'notify', dependsOn: ['charge'] },
      ],
    }),
  );
  await writeFile(join(dir, 'expired.json'), JSON.stringify({ userId: 'u1', card: 'expired' }));
  await writeFile(join(dir, 'valid.json'), JSON.stringify({ userId: 'u1', card: 'valid' }));
  return dir;
}

/** The operations called so far in `dir`, in order; then forgets them. */
export async function takeCalls(dir: string): Promise<string[]> {
  const file = join(dir, 'calls.log');
  const text = await readFile(file, 'utf8').catch(() => '');
  await rm(file, { force: true });
  return text.split('\n').filter(Boolean);
}

export async function savedEvents(file: string): Promise<RunEvent[]> {
  return (JSON.parse(await readFile(file, 'utf8')) as { events: RunEvent[] }).events;
}

/** `fusync run` of the rerun directory's sequence with its counted operations. */
export const runCharge = ['run', 'charge.json', '--operations', './counted.mjs'];

/** What `failThenRerun` saw: the two CLI runs, their saved events and the operations each called. */
export interface RerunLoop {
  failed: Outcome;
  parent: RunEvent[];
  failedCalls: string[];
  again: Outcome;
  rerun: RunEvent[];
  againCalls: string[];
}

/**
 * The CLI's rerun loop in `dir` (see `rerunDirectory`), with `extra` flags on
 * both runs (e.g. `--redis <url>`): a run with the expired card fails and
 * saves its events, then a rerun from them with the valid card.
 */
export async function failThenRerun(dir: string, extra: string[] = []): Promise<RerunLoop> {
  const failed = await fusync(
    [...runCharge, ...extra, '--input', 'expired.json', '--save-events', 'failed.json'],
    dir,
  );
  const failedCalls = await takeCalls(dir);
  const parent = await savedEvents(join(dir, 'failed.json'));
  const again = await fusync(
    [
      ...runCharge,
      ...extra,
      '--input',
      'valid.json',
      '--rerun-from',
      'failed.json',
      '--save-events',
      'again.json',
    ],
    dir,
  );
  const againCalls = await takeCalls(dir);
  const rerun = await savedEvents(join(dir, 'again.json'));
  return { failed, parent, failedCalls, again, rerun, againCalls };
}
