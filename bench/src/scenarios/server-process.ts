/**
 * Processes of the built server (`apps/server/dist`): the HTTP server and
 * `fusync worker`, started with their output kept for error messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SERVER_DIST = fileURLToPath(new URL('../../../apps/server/dist/', import.meta.url));

/** Throws, saying what to do, when the server is not built. */
export function assertServerBuilt(): void {
  for (const file of ['main.js', 'cli.js']) {
    if (!existsSync(`${SERVER_DIST}${file}`))
      throw new Error(`${SERVER_DIST}${file} is missing: run \`pnpm build\` first.`);
  }
}

export interface Child {
  readonly process: ChildProcess;
  output(): string;
}

/** Starts `node args…`; `ipc` opens a message channel to it (`child.process.send`). */
export function start(args: string[], env: NodeJS.ProcessEnv, ipc = false): Child {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer): void => {
    // Request logs of 200 runs add up: keep only the start of the output, for error messages.
    if (text.length < 20_000) text += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { process: child, output: () => text };
}

export function waitFor(child: Child, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const match = child.output().match(pattern);
      if (!match) return;
      child.process.stdout?.off('data', check);
      child.process.stderr?.off('data', check);
      child.process.off('exit', onExit);
      resolve(match);
    };
    const onExit = (): void =>
      reject(new Error(`exited before printing ${pattern}: ${child.output().slice(0, 2000)}`));
    child.process.stdout?.on('data', check);
    child.process.stderr?.on('data', check);
    child.process.once('exit', onExit);
    check();
  });
}

export async function stop(child: Child): Promise<void> {
  const { process: proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
